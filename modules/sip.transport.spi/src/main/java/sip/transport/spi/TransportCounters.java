package sip.transport.spi;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters from which a provider builds its {@link TransportStats}. Providers are not
 * obliged to use it; it saves each one from writing the same bookkeeping.
 */
public final class TransportCounters {

    private final String protocol;
    private final AtomicInteger sockets = new AtomicInteger();
    private final AtomicInteger listeners = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder connected = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder keepAlives = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();

    public TransportCounters(Protocol protocol) {
        this.protocol = protocol.name();
    }

    /** A socket was opened (+1) or closed (-1). */
    public void sockets(int delta) {
        sockets.addAndGet(delta);
    }

    public void listeners(int delta) {
        listeners.addAndGet(delta);
    }

    public void connections(int delta) {
        connections.addAndGet(delta);
    }

    /** The open connections now. */
    public int openConnections() {
        return connections.get();
    }

    public void accepted() {
        accepted.increment();
    }

    public void connected() {
        connected.increment();
    }

    public void refused() {
        refused.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void timedOut() {
        timedOut.increment();
    }

    /** A message was delivered to the handler. */
    public void messageIn() {
        messagesIn.increment();
    }

    /** Bytes read from the network (messages, keep-alives, framing, anything). */
    public void bytesIn(int bytes) {
        bytesIn.add(bytes);
    }

    /** A message was sent. */
    public void messageOut() {
        messagesOut.increment();
    }

    /** Bytes written to the network. */
    public void bytesOut(int bytes) {
        bytesOut.add(bytes);
    }

    public void malformed() {
        malformed.increment();
    }

    public void keepAlive() {
        keepAlives.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void handlerError() {
        handlerErrors.increment();
    }

    public TransportStats snapshot() {
        return new TransportStats(protocol, sockets.get(), listeners.get(), connections.get(),
                accepted.sum(), connected.sum(), refused.sum(), failed.sum(), timedOut.sum(),
                messagesIn.sum(), messagesOut.sum(), bytesIn.sum(), bytesOut.sum(), malformed.sum(),
                keepAlives.sum(), dropped.sum(), handlerErrors.sum());
    }
}
