package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;

/**
 * An inbound handler that queues what it is told, for tests to wait on with a bounded timeout;
 * optionally it answers every request with 200 on the connection it came in on.
 */
final class Recorder implements InboundHandler {

    /** Generous: a loaded CI machine may take seconds; a passing test never waits this long. */
    static final long WAIT_SECONDS = 8;

    record Received(Connection connection, SipMessage message) {}

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
    private final boolean answer;

    private Recorder(boolean answer) {
        this.answer = answer;
    }

    static Recorder answering() {
        return new Recorder(true);
    }

    static Recorder quiet() {
        return new Recorder(false);
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        messages.add(new Received(connection, message));
        if (answer && message instanceof SipRequest request) {
            try {
                connection.send(SipResponse.forRequest(request, 200));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        events.add(event);
    }

    Received message() throws InterruptedException {
        Received r = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(r, "no message within " + WAIT_SECONDS + " s");
        return r;
    }

    /** The next event of {@code type}, skipping others (e.g. the Opened before a Closed). */
    <T extends ConnectionEvent> T event(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (long left = WAIT_SECONDS * 1_000_000_000L; left > 0; left = deadline - System.nanoTime()) {
            ConnectionEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " event within " + WAIT_SECONDS + " s");
    }
}
