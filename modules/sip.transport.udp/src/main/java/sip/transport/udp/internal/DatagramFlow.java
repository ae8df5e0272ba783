package sip.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Flow;
import sip.transport.spi.MessageTooLargeException;
import sip.transport.spi.Protocol;

/**
 * A UDP flow as a {@link Connection}: a bound socket and one peer address. It is a view, made per
 * received datagram and per {@code connect}/{@code find}, and owns nothing: the socket belongs to
 * its listener (or to the transport, for a client socket). Two objects per view at most (this and
 * its {@link Flow}, made on first use), so the receive path stays cheap.
 *
 * <p>{@link #send} is safe from any thread: one datagram is one atomic {@code send} system call.
 */
final class DatagramFlow implements Connection {

    /** The largest UDP payload over IPv4: 65,535 - 20 (IP header) - 8 (UDP header). */
    static final int MAX_DATAGRAM = 65_507;

    private static final byte[] RESPONSE_START = {'S', 'I', 'P', '/', '2', '.', '0', ' '};

    private final UdpSocket socket;
    private final InetSocketAddress remote;
    private final boolean inbound;
    private volatile boolean closed;
    /** Made on first use; a racy second copy is harmless (a record with final fields). */
    private Flow flow;

    DatagramFlow(UdpSocket socket, InetSocketAddress remote, boolean inbound) {
        this.socket = socket;
        this.remote = remote;
        this.inbound = inbound;
    }

    @Override
    public Flow flow() {
        Flow f = flow;
        if (f == null) {
            f = new Flow(Protocol.UDP.name(), socket.localAddress(), remote);
            flow = f;
        }
        return f;
    }

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    /**
     * Sends the remaining bytes of {@code message} as one datagram.
     *
     * @throws MessageTooLargeException if it is a request above {@code mtu} (RFC 3261 §18.1.1) or
     *     any message above {@value #MAX_DATAGRAM} bytes; nothing is sent
     * @throws ConnectionClosedException if this view or its socket is closed
     * @throws IOException if the operating system refuses the datagram; this view is then closed
     *     (the socket stays open for every other flow)
     */
    @Override
    public void send(ByteBuffer message) throws IOException {
        send(message, true);
    }

    /**
     * As {@link #send}, without the {@code mtu} check: RFC 3261 §18.1.1's retry over UDP of a
     * request whose move to TCP the peer refused. The datagram limit of {@value #MAX_DATAGRAM}
     * bytes still applies.
     */
    @Override
    public void sendAboveMtu(ByteBuffer message) throws IOException {
        send(message, false);
    }

    private void send(ByteBuffer message, boolean mtuApplies) throws IOException {
        if (!isOpen()) {
            throw new ConnectionClosedException(flow(), null);
        }
        int size = message.remaining();
        if (size > MAX_DATAGRAM) {
            throw new MessageTooLargeException(Protocol.UDP.name(), size, MAX_DATAGRAM);
        }
        int mtu = socket.mtu();
        if (mtuApplies && size > mtu && !isResponse(message)) {
            throw new MessageTooLargeException(Protocol.UDP.name(), size, mtu);
        }
        try {
            socket.send(message, this);
        } catch (ConnectionClosedException e) {
            throw e;
        } catch (IOException e) {
            closed = true;
            throw e;
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && socket.isOpen();
    }

    /** Forgets this view; the socket and every other view of the flow stay open. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return flow().toString();
    }

    /** A response starts with its status line, {@code SIP/2.0 }; anything else counts as a request. */
    private static boolean isResponse(ByteBuffer message) {
        int p = message.position();
        if (message.remaining() < RESPONSE_START.length) {
            return false;
        }
        for (int i = 0; i < RESPONSE_START.length; i++) {
            if (message.get(p + i) != RESPONSE_START[i]) {
                return false;
            }
        }
        return true;
    }
}
