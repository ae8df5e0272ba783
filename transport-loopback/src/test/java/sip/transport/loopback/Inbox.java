package sip.transport.loopback;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;

/** A handler that records what it is given, and optionally reacts to each message. */
final class Inbox implements InboundHandler {

    /** A message and the connection it came on. */
    record Received(Connection connection, SipMessage message) {
    }

    /** What to do with each message, on the delivery thread. */
    @FunctionalInterface
    interface Reaction {
        void react(Connection connection, SipMessage message) throws Exception;
    }

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<ParseResult.Malformed> malformed = new LinkedBlockingQueue<>();
    private final BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
    private final Reaction reaction;

    Inbox() {
        this((c, m) -> { });
    }

    Inbox(Reaction reaction) {
        this.reaction = reaction;
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        messages.add(new Received(connection, message));
        try {
            reaction.react(connection, message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed m) {
        malformed.add(m);
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        events.add(event);
    }

    /** The next message, waiting up to 5 s for it. */
    Received take() throws InterruptedException {
        Received r = messages.poll(5, TimeUnit.SECONDS);
        assertNotNull(r, "no message within 5 s");
        return r;
    }

    /** The next event, waiting up to 5 s for it. */
    ConnectionEvent takeEvent() throws InterruptedException {
        ConnectionEvent e = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "no connection event within 5 s");
        return e;
    }

    /** Removes and returns the messages received so far. */
    List<Received> drain() {
        List<Received> list = new java.util.ArrayList<>();
        messages.drainTo(list);
        return list;
    }

    /** Removes and returns the events received so far. */
    List<ConnectionEvent> drainEvents() {
        List<ConnectionEvent> list = new java.util.ArrayList<>();
        events.drainTo(list);
        return list;
    }

    /** Removes and returns the CSeq numbers of the messages received so far, in arrival order. */
    List<Long> drainSequences() {
        return drain().stream().map(r -> r.message().cseq().sequence()).toList();
    }

    List<ParseResult.Malformed> malformed() {
        return List.copyOf(malformed);
    }
}
