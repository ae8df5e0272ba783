package sip.script.internal.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import sip.message.HeaderType;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.auth.Credentials;
import sip.router.auth.DigestClient;
import sip.script.ScriptError;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;
import sip.script.testing.LogLine;
import sip.script.testing.Relay;
import sip.transport.spi.Flow;

/**
 * One request through the script, offline: hands it to the executor, plays out on the calling
 * (test) thread each relay the script makes while its worker goes on, and collects what went
 * upstream and what was logged. Used by one test thread at a time.
 */
public final class OfflineExchange {

    /**
     * What the script did with one request.
     *
     * @param challenge the final local response when it is a 401/407 challenge
     */
    public record Result(SipRequest request, List<SipResponse> responses, List<Relay> relays,
                         List<LogLine> logs, Optional<ScriptError> error, Optional<SipResponse> challenge) {
    }

    private final ScriptExecutor executor;
    private final OfflineScriptHost host;
    private final Duration finishWithin;

    public OfflineExchange(ScriptExecutor executor, OfflineScriptHost host, Duration finishWithin) {
        this.executor = executor;
        this.host = host;
        this.finishWithin = finishWithin;
    }

    /**
     * Runs {@code request} arriving on {@code flow}; branches answer as {@code answers} says.
     *
     * @throws AssertionError if the handler and its relays did not finish within the wait
     */
    public Result run(SipRequest request, Flow flow, ToIntFunction<String> answers) {
        int mark = host.logCount();
        OfflineRequestHost rh = new OfflineRequestHost(request, flow);
        CompletableFuture<HandlerReport> report = executor.handle(rh);
        BlockingQueue<Object> events = rh.events();
        report.whenComplete((r, e) -> events.add(OfflineRequestHost.HANDLER_DONE));
        List<Relay> relays = new ArrayList<>();
        long end = System.nanoTime() + finishWithin.toNanos();
        boolean done = false;
        while (!done) {
            Object event;
            try {
                event = events.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the script handled " + describe(request), e);
            }
            if (event == null) {
                throw new AssertionError("the script did not finish " + describe(request) + " within "
                        + finishWithin.toSeconds() + " s; log so far: " + host.logsSince(mark));
            }
            if (event instanceof OfflineRequestHost.PendingRelay p) {
                relays.add(RelaySimulation.run(p, answers, rh));
            } else {
                done = true;
            }
        }
        HandlerReport r = report.join();
        List<SipResponse> sent = rh.sent();
        Optional<SipResponse> challenge = relays.isEmpty()
                ? sent.stream().filter(x -> x.statusCode() == 401 || x.statusCode() == 407).findFirst()
                : Optional.empty();
        return new Result(request, sent, relays, host.logsSince(mark), r.error(), challenge);
    }

    /** Whether a 401/407 says the nonce was stale (the credentials were right). */
    public static boolean isStale(SipResponse challenge) {
        String name = challenge.statusCode() == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        return challenge.headerValues(sip.message.HeaderName.of(name)).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).replace(" ", "").contains("stale=true"));
    }

    /** {@code request} again with the answer to {@code challenge}, in a new transaction (Via branch). */
    public static SipRequest answer(SipRequest request, SipResponse challenge, Credentials credentials) {
        SipRequest a = DigestClient.authorize(request, challenge, credentials, 1, DigestClient.newCnonce());
        Via v = a.topVia();
        Via fresh = Via.of(v.transport(), v.host(), v.port(), Via.MAGIC_COOKIE + DigestClient.newCnonce().substring(0, 16));
        return a.toBuilder().removeFirst(HeaderType.VIA).via(fresh).build();
    }

    private static String describe(SipRequest request) {
        return request.method() + " " + request.requestUri();
    }
}
