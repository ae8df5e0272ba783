package sip.transport.tcp.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import sip.transport.spi.CloseReason;
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
 * A stream transport (TCP, or TLS, WS and WSS with their own {@link StreamSockets}): listeners,
 * connections, connection reuse, the connection limit and the counts. Thread-safe.
 *
 * <p>Threads: one per listener accepting, one per connection reading (it runs the handshake of an
 * accepted socket, then {@link StreamConnection#run()}), one per outbound connect in progress (its
 * callers wait for it, so an interrupted caller gives up alone), one per refused connection being
 * reported (the accept loop never calls the handler), and one write watchdog while connections
 * exist; all made by {@link TransportConfig#threadFactory()} (virtual by default).
 *
 * <p>Bookkeeping rule: a socket counts once it is tracked (a listener, a connection, or an accepted
 * socket still in its handshake); whoever removes it from its set owns closing it and un-counting
 * it. Adding with counting, and removing with un-counting, happen under {@link #lifecycle} like
 * {@link #close()}'s snapshot of the sets, so {@link #close()} leaves every live count at zero
 * when it returns: what it did not find was un-counted before it looked.
 */
public class StreamTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(StreamTransport.class.getName());
    private static final int BACKLOG = 256;
    /** The longest a close waits for a TLS peer to take {@code close_notify} (less if the write timeout is). */
    private static final long MAX_CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Refusals being reported at once. A flood of refused connections must neither stall the accept
     * loop behind a slow handler nor pile up threads: beyond this they are counted, not reported.
     */
    private static final int MAX_REFUSALS_IN_FLIGHT = 64;

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
    /**
     * Raw sockets of outbound connections being opened (TCP connect, TLS handshake, WebSocket's
     * HTTP upgrade), from their creation until the framing is open, so {@link #close()} can end
     * any of that at once. Not counted: an outbound socket counts from {@link #register}.
     */
    private final Set<Socket> opening = ConcurrentHashMap.newKeySet();
    private final Map<Flow, StreamConnection> byFlow = new ConcurrentHashMap<>();
    private final Map<Target, StreamConnection> reusable = new ConcurrentHashMap<>();
    /** Connects in progress: a second caller for the same target waits for the first one's result. */
    private final Map<Target, CompletableFuture<StreamConnection>> connecting = new ConcurrentHashMap<>();
    /** Connections open or being opened, checked against the limit before any socket work. */
    private final AtomicInteger slots = new AtomicInteger();
    /**
     * Inbound connections open or handshaking per peer address; an address leaves the map when its
     * count drops to zero, so the map is bounded by the connections themselves.
     */
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Semaphore refusalReports = new Semaphore(MAX_REFUSALS_IN_FLIGHT);
    private final long closeGraceNanos;
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
        long writeTimeout = config.writeTimeout().toNanos();
        this.closeGraceNanos = writeTimeout > 0 ? Math.min(writeTimeout, MAX_CLOSE_GRACE_NANOS) : MAX_CLOSE_GRACE_NANOS;
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

    /**
     * Reuses an open connection to the target, or opens one. Concurrent callers for one target share
     * one attempt, which runs on a thread of the transport's own: a caller interrupted while it waits
     * gives up alone ({@link InterruptedIOException}) and the attempt goes on for the others.
     */
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
        if (inFlight == null) {
            inFlight = mine;
            startConnect(target, mine);
        }
        return await(inFlight);
    }

    /** Runs the attempt for {@code target} on a new thread; its outcome completes {@code attempt}. */
    private void startConnect(Target target, CompletableFuture<StreamConnection> attempt) {
        Runnable connect = () -> {
            // The attempt leaves the map before it completes: a caller that sees it completed must
            // not find it there later, or a connect after the connection closed would get it again.
            StreamConnection result = null;
            Throwable failure = null;
            try {
                // Another connect may have finished between the caller's lookup and claiming the target.
                StreamConnection open = reusable.get(target);
                result = open != null && open.isOpen() ? open : openOutbound(target);
            } catch (Throwable e) { // whatever ends this attempt ends it for every waiting caller
                failure = e;
            } finally {
                connecting.remove(target, attempt);
            }
            if (failure != null) {
                attempt.completeExceptionally(failure);
            } else {
                attempt.complete(result);
            }
        };
        try {
            Thread thread = config.threadFactory().newThread(connect);
            if (thread == null) {
                throw new IllegalStateException("the thread factory refused a thread");
            }
            thread.start();
        } catch (RuntimeException e) {
            connecting.remove(target, attempt);
            attempt.completeExceptionally(new IOException("cannot start a connect to " + target.remote(), e));
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
        StreamSockets.Layered socket = null;
        MessageFraming framing;
        StreamConnection c;
        try {
            // One handshake timeout for TLS and the opening exchange together, as inbound; it
            // counts from before the TCP connect (which has its own timeout) because the sockets
            // do the connect and the TLS handshake in one call.
            long started = System.nanoTime();
            Socket[] created = new Socket[1];
            try {
                socket = sockets.connect(remote, target.serverName(), config.connectTimeout(),
                        config.handshakeTimeout(), raw -> {
                            created[0] = raw;
                            if (!track(opening, raw)) {
                                closeQuietly(raw); // closed already: the connect fails at once
                            }
                        });
                if (created[0] == null) { // sockets that do not hand the raw socket over early
                    created[0] = socket.raw();
                    if (!track(opening, created[0])) {
                        throw closedError();
                    }
                }
                framing = sockets.open(socket, false, target.serverName(), config, handshakeLeft(started));
            } finally {
                if (created[0] != null) {
                    untrack(opening, created[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            slots.decrementAndGet();
            if (socket != null) {
                reset(socket.raw()); // the opening exchange failed: nothing owed to this peer
            }
            if (closed) {
                throw closedError(); // close() ended the exchange: not a failure of the peer's
            }
            counters.failed();
            if (e instanceof IOException io) {
                event(new ConnectionEvent.Failed(protocol.name(), remote, false, io));
            }
            throw e;
        }
        try {
            Flow flow = new Flow(protocol.name(), (InetSocketAddress) socket.raw().getLocalSocketAddress(),
                    (InetSocketAddress) socket.raw().getRemoteSocketAddress());
            c = new StreamConnection(this, socket, framing, flow, false, target);
        } catch (IOException | RuntimeException e) {
            slots.decrementAndGet();
            reset(socket.raw());
            throw e;
        }
        if (!register(c, null)) {
            slots.decrementAndGet();
            reset(socket.raw()); // the transport closed meanwhile: no goodbye owed
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

    /**
     * A socket accepted by {@code listener}; runs on the listener's thread, so it must not block and
     * never calls the handler: a slow handler would stop the accepting, just when a flood of refused
     * connections calls for it most.
     */
    void accepted(Socket socket, StreamListener listener) {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (!reserveAddress(remote.getAddress())) {
            counters.refused(); // first: a peer that sees the close sees it counted
            closeQuietly(socket);
            reportRefusal(remote, new ConnectionLimitException(protocol.name(), remote.getAddress(),
                    config.maxConnectionsPerAddress()));
            return;
        }
        if (!reserveSlot()) {
            releaseAddress(remote.getAddress());
            counters.refused();
            closeQuietly(socket);
            reportRefusal(remote, new ConnectionLimitException(protocol.name(), config.maxConnections()));
            return;
        }
        if (!track(() -> handshaking.add(socket))) {
            slots.decrementAndGet();
            releaseAddress(remote.getAddress());
            closeQuietly(socket);
            return;
        }
        try {
            config.threadFactory().newThread(() -> openInbound(socket, listener, remote)).start();
        } catch (RuntimeException e) { // keep accepting: this socket is given up, not the listener
            release(socket);
            log(e, "cannot start a thread for a connection from " + remote);
        }
    }

    /** Tells the handler of an inbound connection refused by the limit, on a thread of its own. */
    private void reportRefusal(InetSocketAddress remote, ConnectionLimitException why) {
        if (!refusalReports.tryAcquire()) {
            return; // MAX_REFUSALS_IN_FLIGHT reports are still in the handler: counted, not told
        }
        ConnectionEvent refused = new ConnectionEvent.Failed(protocol.name(), remote, true, why);
        try {
            Thread thread = config.threadFactory().newThread(() -> {
                try {
                    event(refused);
                } finally {
                    refusalReports.release();
                }
            });
            if (thread == null) {
                refusalReports.release();
                return;
            }
            thread.start();
        } catch (RuntimeException e) {
            refusalReports.release();
            log(e, "cannot report the refused connection from " + remote);
        }
    }

    /**
     * Runs on the new connection's own thread: handshakes (TLS, then WebSocket's HTTP upgrade, both
     * within one handshake timeout), then the reader loop.
     */
    private void openInbound(Socket socket, StreamListener listener, InetSocketAddress remote) {
        StreamConnection c;
        try {
            long started = System.nanoTime();
            Socket stream = sockets.accepted(socket, config.handshakeTimeout());
            StreamSockets.Layered layered = new StreamSockets.Layered(socket, stream);
            MessageFraming framing = sockets.open(layered, true, null, config, handshakeLeft(started));
            // Inbound connections are never reused for secure protocols: the peer's certificate was
            // not checked against any name we would connect to (RFC 5923 aliases would be needed), so
            // connect(remote, serverName) must open its own, verified connection.
            c = new StreamConnection(this, layered, framing,
                    new Flow(protocol.name(), localOf(socket, listener), remote), true,
                    protocol.secure() ? null : new Target(remote, null));
        } catch (IOException | RuntimeException e) {
            if (release(socket)) {
                counters.failed();
                event(new ConnectionEvent.Failed(protocol.name(), remote, true,
                        e instanceof IOException io ? io : new IOException(e)));
            } // else close() took the socket: the failure is the transport closing
            return;
        }
        if (!register(c, socket)) {
            return; // the transport closed during the handshake: close() closes and un-counts the socket
        }
        counters.accepted();
        c.run();
    }

    /** What is left of the handshake timeout since {@code started}: zero (none) if it is off. */
    private Duration handshakeLeft(long started) {
        Duration timeout = config.handshakeTimeout();
        if (timeout.isZero()) {
            return timeout;
        }
        return Duration.ofNanos(Math.max(1, timeout.toNanos() - (System.nanoTime() - started)));
    }

    /**
     * Adds an open connection; false if the transport closed first.
     *
     * @param handshaken the accepted socket under {@code c}, counted since the accept and tracked
     *     in {@link #handshaking} until now; null for an outbound connection, counted from here
     */
    private boolean register(StreamConnection c, Socket handshaken) {
        lifecycle.lock();
        try {
            if (closed || handshaken != null && !handshaking.remove(handshaken)) {
                return false;
            }
            connections.add(c);
            counters.connections(1);
            if (handshaken == null) {
                counters.sockets(1);
            }
            byFlow.put(c.flow(), c);
            if (c.reuseKey() != null) {
                reusable.put(c.reuseKey(), c);
            }
        } finally {
            lifecycle.unlock();
        }
        watchdog.startOnce(config.threadFactory());
        return true;
    }

    /**
     * Called by a connection that is closing, before it closes its socket (which may take up to the
     * close grace); idempotent.
     */
    void unregister(StreamConnection c) {
        lifecycle.lock();
        try {
            if (connections.remove(c)) {
                byFlow.remove(c.flow(), c);
                if (c.reuseKey() != null) {
                    reusable.remove(c.reuseKey(), c);
                }
                counters.connections(-1);
                counters.sockets(-1);
                slots.decrementAndGet();
                if (c.inbound()) {
                    releaseAddress(c.remoteAddress().getAddress());
                }
            }
        } finally {
            lifecycle.unlock();
        }
    }

    void unregister(StreamListener listener) {
        lifecycle.lock();
        try {
            if (listeners.remove(listener)) {
                counters.listeners(-1);
                counters.sockets(-1);
            }
        } finally {
            lifecycle.unlock();
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

    /** Adds {@code socket} to {@code set} (no counting) unless the transport is closed. */
    private boolean track(Set<Socket> set, Socket socket) {
        lifecycle.lock();
        try {
            if (closed) {
                return false;
            }
            set.add(socket);
            return true;
        } finally {
            lifecycle.unlock();
        }
    }

    private void untrack(Set<Socket> set, Socket socket) {
        lifecycle.lock();
        try {
            set.remove(socket);
        } finally {
            lifecycle.unlock();
        }
    }

    /** Counts one more inbound connection from {@code address}, unless it has its share already. */
    private boolean reserveAddress(InetAddress address) {
        int max = config.maxConnectionsPerAddress();
        boolean[] reserved = {false};
        perAddress.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            reserved[0] = true;
            return now + 1;
        });
        return reserved[0];
    }

    private void releaseAddress(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Peer addresses with inbound connections now (tests: the map must empty as they close). */
    public int addressesTracked() {
        return perAddress.size();
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

    /**
     * Closes an accepted socket that did not become a connection and gives back what it held,
     * unless another thread (close(), or the handshake's failure) took it already; true if this did.
     */
    private boolean release(Socket socket) {
        lifecycle.lock();
        try {
            if (!handshaking.remove(socket)) {
                return false;
            }
            counters.sockets(-1);
            slots.decrementAndGet();
            releaseAddress(socket.getInetAddress());
        } finally {
            lifecycle.unlock();
        }
        closeQuietly(socket); // a raw socket: closing never blocks
        return true;
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
        List<Socket> outboundOpening;
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            openListeners = List.copyOf(listeners);
            openConnections = List.copyOf(connections);
            inHandshake = List.copyOf(handshaking);
            outboundOpening = List.copyOf(opening);
        } finally {
            lifecycle.unlock();
        }
        openListeners.forEach(StreamListener::close);
        inHandshake.forEach(this::release);
        // A plain close (FIN): the connect's thread, blocked in the connect, the TLS handshake or
        // reading the upgrade's answer, fails at once and gives the socket up itself; the server
        // sees the end of the connection.
        outboundOpening.forEach(StreamTransport::closeQuietly);
        // One grace for all: TLS peers that do not take close_notify hold close() up once, not each.
        long graceUntil = System.nanoTime() + closeGraceNanos;
        for (StreamConnection c : openConnections) {
            c.closeBy(graceUntil);
        }
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

    /** How long a close may wait for a TLS peer to take {@code close_notify}: min(1 s, write timeout). */
    long closeGraceNanos() {
        return closeGraceNanos;
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

    /**
     * A socket timeout in milliseconds: 0 (none) for {@link Duration#ZERO}, at least 1 otherwise, so
     * a timeout under a millisecond never becomes "none".
     */
    public static int millis(Duration d) {
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

    /** Closes a raw socket with a reset (SO_LINGER 0): at once, dropping whatever is still unsent. */
    static void reset(Socket raw) {
        try {
            raw.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already, or closing anyway
        }
        closeQuietly(raw);
    }

    /**
     * The accepted socket's own address: on a wildcard listener that names the local IP the peer
     * reached, so two flows from one peer address to two local IPs stay distinct.
     */
    private static InetSocketAddress localOf(Socket socket, StreamListener listener) {
        return socket.getLocalSocketAddress() instanceof InetSocketAddress a ? a : listener.localAddress();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw closedError();
        }
    }

    private IOException closedError() {
        return new ConnectionClosedException(protocol.name(), null, null);
    }

    @Override
    public String toString() {
        return protocol.name() + " transport";
    }
}
