package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;

/**
 * An {@link InboundHandler} that records everything and optionally answers requests with 200 (and
 * malformed requests with their error status). Waits are bounded by {@link #WAIT_MILLIS}.
 */
final class Recorder implements InboundHandler {

    static final long WAIT_MILLIS = 5_000;

    record Received(Connection connection, SipMessage message) {}

    /** What the handler does with a message after recording it. */
    interface Reaction {
        void on(Connection connection, SipMessage message) throws IOException;
    }

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<ParseResult.Malformed> malformed = new LinkedBlockingQueue<>();
    private final List<ConnectionEvent> events = new ArrayList<>();
    private volatile Reaction reaction = (c, m) -> { };
    private volatile boolean answerMalformed;

    /** Answers every request with 200 and every malformed request with its error status. */
    Recorder answering() {
        answerMalformed = true;
        return reacting((c, m) -> {
            if (m instanceof SipRequest request) {
                c.send(SipResponse.forRequest(request, 200));
            }
        });
    }

    Recorder reacting(Reaction r) {
        this.reaction = r;
        return this;
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        messages.add(new Received(connection, message));
        try {
            reaction.on(connection, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed m) {
        malformed.add(m);
        if (answerMalformed && m.partial().orElse(null) instanceof SipRequest request) {
            try {
                connection.send(SipResponse.forRequest(request, m.error().status().code()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void onEvent(ConnectionEvent event) {
        events.add(event);
        notifyAll();
    }

    Received message() throws InterruptedException {
        Received r = messages.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (r == null) {
            fail("no message within " + WAIT_MILLIS + " ms");
        }
        return r;
    }

    ParseResult.Malformed malformed() throws InterruptedException {
        ParseResult.Malformed m = malformed.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (m == null) {
            fail("no malformed input within " + WAIT_MILLIS + " ms");
        }
        return m;
    }

    /** The first event of {@code type} matching {@code match}, waiting for it if need be. */
    synchronized <E extends ConnectionEvent> E await(Class<E> type, Predicate<? super E> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (;;) {
            for (ConnectionEvent e : events) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return fail("no " + type.getSimpleName() + " event within " + WAIT_MILLIS + " ms; saw " + events);
            }
            wait(left);
        }
    }

    <E extends ConnectionEvent> E await(Class<E> type) throws InterruptedException {
        return await(type, e -> true);
    }

    /** The {@code Closed} event of {@code connection}. */
    ConnectionEvent.Closed closed(Connection connection) throws InterruptedException {
        return await(ConnectionEvent.Closed.class, e -> e.connection() == connection);
    }

    CloseReason closeReason(Connection connection) throws InterruptedException {
        return closed(connection).reason();
    }

    /** Events seen so far that are of {@code type} and match. */
    synchronized <E extends ConnectionEvent> long count(Class<E> type, Predicate<? super E> match) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(match).count();
    }

    synchronized <E extends ConnectionEvent> boolean seen(Class<E> type, Predicate<? super E> match) {
        return count(type, match) > 0;
    }
}
