package sip.transport.loopback.internal;

import java.net.InetSocketAddress;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;

/**
 * A bound {@code mem} address, the counterpart of a UDP socket: a listener, or the ephemeral
 * socket a transport without a listener sends from (which is not among its listeners).
 */
final class DatagramEndpoint implements Listener {

    private final DatagramTransport transport;
    private final InetSocketAddress local;
    private final boolean listener;
    /** Written under the network's lock; read by the delivery thread. */
    private volatile boolean open = true;

    DatagramEndpoint(DatagramTransport transport, InetSocketAddress local, boolean listener) {
        this.transport = transport;
        this.local = local;
        this.listener = listener;
    }

    DatagramTransport transport() {
        return transport;
    }

    boolean isListener() {
        return listener;
    }

    @Override
    public Protocol protocol() {
        return LoopbackNetwork.MEM;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** A datagram from {@code from} to {@code to} (this endpoint's address, or a concrete one for a wildcard bind). */
    boolean receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        if (!open) {
            return false;
        }
        transport.receive(this, from, to, bytes);
        return true;
    }

    @Override
    public void close() {
        Network network = transport.network();
        network.lock.lock();
        try {
            if (open) {
                open = false;
                network.bindings.unbind(LoopbackNetwork.MEM.name(), local, this);
                transport.closed(this);
            }
        } finally {
            network.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "mem " + (listener ? "listener " : "socket ") + local;
    }
}
