package sip.transport.tcp.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
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
 * A stream transport (TCP, or TLS with its own {@link StreamSockets}): listeners, connections,
 * connection reuse, the connection limit and the counts. Thread-safe.
 *
 * <p>Threads: one per listener accepting, one per connection reading (it runs the handshake of an
 * accepted socket, then {@link StreamConnection#run()}), and one write watchdog while connections
 * exist; all made by {@link TransportConfig#threadFactory()} (virtual by default).
 *
 * <p>Bookkeeping rule: a socket counts once it is tracked (a listener, a connection, or an accepted
 * socket still in its handshake); whoever removes it from its set owns closing it and un-counting
 * it, so {@link #close()} leaves every live count at zero when it returns.
 */
public class StreamTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(StreamTransport.class.getName());
    private static final int BACKLOG = 256;

    /** What {@link #connect} reuses: for TLS the name the server's certificate was checked against. */
    record Target(InetSocketAddress remote, String serverName) {}

    private final Protocol protocol;
    private final TransportConfig config;
    private final InboundHandler handler;
    private final StreamSockets sockets;
    private final TransportCounters counters;
    private final WriteWatchdog watchdog;

    private final Set<StreamListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
    private final Map<Flow, StreamConnection> byFlow = new ConcurrentHashMap<>();
    private final Map<Target, StreamConnection> reusable = new ConcurrentHashMap<>();
    /** Connects in progress: a second caller for the same target waits for the first one's result. */
    private final Map<Target, CompletableFuture<StreamConnection>> connecting = new ConcurrentHashMap<>();
    /** Connections open or being opened, checked against the limit before any socket work. */
    private final AtomicInteger slots = new AtomicInteger();
    /** Guards {@link #closed} against additions to the sets, so none slips in after close(). */
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile boolean closed;

    public StreamTransport(Protocol protocol, TransportConfig config, InboundHandler handler,
            StreamSockets sockets) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.counters = new TransportCounters(protocol);
        this.watchdog = new WriteWatchdog(config.writeTimeout(), connections);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public Listener listen(InetSocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        ensureOpen();
        ServerSocket server = sockets.bind(local, BACKLOG);
        StreamListener listener = new StreamListener(this, server);
        if (!track(() -> listeners.add(listener))) {
            closeQuietly(server);
            throw closedError();
        }
        counters.listeners(1);
        config.threadFactory().newThread(listener::run).start();
        return listener;
    }

    @Override
    public Connection connect(InetSocketAddress remote, String serverName) throws IOException {
        Objects.requireNonNull(remote, "remote");
        ensureOpen();
        Target target = new Target(remote, protocol.secure() ? serverName : null);
        StreamConnection open = reusable.get(target);
        if (open != null && open.isOpen()) {
            return open;
        }
        CompletableFuture<StreamConnection> mine = new CompletableFuture<>();
        CompletableFuture<StreamConnection> inFlight = connecting.putIfAbsent(target, mine);
        if (inFlight != null) {
            return await(inFlight);
        }
        try {
            // Another connect may have finished between the lookup above and claiming the target.
            open = reusable.get(target);
            StreamConnection c = open != null && open.isOpen() ? open : openOutbound(target);
            mine.complete(c);
            return c;
        } catch (Throwable e) { // whatever ends this attempt must also end the waiting callers'
            mine.completeExceptionally(e);
            throw e;
        } finally {
            connecting.remove(target, mine);
        }
    }

    private StreamConnection openOutbound(Target target) throws IOException {
        InetSocketAddress remote = target.remote();
        if (!reserveSlot()) {
            counters.refused();
            ConnectionLimitException e = new ConnectionLimitException(protocol.name(), config.maxConnections());
            event(new ConnectionEvent.Failed(protocol.name(), remote, false, e));
            throw e;
        }
        Socket socket;
        StreamConnection c;
        try {
            socket = sockets.connect(remote, target.serverName(), config.connectTimeout(),
                    config.handshakeTimeout());
        } catch (IOException | RuntimeException e) {
            slots.decrementAndGet();
            counters.failed();
            if (e instanceof IOException io) {
                event(new ConnectionEvent.Failed(protocol.name(), remote, false, io));
            }
            throw e;
        }
        try {
            Flow flow = new Flow(protocol.name(), (InetSocketAddress) socket.getLocalSocketAddress(),
                    (InetSocketAddress) socket.getRemoteSocketAddress());
            c = new StreamConnection(this, socket, flow, false, target);
        } catch (IOException | RuntimeException e) {
            slots.decrementAndGet();
            closeQuietly(socket);
            throw e;
        }
        if (!register(c)) {
            slots.decrementAndGet();
            closeQuietly(socket);
            throw closedError();
        }
        counters.connected();
        try {
            config.threadFactory().newThread(c::run).start();
        } catch (RuntimeException e) {
            c.close(CloseReason.ERROR);
            throw new IOException("cannot start the reader of " + c, e);
        }
        return c;
    }

    private static StreamConnection await(CompletableFuture<StreamConnection> inFlight) throws IOException {
        try {
            return inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connect in progress");
        } catch (ExecutionException e) {
            // The same failure the first caller got: it was one connect attempt for both.
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** A socket accepted by {@code listener}; runs on the listener's thread, so it must not block. */
    void accepted(Socket socket, StreamListener listener) {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (!reserveSlot()) {
            closeQuietly(socket);
            counters.refused();
            event(new ConnectionEvent.Failed(protocol.name(), remote, true,
                    new ConnectionLimitException(protocol.name(), config.maxConnections())));
            return;
        }
        if (!track(() -> handshaking.add(socket))) {
            slots.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        try {
            config.threadFactory().newThread(() -> openInbound(socket, listener, remote)).start();
        } catch (RuntimeException e) { // keep accepting: this socket is given up, not the listener
            if (handshaking.remove(socket)) {
                release(socket);
            }
            log(e, "cannot start a thread for a connection from " + remote);
        }
    }

    /** Runs on the new connection's own thread: handshake (TLS), then the reader loop. */
    private void openInbound(Socket socket, StreamListener listener, InetSocketAddress remote) {
        StreamConnection c;
        try {
            sockets.accepted(socket, config.handshakeTimeout());
            c = new StreamConnection(this, socket,
                    new Flow(protocol.name(), listener.localAddress(), remote), true,
                    protocol.secure() ? null : new Target(remote, null));
        } catch (IOException | RuntimeException e) {
            if (handshaking.remove(socket)) {
                release(socket);
                counters.failed();
                event(new ConnectionEvent.Failed(protocol.name(), remote, true,
                        e instanceof IOException io ? io : new IOException(e)));
            } // else close() took the socket: the failure is the transport closing
            return;
        }
        if (!handshaking.remove(socket)) {
            return; // close() took it during the handshake
        }
        counters.sockets(-1); // register counts it again, as a connection
        if (!register(c)) {
            slots.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        counters.accepted();
        c.run();
    }

    /** Adds an open connection; false if the transport closed first. */
    private boolean register(StreamConnection c) {
        boolean added = track(() -> {
            connections.add(c);
            counters.connections(1);
            byFlow.put(c.flow(), c);
            if (c.reuseKey() != null) {
                reusable.put(c.reuseKey(), c);
            }
            return true;
        });
        if (added) {
            watchdog.startOnce(config.threadFactory());
        }
        return added;
    }

    /** Called once by a connection that closed: its socket is already closed. */
    void unregister(StreamConnection c) {
        if (connections.remove(c)) {
            byFlow.remove(c.flow(), c);
            if (c.reuseKey() != null) {
                reusable.remove(c.reuseKey(), c);
            }
            counters.connections(-1);
            counters.sockets(-1);
            slots.decrementAndGet();
        }
    }

    void unregister(StreamListener listener) {
        if (listeners.remove(listener)) {
            counters.listeners(-1);
            counters.sockets(-1);
        }
    }

    /** Runs {@code add} and counts a socket unless the transport is closed. */
    private boolean track(java.util.function.BooleanSupplier add) {
        lifecycle.lock();
        try {
            if (closed) {
                return false;
            }
            add.getAsBoolean();
            counters.sockets(1);
            return true;
        } finally {
            lifecycle.unlock();
        }
    }

    private boolean reserveSlot() {
        int max = config.maxConnections();
        for (int n = slots.get(); n < max; n = slots.get()) {
            if (slots.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Closes an accepted socket that never became a connection and gives back what it held. */
    private void release(Socket socket) {
        closeQuietly(socket);
        counters.sockets(-1);
        slots.decrementAndGet();
    }

    @Override
    public Optional<Connection> find(Flow flow) {
        StreamConnection c = byFlow.get(flow);
        return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
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
        List<StreamListener> openListeners;
        List<StreamConnection> openConnections;
        List<Socket> inHandshake;
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            openListeners = List.copyOf(listeners);
            openConnections = List.copyOf(connections);
            inHandshake = List.copyOf(handshaking);
        } finally {
            lifecycle.unlock();
        }
        openListeners.forEach(StreamListener::close);
        for (Socket s : inHandshake) {
            if (handshaking.remove(s)) {
                release(s);
            }
        }
        openConnections.forEach(StreamConnection::close);
        watchdog.stop();
    }

    // --- for the connections and listeners ---

    TransportConfig config() {
        return config;
    }

    TransportCounters counters() {
        return counters;
    }

    InboundHandler handler() {
        return handler;
    }

    /** Tells the handler; a handler exception is counted and logged, never propagated. */
    void event(ConnectionEvent event) {
        try {
            handler.onEvent(event);
        } catch (RuntimeException e) {
            handlerFailed(e, event);
        }
    }

    void handlerFailed(RuntimeException e, Object what) {
        counters.handlerError();
        LOG.log(Level.WARNING, () -> protocol.name() + " handler failed on " + what, e);
    }

    void log(Throwable e, String what) {
        LOG.log(Level.WARNING, what, e);
    }

    /** A socket timeout in milliseconds: 0 (none) for {@link Duration#ZERO}, at least 1 otherwise. */
    static int millis(Duration d) {
        if (d.isZero()) {
            return 0;
        }
        long ms = Math.max(1, d.toMillis());
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close failed", e);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw closedError();
        }
    }

    private IOException closedError() {
        return new IOException(protocol.name() + " transport is closed");
    }

    @Override
    public String toString() {
        return protocol.name() + " transport";
    }
}
