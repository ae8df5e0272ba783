package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.event.Level;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Scheduler;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.router.registrar.LocationService;
import sip.script.internal.runtime.RequestHost;
import sip.script.internal.runtime.ScriptHost;
import sip.transport.spi.Flow;

/** In-memory hosts of the executor seam: what a script did is recorded, relays are completed by the test. */
final class FakeHosts {

    static final Flow FLOW = new Flow("udp", new InetSocketAddress("192.0.2.10", 5060),
            new InetSocketAddress("198.51.100.7", 40000));

    /** One worker with a deadline generous enough for a loaded CI machine running the interpreter. */
    static final sip.script.internal.runtime.ExecutorSettings SETTINGS =
            new sip.script.internal.runtime.ExecutorSettings(1, 1_000_000, java.time.Duration.ofSeconds(10), 1_000);

    private FakeHosts() {
    }

    /** One log line. */
    record Log(Level level, String location, String message) {
    }

    static final class Host implements ScriptHost, AutoCloseable {
        final LocationService locations = LocationService.inMemory(Scheduler.system());
        final List<Log> logs = new CopyOnWriteArrayList<>();

        @Override
        public LocationService locationService() {
            return locations;
        }

        @Override
        public InstantSource clock() {
            return InstantSource.system();
        }

        @Override
        public void log(Level level, String location, String message) {
            logs.add(new Log(level, location, message));
        }

        @Override
        public void close() {
            locations.close();
        }

        boolean logged(String part) {
            return logs.stream().anyMatch(l -> (l.location() + ": " + l.message()).contains(part));
        }
    }

    /** A relay the script asked for. */
    record Relay(SipRequest request, List<Target> targets, RelayOptions options, CompletableFuture<RelayOutcome> outcome) {
    }

    static final class Request implements RequestHost {
        final SipRequest request;
        final BlockingQueue<SipResponse> responses = new LinkedBlockingQueue<>();
        final CompletableFuture<Relay> relayed = new CompletableFuture<>();
        /** When set, the relay answers at once with this outcome (an offline host). */
        volatile java.util.function.Function<Relay, RelayOutcome> autoAnswer;
        /** Runs on the calling thread before {@link #respond} records a response: a test holds a worker there. */
        volatile Runnable beforeRespond = () -> { };
        /** What {@link #transactionEnded} says: a test ends the transaction of a queued request. */
        volatile boolean transactionEnded;
        private volatile boolean done;

        Request(SipRequest request) {
            this.request = request;
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public Flow flow() {
            return FLOW;
        }

        @Override
        public boolean inDialog() {
            return request.toTag() != null;
        }

        @Override
        public SipResponse.Builder responseBuilder(int code) {
            SipResponse.Builder b = SipResponse.builder(request, code);
            if (code >= 200 && request.toTag() == null) {
                b.toTag("t" + Integer.toHexString(System.identityHashCode(this)));
            }
            return b;
        }

        @Override
        public boolean transactionEnded() {
            return transactionEnded;
        }

        @Override
        public boolean respond(SipResponse response) {
            beforeRespond.run();
            return record(response);
        }

        private synchronized boolean record(SipResponse response) {
            if (done) {
                return false;
            }
            done = response.statusCode() >= 200;
            responses.add(response);
            return true;
        }

        @Override
        public synchronized CompletableFuture<RelayOutcome> relay(SipRequest edited, List<Target> targets, RelayOptions options) {
            if (done) {
                throw new IllegalStateException("answered already");
            }
            done = true;
            CompletableFuture<RelayOutcome> f = new CompletableFuture<>();
            Relay r = new Relay(edited, targets, options, f);
            relayed.complete(r);
            if (autoAnswer != null) {
                f.complete(autoAnswer.apply(r));
            }
            return f;
        }

        SipResponse response() throws InterruptedException {
            SipResponse r = responses.poll(20, TimeUnit.SECONDS);
            if (r == null) {
                fail("no response within 20 s to " + request.method());
            }
            return r;
        }

        Relay relay() throws Exception {
            return relayed.get(20, TimeUnit.SECONDS);
        }
    }

    static Path script(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SipRequest invite(String uri, String callId) {
        return request("INVITE", uri, callId, "");
    }

    static SipRequest request(String method, String uri, String callId, String extra) {
        String text = method + " " + uri + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 198.51.100.7:40000;branch=z9hG4bK-" + callId + "\n"
                + "From: <sip:alice@example.test>;tag=f1\n"
                + "To: <" + uri + ">\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 " + method + "\n"
                + "Max-Forwards: 70\n"
                + "Contact: <sip:alice@198.51.100.7:40000>\n"
                + extra
                + "Content-Length: 0\n\n";
        ParseResult r = SipParser.lenient().parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(SipRequest.class, assertInstanceOf(ParseResult.Parsed.class, r, r::toString).message());
    }
}
