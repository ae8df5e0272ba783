package sip.transport.loopback.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import sip.message.ParseResult;
import sip.transport.loopback.LoopbackNetwork;
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
 * The {@code mem} transport: datagrams through a {@link Network}. Its handler runs on the
 * network's delivery thread (not on {@link TransportConfig#receiveWorkers()} threads), one message
 * at a time. {@link TransportConfig#mtu()} applies as for UDP; the timeouts and the receive queue
 * settings do not.
 */
final class DatagramTransport implements Transport {

    private static final String MEM = LoopbackNetwork.MEM.name();

    private final Network network;
    private final TransportConfig config;
    private final TransportCounters counters = new TransportCounters(LoopbackNetwork.MEM);
    private final GuardedHandler handler;
    /** Open endpoints: listeners, then the ephemeral sockets of sends without a listener. */
    private final List<DatagramEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private boolean closed;

    DatagramTransport(Network network, TransportConfig config, InboundHandler handler) {
        this.network = network;
        this.config = config;
        this.handler = new GuardedHandler(handler, counters, network);
    }

    @Override
    public Protocol protocol() {
        return LoopbackNetwork.MEM;
    }

    @Override
    public Listener listen(InetSocketAddress local) throws IOException {
        network.lock.lock();
        try {
            ensureOpen(local);
            return bind(local, true);
        } finally {
            network.lock.unlock();
        }
    }

    /** A flow out of a listener of {@code remote}'s address family, else out of an ephemeral socket. */
    @Override
    public Connection connect(InetSocketAddress remote, String serverName) throws IOException {
        InetAddress ip = Bindings.resolved(remote).getAddress();
        network.lock.lock();
        try {
            ensureOpen(remote);
            DatagramEndpoint from = null;
            for (DatagramEndpoint e : endpoints) { // listeners come first
                if (from == null && Bindings.sameFamily(e.localAddress().getAddress(), ip)) {
                    from = e;
                }
            }
            if (from == null) {
                from = bind(new InetSocketAddress(Bindings.loopbackOf(ip), 0), false);
            }
            return new DatagramFlow(from, new Flow(MEM, Bindings.concrete(from.localAddress()), remote), false);
        } finally {
            network.lock.unlock();
        }
    }

    @Override
    public Optional<Connection> find(Flow flow) {
        if (!flow.protocol().equals(MEM)) {
            return Optional.empty();
        }
        network.lock.lock();
        try {
            return network.bindings.lookup(MEM, flow.local()) instanceof DatagramEndpoint e
                    && e.transport() == this && e.isOpen()
                    ? Optional.of(new DatagramFlow(e, flow, false)) : Optional.empty();
        } finally {
            network.lock.unlock();
        }
    }

    @Override
    public List<Listener> listeners() {
        return endpoints.stream().filter(DatagramEndpoint::isListener).map(Listener.class::cast).toList();
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
            endpoints.forEach(DatagramEndpoint::close);
        } finally {
            network.lock.unlock();
        }
    }

    Network network() {
        return network;
    }

    int mtu() {
        return config.mtu();
    }

    /** Counted once the network took it: a send that a rule fails is not. */
    void sent(Flow flow, byte[] bytes) throws IOException {
        network.sendDatagram(flow.local(), flow.remote(), bytes);
        counters.messageOut();
        counters.bytesOut(bytes.length);
    }

    /** On the delivery thread: parses one datagram and hands it to the handler. */
    void receive(DatagramEndpoint endpoint, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        counters.bytesIn(bytes.length);
        DatagramFlow flow = new DatagramFlow(endpoint, new Flow(MEM, to, from), true);
        switch (config.parser().parse(bytes)) {
            case ParseResult.Parsed(var message) -> handler.message(flow, message);
            case ParseResult.Malformed malformed -> handler.malformed(flow, malformed);
            case ParseResult.KeepAlive k -> counters.keepAlive();
            case ParseResult.NeedMore n -> counters.dropped(); // a datagram is whole or nothing
        }
    }

    /** Under the network's lock. */
    void closed(DatagramEndpoint endpoint) {
        endpoints.remove(endpoint);
        counters.sockets(-1);
        if (endpoint.isListener()) {
            counters.listeners(-1);
        }
    }

    /** @param asked the address being bound or sent to, named in the exception */
    private void ensureOpen(InetSocketAddress asked) throws ConnectionClosedException {
        if (closed || network.isClosed()) {
            throw new ConnectionClosedException(MEM, asked, closed ? null : Network.closedCause());
        }
    }

    /** Under the network's lock, on an open transport. */
    private DatagramEndpoint bind(InetSocketAddress local, boolean listener) throws IOException {
        DatagramEndpoint endpoint = network.bindings.bind(MEM, local, a -> new DatagramEndpoint(this, a, listener));
        if (listener) {
            int firstSocket = (int) endpoints.stream().filter(DatagramEndpoint::isListener).count();
            endpoints.add(firstSocket, endpoint);
            counters.listeners(1);
        } else {
            endpoints.add(endpoint);
        }
        counters.sockets(1);
        return endpoint;
    }
}
