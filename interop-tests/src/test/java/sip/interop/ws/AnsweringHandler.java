package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportStats;

/**
 * The handler of a bare transport under test: answers requests 200 and malformed ones with
 * their status, on the connection they came in on; queues responses and connection events for
 * the test to take; wakes {@link #awaitStats} whenever the transport calls it (transports count
 * before they call their handler, so that is when the stats can have changed).
 */
final class AnsweringHandler implements InboundHandler {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<SipResponse> responses = new LinkedBlockingQueue<>();
    private final Object calls = new Object();
    private volatile Transport transport;

    /** The transport whose stats {@link #awaitStats} reads. */
    void watch(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        switch (message) {
            case SipRequest request -> send(connection, SipResponse.forRequest(request, 200));
            case SipResponse response -> responses.add(response);
        }
        called();
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
        if (malformed.partial().orElse(null) instanceof SipRequest partial) {
            send(connection, SipResponse.forRequest(partial, malformed.error().status().code()));
        }
        called();
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        events.add(event);
        called();
    }

    private static void send(Connection connection, SipResponse response) {
        try {
            connection.send(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void called() {
        synchronized (calls) {
            calls.notifyAll();
        }
    }

    /** The next connection event, waiting up to {@link #WAIT}. */
    ConnectionEvent nextEvent() throws InterruptedException {
        ConnectionEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no connection event within " + WAIT.toSeconds() + " s");
        return e;
    }

    /** The next response that arrived, waiting up to {@link #WAIT}. */
    SipResponse nextResponse() throws InterruptedException {
        SipResponse r = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(r, "no response within " + WAIT.toSeconds() + " s");
        return r;
    }

    /** The stats once {@code condition} holds, or as they are after {@code within}. */
    TransportStats awaitStats(Predicate<TransportStats> condition, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        synchronized (calls) {
            TransportStats stats = transport.stats();
            for (long left = within.toNanos(); !condition.test(stats) && left > 0; left = until - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(calls, left);
                stats = transport.stats();
            }
            return stats;
        }
    }
}
