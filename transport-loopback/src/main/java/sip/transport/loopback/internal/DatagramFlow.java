package sip.transport.loopback.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Flow;
import sip.transport.spi.MessageTooLargeException;
import sip.transport.spi.Protocol;

/**
 * A {@code mem} endpoint paired with one peer address, the counterpart of a UDP flow: not a
 * connection (no events, not counted), usable while its endpoint is open. Sizes are checked as
 * UDP's are, so the stack's switch to a stream transport for large requests (RFC 3261 §18.1.1)
 * can be tested here.
 */
final class DatagramFlow implements Connection {

    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM = 65_507;
    private static final byte[] RESPONSE_START = {'S', 'I', 'P', '/'};

    private final DatagramEndpoint endpoint;
    private final Flow flow;
    private final boolean inbound;
    private volatile boolean closed;

    DatagramFlow(DatagramEndpoint endpoint, Flow flow, boolean inbound) {
        this.endpoint = endpoint;
        this.flow = flow;
        this.inbound = inbound;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public Protocol protocol() {
        return LoopbackNetwork.MEM;
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (!isOpen()) {
            throw new ConnectionClosedException(flow, null);
        }
        int size = message.remaining();
        int limit = isResponse(message) ? MAX_DATAGRAM : endpoint.transport().mtu();
        if (size > limit) {
            throw new MessageTooLargeException(flow.protocol(), size, limit);
        }
        byte[] bytes = new byte[size];
        message.get(bytes);
        endpoint.transport().sent(flow, bytes);
    }

    @Override
    public boolean isOpen() {
        return !closed && endpoint.isOpen();
    }

    /** Forgets the flow; the endpoint stays open. No event: a datagram flow is not a connection. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return flow.toString();
    }

    private static boolean isResponse(ByteBuffer message) {
        if (message.remaining() < RESPONSE_START.length) {
            return false;
        }
        for (int i = 0; i < RESPONSE_START.length; i++) {
            if (message.get(message.position() + i) != RESPONSE_START[i]) {
                return false;
            }
        }
        return true;
    }
}
