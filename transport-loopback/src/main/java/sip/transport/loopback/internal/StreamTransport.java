package sip.transport.loopback.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.ConnectionLimitException;
import sip.transport.spi.Flow;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportCounters;
import sip.transport.spi.TransportStats;

/**
 * The {@code mem-stream} transport: connections through a {@link Network}, reliable and in order.
 * Its handler runs on the network's delivery thread, not on a reader thread per connection.
 * {@link TransportConfig#maxConnections()} and the parser's message size apply; the timeouts do
 * not (time belongs to the test, through the network's delays).
 */
final class StreamTransport implements Transport {

    private static final String MEM_STREAM = LoopbackNetwork.MEM_STREAM.name();

    private final Network network;
    private final TransportConfig config;
    private final TransportCounters counters = new TransportCounters(LoopbackNetwork.MEM_STREAM);
    private final GuardedHandler handler;
    private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
    /** Open connections, inbound and outbound. */
    private final Map<Flow, StreamConnection> connections = new ConcurrentHashMap<>();
    private boolean closed;

    StreamTransport(Network network, TransportConfig config, InboundHandler handler) {
        this.network = network;
        this.config = config;
        this.handler = new GuardedHandler(handler, counters, network);
    }

    @Override
    public Protocol protocol() {
        return LoopbackNetwork.MEM_STREAM;
    }

    @Override
    public Listener listen(InetSocketAddress local) throws IOException {
        network.lock.lock();
        try {
            ensureOpen(local);
            StreamListener listener = network.bindings.bind(MEM_STREAM, local, a -> new StreamListener(this, a));
            listeners.add(listener);
            counters.listeners(1);
            counters.sockets(1);
            return listener;
        } finally {
            network.lock.unlock();
        }
    }

    /**
     * An open connection to {@code remote} if there is one (inbound or outbound), else a new one.
     * Fails with {@link ConnectException} if nothing listens at {@code remote} or the listening
     * transport is at its connection limit; a {@code Failed} event follows every failure.
     */
    @Override
    public Connection connect(InetSocketAddress remote, String serverName) throws IOException {
        InetAddress ip = Bindings.resolved(remote).getAddress();
        IOException failure;
        network.lock.lock();
        try {
            ensureOpen(remote);
            for (StreamConnection c : connections.values()) {
                if (c.remoteAddress().equals(remote)) {
                    return c;
                }
            }
            if (counters.openConnections() >= config.maxConnections()) {
                counters.refused();
                failure = new ConnectionLimitException(MEM_STREAM, config.maxConnections());
            } else if (!(network.bindings.lookup(MEM_STREAM, remote) instanceof StreamListener listener)
                    || !listener.isOpen()) {
                counters.failed();
                failure = new ConnectException("Connection refused: nothing listens on " + MEM_STREAM + " "
                        + remote + " in this LoopbackNetwork");
            } else {
                StreamConnection client = network.bindings.bind(MEM_STREAM, new InetSocketAddress(sourceAddress(ip), 0),
                        a -> new StreamConnection(this, new Flow(MEM_STREAM, a, remote), false));
                if (listener.transport().accept(client, remote)) {
                    opened(client);
                    counters.connected();
                    return client;
                }
                network.bindings.unbind(MEM_STREAM, client.localAddress(), client);
                counters.failed();
                failure = new ConnectException("Connection refused: " + remote + " is at its limit of "
                        + listener.transport().config.maxConnections() + " connections");
            }
            network.event(handler, new ConnectionEvent.Failed(MEM_STREAM, remote, false, failure));
        } finally {
            network.lock.unlock();
        }
        throw failure;
    }

    @Override
    public Optional<Connection> find(Flow flow) {
        return Optional.ofNullable(connections.get(flow));
    }

    @Override
    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        network.lock.lock();
        try {
            closed = true;
            listeners.forEach(StreamListener::close);
            connections.values().forEach(StreamConnection::close);
        } finally {
            network.lock.unlock();
        }
    }

    Network network() {
        return network;
    }

    TransportConfig config() {
        return config;
    }

    TransportCounters counters() {
        return counters;
    }

    GuardedHandler handler() {
        return handler;
    }

    /**
     * Under the network's lock: the listening side of a connect. Opens the accepted end, or
     * refuses it at the connection limit as a TCP server closes an accepted socket at once.
     */
    private boolean accept(StreamConnection client, InetSocketAddress listenerAddress) {
        if (closed || counters.openConnections() >= config.maxConnections()) {
            counters.refused();
            network.event(handler, new ConnectionEvent.Failed(MEM_STREAM, client.localAddress(), true,
                    new ConnectionLimitException(MEM_STREAM, config.maxConnections())));
            return false;
        }
        StreamConnection server = new StreamConnection(this, new Flow(MEM_STREAM, listenerAddress,
                client.localAddress()), true);
        StreamConnection.link(client, server);
        opened(server);
        counters.accepted();
        return true;
    }

    /** Under the network's lock. */
    private void opened(StreamConnection connection) {
        connections.put(connection.flow(), connection);
        counters.connections(1);
        counters.sockets(1);
        network.event(handler, new ConnectionEvent.Opened(connection));
    }

    /** Under the network's lock. */
    void closed(StreamConnection connection) {
        if (connections.remove(connection.flow(), connection)) {
            counters.connections(-1);
            counters.sockets(-1);
            if (!connection.inbound()) {
                network.bindings.unbind(MEM_STREAM, connection.localAddress(), connection);
            }
        }
    }

    /** Under the network's lock. */
    void closed(StreamListener listener) {
        listeners.remove(listener);
        counters.listeners(-1);
        counters.sockets(-1);
    }

    /** The source address of a new connection: a listener's of the same family, as an OS would pick, else loopback. */
    private InetAddress sourceAddress(InetAddress remote) {
        for (StreamListener l : listeners) {
            InetAddress ip = l.localAddress().getAddress();
            if (Bindings.sameFamily(ip, remote) && !ip.isAnyLocalAddress()) {
                return ip;
            }
        }
        return Bindings.loopbackOf(remote);
    }

    /** @param asked the address being bound or connected to, named in the exception */
    private void ensureOpen(InetSocketAddress asked) throws ConnectionClosedException {
        if (closed || network.isClosed()) {
            throw new ConnectionClosedException(MEM_STREAM, asked, closed ? null : Network.closedCause());
        }
    }
}
