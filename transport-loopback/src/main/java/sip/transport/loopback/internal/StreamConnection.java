package sip.transport.loopback.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import sip.message.ParseResult;
import sip.message.StreamFramer;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;

/**
 * One end of a {@code mem-stream} connection. What one end sends goes through its {@link Pipe} to
 * the other end's framer, so messages are framed by Content-Length as on TCP: the bytes of one
 * send need not be one message.
 *
 * <p>Threading: {@link #receive} and {@link #closedByPeer} run on the network's delivery thread
 * (or in a test's {@code deliverNext}), one call at a time, and own the framer; {@link #send} and
 * {@link #close} may be called from any thread. The open state changes under the network's lock.
 */
final class StreamConnection implements Connection {

    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final StreamTransport transport;
    private final Flow flow;
    private final boolean inbound;
    private final Pipe out = new Pipe();
    private final StreamFramer framer;
    private StreamConnection peer;
    private volatile boolean open = true;

    StreamConnection(StreamTransport transport, Flow flow, boolean inbound) {
        this.transport = transport;
        this.flow = flow;
        this.inbound = inbound;
        this.framer = transport.config().parser().newStreamFramer();
    }

    /** Joins two ends; under the network's lock, before either is used. */
    static void link(StreamConnection a, StreamConnection b) {
        a.peer = b;
        b.peer = a;
    }

    StreamConnection peer() {
        return peer;
    }

    /** What this end sends, on its way to the peer. */
    Pipe out() {
        return out;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public Protocol protocol() {
        return LoopbackNetwork.MEM_STREAM;
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (!open) {
            throw new ConnectionClosedException(flow, null);
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        write(bytes);
        transport.counters().messageOut();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        close(CloseReason.LOCAL);
    }

    /** Closes this end: a Closed event here, and behind the data already sent, the end of the stream there. */
    void close(CloseReason reason) {
        Network network = transport.network();
        network.lock.lock();
        try {
            if (!open) {
                return;
            }
            open = false;
            transport.closed(this);
            network.event(transport.handler(), new ConnectionEvent.Closed(this, reason));
            network.endStream(this);
        } finally {
            network.lock.unlock();
        }
    }

    /** On the delivery thread: the peer's end of stream arrived. */
    void closedByPeer() {
        close(CloseReason.PEER);
    }

    /** On the delivery thread: bytes the peer sent; false if this end is closed and they are lost. */
    boolean receive(byte[] bytes) {
        if (!open) {
            return false;
        }
        transport.counters().bytesIn(bytes.length);
        framer.feed(bytes, 0, bytes.length);
        while (open) {
            switch (framer.next()) {
                case ParseResult.Parsed(var message) -> transport.handler().message(this, message);
                case ParseResult.KeepAlive(boolean ping) -> {
                    if (ping) {
                        transport.counters().keepAlive();
                        pong();
                    }
                }
                case ParseResult.Malformed malformed -> {
                    transport.handler().malformed(this, malformed);
                    if (framer.framingLost()) {
                        close(CloseReason.MALFORMED); // message boundaries are gone: nothing after can be read
                    }
                    // A framed but invalid message (a bad CSeq): the next message starts where it ended.
                }
                case ParseResult.NeedMore n -> {
                    return true;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return flow.toString();
    }

    private void pong() {
        try {
            write(PONG);
        } catch (IOException closedMeanwhile) {
            // nothing to answer on
        }
    }

    private void write(byte[] bytes) throws IOException {
        try {
            transport.network().sendStream(this, bytes);
        } catch (ConnectionClosedException e) {
            throw e;
        } catch (IOException e) {
            close(CloseReason.ERROR);
            throw e;
        }
        transport.counters().bytesOut(bytes.length);
    }
}
