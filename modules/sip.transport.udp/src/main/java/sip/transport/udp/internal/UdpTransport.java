package sip.transport.udp.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Flow;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportCounters;
import sip.transport.spi.TransportStats;

/**
 * UDP in one stack: its listeners, its client sockets (at most one per address family, opened
 * by the first {@link #connect} that no listener can serve) and its receive workers. Connections
 * are views over a socket and a peer address, so {@link TransportStats#connections()} is always 0.
 * Thread-safe; opening and closing sockets is serialized on this object, sending is not.
 */
final class UdpTransport implements Transport {

    private final TransportConfig config;
    private final TransportCounters counters = new TransportCounters(Protocol.UDP);
    private final DatagramDispatcher dispatcher;
    /** Every open socket, listeners and client sockets; read without a lock by find and connect. */
    private final List<UdpSocket> sockets = new CopyOnWriteArrayList<>();
    private UdpSocket clientV4; // guarded by this
    private UdpSocket clientV6; // guarded by this
    private boolean closed; // guarded by this

    UdpTransport(TransportConfig config, InboundHandler handler) {
        this.config = config;
        this.dispatcher = new DatagramDispatcher(config, handler, counters);
    }

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    @Override
    public synchronized Listener listen(InetSocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        if (closed) {
            throw new ConnectionClosedException(Protocol.UDP.name(), local, null);
        }
        return open(resolved(local), true);
    }

    /**
     * A view of the flow to {@code remote} out of the best listener for it (so answers come back
     * to the listening port, RFC 3261 §18.1.1 and RFC 5626), or out of this family's client
     * socket when no listener can reach it. {@code serverName} has no use over UDP.
     */
    @Override
    public Connection connect(InetSocketAddress remote, String serverName) throws IOException {
        Objects.requireNonNull(remote, "remote");
        return new DatagramFlow(socketFor(resolved(remote)), remote, false);
    }

    /** A view of {@code flow} if its local address is one of this transport's open sockets. */
    @Override
    public Optional<Connection> find(Flow flow) {
        if (!Protocol.UDP.name().equals(flow.protocol())) {
            return Optional.empty();
        }
        for (UdpSocket socket : sockets) {
            if (socket.isOpen() && socket.localAddress().equals(flow.local())) {
                return Optional.of(new DatagramFlow(socket, flow.remote(), false));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Listener> listeners() {
        List<Listener> open = new ArrayList<>();
        for (UdpSocket socket : sockets) {
            if (socket.isListener() && socket.isOpen()) {
                open.add(socket);
            }
        }
        return List.copyOf(open);
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** Closes every socket (their readers end) and stops the workers. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // No socket can be added any more: listen and socketFor check closed under the lock.
        for (UdpSocket socket : sockets) {
            socket.close();
        }
        dispatcher.stop();
    }

    TransportConfig config() {
        return config;
    }

    TransportCounters counters() {
        return counters;
    }

    DatagramDispatcher dispatcher() {
        return dispatcher;
    }

    /** Called once by each socket as it closes, whoever closed it. */
    void closed(UdpSocket socket) {
        if (sockets.remove(socket)) {
            counters.sockets(-1);
            if (socket.isListener()) {
                counters.listeners(-1);
            }
        }
    }

    private synchronized UdpSocket socketFor(InetSocketAddress remote) throws IOException {
        if (closed) {
            throw new ConnectionClosedException(Protocol.UDP.name(), remote, null);
        }
        UdpSocket best = null;
        int bestReach = 0;
        for (UdpSocket socket : sockets) {
            int reach = socket.isListener() && socket.isOpen() ? socket.reach(remote.getAddress()) : 0;
            if (reach > bestReach) {
                best = socket;
                bestReach = reach;
            }
        }
        if (bestReach == 2) {
            return best;
        }
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        UdpSocket client = v6 ? clientV6 : clientV4;
        if (client != null && client.isOpen()) {
            return client;
        }
        if (best != null) {
            return best; // a dual-stack listener beats a new ephemeral port
        }
        client = open(wildcard(v6), false);
        if (v6) {
            clientV6 = client;
        } else {
            clientV4 = client;
        }
        return client;
    }

    /** Binds, counts and starts the reader (and the workers, the first time). Under the lock. */
    private UdpSocket open(InetSocketAddress address, boolean listener) throws IOException {
        UdpSocket socket = UdpSocket.bind(this, address, listener);
        sockets.add(socket);
        counters.sockets(1);
        if (listener) {
            counters.listeners(1);
        }
        try {
            dispatcher.start();
            Thread reader = config.threadFactory().newThread(socket.reader());
            if (reader == null) {
                throw new IOException("the configured thread factory refused a udp reader");
            }
            reader.start();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private static InetSocketAddress wildcard(boolean v6) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[v6 ? 16 : 4]), 0);
    }

    private static InetSocketAddress resolved(InetSocketAddress address) throws UnknownHostException {
        if (address.isUnresolved()) {
            throw new UnknownHostException("udp: unresolved address " + address.getHostString());
        }
        return address;
    }
}
