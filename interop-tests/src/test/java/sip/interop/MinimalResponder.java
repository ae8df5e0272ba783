package sip.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;

/**
 * The smallest UAS there is, built on the transport SPI and the parser alone (no transaction
 * layer yet): OPTIONS → 200, INVITE → 100, 180, 200 with SDP, ACK absorbed, BYE and CANCEL → 200,
 * anything else → 501, a malformed request → its parse status. Answers go back on the flow the
 * request came in on. Counts what it saw so a test can check the peer's view against its own.
 */
final class MinimalResponder implements InboundHandler, AutoCloseable {

    private static final byte[] SDP = ("v=0\r\no=parley 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Transport transport;
    private final Listener listener;
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final LongAdder sendFailures = new LongAdder();
    /** Signalled after everything the transport tells this handler, so tests wait without polling. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    MinimalResponder(String protocol, TransportConfig config) throws IOException {
        this.transport = Transports.open(protocol, config, this);
        this.listener = transport.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    int port() {
        return listener.localAddress().getPort();
    }

    Transport transport() {
        return transport;
    }

    /** How many requests of {@code method} arrived (malformed ones count as "malformed"). */
    long received(String method) {
        LongAdder n = received.get(method);
        return n == null ? 0 : n.sum();
    }

    long sendFailures() {
        return sendFailures.sum();
    }

    /**
     * The transport's stats once {@code condition} holds, or as they are after {@code within}. The
     * transports count before they tell the handler (a message, an event), so each call of this
     * handler is when the stats may have changed: it waits for those, not for time to pass.
     */
    TransportStats awaitStats(Predicate<TransportStats> condition, Duration within) throws InterruptedException {
        long left = within.toNanos();
        lock.lock();
        try {
            TransportStats stats = transport.stats();
            while (!condition.test(stats) && left > 0) {
                left = changed.awaitNanos(left);
                stats = transport.stats();
            }
            return stats;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no connection is open and no socket but the listener's is left; asserts it. */
    TransportStats awaitDrained() throws InterruptedException {
        TransportStats stats = awaitStats(s -> s.connections() == 0 && s.sockets() == s.listeners(),
                Duration.ofSeconds(10));
        if (stats.connections() != 0 || stats.sockets() != stats.listeners()) {
            throw new AssertionError("connections still open 10 s after the peer left: " + stats);
        }
        return stats;
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        signal();
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        try {
            answer(connection, message);
        } finally {
            signal();
        }
    }

    private void answer(Connection connection, SipMessage message) {
        if (!(message instanceof SipRequest request)) {
            return;
        }
        count(request.method().name());
        Method m = request.method();
        if (m.equals(Method.ACK)) {
            return;
        }
        if (m.equals(Method.INVITE)) {
            send(connection, SipResponse.forRequest(request, 100));
            SipResponse ringing = SipResponse.forRequest(request, 180);
            send(connection, ringing);
            send(connection, SipResponse.builder(request, 200)
                    .toTag(ringing.toTag())
                    .addHeader(StandardHeader.CONTACT, "<sip:parley@127.0.0.1:" + port()
                            + ";transport=" + transport.protocol().name() + ">")
                    .body(ContentType.APPLICATION_SDP, SDP)
                    .build());
        } else if (m.equals(Method.OPTIONS) || m.equals(Method.BYE) || m.equals(Method.CANCEL)) {
            send(connection, SipResponse.builder(request, 200)
                    .addHeader(StandardHeader.ALLOW, "INVITE, ACK, BYE, CANCEL, OPTIONS")
                    .build());
        } else {
            send(connection, SipResponse.forRequest(request, 501));
        }
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
        try {
            answerMalformed(connection, malformed);
        } finally {
            signal();
        }
    }

    private void answerMalformed(Connection connection, ParseResult.Malformed malformed) {
        count("malformed");
        if (malformed.partial().orElse(null) instanceof SipRequest partial) {
            try {
                send(connection, SipResponse.forRequest(partial, malformed.error().status().code()));
            } catch (RuntimeException cannotAnswer) {
                // Too little of the request was readable to build an answer (no Via, say).
            }
        }
    }

    private void count(String what) {
        received.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private void send(Connection connection, SipResponse response) {
        try {
            connection.send(response);
        } catch (IOException e) {
            sendFailures.increment();
        }
    }

    /** Closes the transport and checks it left nothing open: every interop test ends with this. */
    @Override
    public void close() {
        transport.close();
        var stats = transport.stats();
        if (stats.sockets() != 0 || stats.connections() != 0 || stats.listeners() != 0) {
            throw new AssertionError("the closed transport still counts open resources: " + stats);
        }
    }
}
