package sip.transport.loopback.internal;

import java.net.InetSocketAddress;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;

/** A bound {@code mem-stream} address accepting connections. */
final class StreamListener implements Listener {

    private final StreamTransport transport;
    private final InetSocketAddress local;
    /** Written under the network's lock. */
    private volatile boolean open = true;

    StreamListener(StreamTransport transport, InetSocketAddress local) {
        this.transport = transport;
        this.local = local;
    }

    StreamTransport transport() {
        return transport;
    }

    @Override
    public Protocol protocol() {
        return LoopbackNetwork.MEM_STREAM;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Stops accepting; accepted connections stay open. */
    @Override
    public void close() {
        Network network = transport.network();
        network.lock.lock();
        try {
            if (open) {
                open = false;
                network.bindings.unbind(LoopbackNetwork.MEM_STREAM.name(), local, this);
                transport.closed(this);
            }
        } finally {
            network.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "mem-stream listener " + local;
    }
}
