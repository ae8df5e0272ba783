package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

/**
 * What a WS transport told its handler, with bounded waits ({@link #WAIT_SECONDS}); answers
 * requests with 200 when made {@link #answering()}.
 */
final class Events implements InboundHandler {

    static final long WAIT_SECONDS = 5;

    record Received(Connection connection, SipMessage message) {}

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<ParseResult.Malformed> malformed = new LinkedBlockingQueue<>();
    private final List<ConnectionEvent> events = new ArrayList<>();
    private final boolean answer;

    private Events(boolean answer) {
        this.answer = answer;
    }

    static Events recording() {
        return new Events(false);
    }

    /** Also answers each request with 200 on the connection it came over. */
    static Events answering() {
        return new Events(true);
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        messages.add(new Received(connection, message));
        if (answer && message instanceof SipRequest request) {
            try {
                connection.send(SipResponse.forRequest(request, 200));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed m) {
        malformed.add(m);
    }

    @Override
    public synchronized void onEvent(ConnectionEvent event) {
        events.add(event);
        notifyAll();
    }

    Received message() throws InterruptedException {
        Received r = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        return r != null ? r : fail("no message within " + WAIT_SECONDS + " s");
    }

    ParseResult.Malformed malformed() throws InterruptedException {
        ParseResult.Malformed m = malformed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        return m != null ? m : fail("no malformed message within " + WAIT_SECONDS + " s");
    }

    boolean noMessageYet() {
        return messages.isEmpty();
    }

    /** The first event of {@code type} matching {@code match}, waiting for it if need be. */
    synchronized <E extends ConnectionEvent> E await(Class<E> type, Predicate<? super E> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            for (ConnectionEvent e : events) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return fail("no " + type.getSimpleName() + " within " + WAIT_SECONDS + " s; saw " + events);
            }
            wait(left);
        }
    }

    <E extends ConnectionEvent> E await(Class<E> type) throws InterruptedException {
        return await(type, e -> true);
    }

    ConnectionEvent.Closed closed(Connection c) throws InterruptedException {
        return await(ConnectionEvent.Closed.class, e -> e.connection() == c);
    }
}
