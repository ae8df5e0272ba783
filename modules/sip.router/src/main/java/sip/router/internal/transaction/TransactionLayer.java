package sip.router.internal.transaction;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.RetryAfter;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.Scheduler;
import sip.router.TransactionEndedException;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.TransactionStats;
import sip.router.internal.Counters;
import sip.router.internal.Settings;
import sip.router.internal.StatelessTag;
import sip.router.internal.transport.InboundSink;
import sip.router.internal.transport.OutboundRequest;
import sip.router.internal.transport.TransportLayer;
import sip.router.internal.transport.UnresolvableException;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;

/**
 * The four transaction machines of RFC 3261 §17 with RFC 6026, their matching tables (§17.1.3,
 * §17.2.3 with the RFC 2543 fallback), CANCEL handling (§9), the server-transaction cap, and the
 * {@link TransportLayer} under them. Every timer runs on {@link Settings#scheduler()}.
 *
 * <p>Thread-safe; inbound messages arrive on transport threads and are never blocked on the user.
 * Every transaction leaves its table when it terminates, so the tables hold live transactions
 * only and their sizes are the live counts.
 */
public final class TransactionLayer implements InboundSink, AutoCloseable {

    static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);

    final Settings settings;
    final Counters counters;
    final Wire wire;
    private final TransactionUser user;

    private final ConcurrentHashMap<ClientKey, ClientMachine> clients = new ConcurrentHashMap<>();
    /**
     * Client transactions on connection-oriented flows, by flow: a closed connection fails only
     * its own (only stream transports report closed flows).
     */
    private final ConcurrentHashMap<Flow, Set<ClientMachine>> byFlow = new ConcurrentHashMap<>();
    /** INVITE client transactions in ACCEPTED, for the ACKs of their 2xx responses. */
    private final ConcurrentHashMap<AckKey, InviteClientMachine> accepted = new ConcurrentHashMap<>();
    private final ServerTable servers = new ServerTable();
    /** Server transactions still waiting for their final response: what the cap limits. */
    private final AtomicInteger unanswered = new AtomicInteger();

    /** Failed destinations, tried last by located requests (RFC 3263 §4.3). */
    final BlockedDestinations blocked;
    /** Located requests between a failed attempt and the next: they hold up close. */
    private final AtomicInteger pendingAttempts = new AtomicInteger();

    private volatile boolean closing;
    private CompletableFuture<Void> closed;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    public TransactionLayer(Settings settings, TransactionUser user) {
        this(settings, user, new Counters());
    }

    /** With {@code counters} shared with the layer above (the server core counts dropped ACKs). */
    public TransactionLayer(Settings settings, TransactionUser user, Counters counters) {
        this(settings, user, counters,
                layer -> new Wire.Transport(new TransportLayer(settings, layer, layer.counters)));
    }

    TransactionLayer(Settings settings, TransactionUser user, Counters counters,
                     Function<TransactionLayer, Wire> wires) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.user = Objects.requireNonNull(user, "user");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.blocked = new BlockedDestinations(settings.scheduler(), settings.destinationBlockTime());
        this.wire = wires.apply(this);
    }

    /** The transport layer under this one (it calls this layer back as its {@link InboundSink}). */
    public TransportLayer transport() {
        if (wire instanceof Wire.Transport(TransportLayer layer)) {
            return layer;
        }
        throw new IllegalStateException("no transport layer under this transaction layer");
    }

    public Listener listen(String protocol, InetSocketAddress local) throws IOException {
        return transport().listen(protocol, local);
    }

    public List<Listener> listeners() {
        return transport().listeners();
    }

    public Set<String> protocols() {
        return transport().protocols();
    }

    /**
     * Starts a client transaction: prepares {@code request} with the transport layer (Via,
     * destination, connection), sends it and runs the machine. Never throws for network trouble:
     * the transaction ends with a synthesized 408/503 instead. ACK and CANCEL are refused.
     *
     * <p>Without an {@code explicit} destination the layer locates the request (RFC 3263) and
     * fails over through the destinations found, blocked ones last ({@link LocatedTransaction}).
     */
    public ClientTransaction sendRequest(SipRequest request, Destination explicit) {
        return sendRequest(request, explicit, null, null);
    }

    /**
     * As {@link #sendRequest(SipRequest, Destination)} for a proxy's branch (RFC 3261 §16.6): the
     * Via branch ends in {@code "." + branchSuffix} (the loop-detection hash), no automatic
     * Contact is added, and a ringing INVITE is ended (CANCEL, then a local 408 64×T1 later) only
     * {@code timerC} + 64×T1 after its last provisional response above 100, so the proxy's own
     * Timer C, restarted by each, acts first.
     */
    public ClientTransaction sendRequest(SipRequest request, Destination explicit, String branchSuffix,
                                         Duration timerC) {
        Method method = request.method();
        if (method.equals(Method.ACK) || method.equals(Method.CANCEL)) {
            throw new IllegalArgumentException(method + " is not sent in a transaction of its own here"
                    + " (ACK of a 2xx: sendStateless; CANCEL: ClientTransaction.cancel())");
        }
        counters.clientCreated.increment();
        if (closing) {
            return failed(request, new TransactionFailure.Closed());
        }
        if (explicit == null) {
            List<Destination> found;
            try {
                found = wire.locate(request);
            } catch (IOException e) {
                return notSent(request, e, request.requestUri().toString());
            }
            if (found != null) {
                return LocatedTransaction.start(this, request, blocked.ordered(found), branchSuffix, timerC);
            }
        }
        OutboundRequest out;
        try {
            out = branchSuffix == null ? wire.prepare(request, explicit)
                    : wire.prepare(request, explicit, branchSuffix);
        } catch (IOException e) {
            return notSent(request, e, explicit != null ? explicit.toString() : request.requestUri().toString());
        }
        if (method.equals(Method.INVITE)) {
            InviteClientMachine invite = new InviteClientMachine(this, request, out);
            if (timerC != null) {
                invite.ringingLimit(timerC.plus(settings.timers().timeout()));
            }
            return start(invite);
        }
        return start(new NonInviteClientMachine(this, request, out));
    }

    /**
     * Starts an attempt of a located transaction ({@link LocatedTransaction}); with
     * {@code timerC}, a proxy branch's ringing bound as {@link #sendRequest(SipRequest,
     * Destination, String, Duration)} says. One that finds the layer closing fails at once.
     */
    void startAttempt(ClientMachine machine, Duration timerC) {
        if (timerC != null && machine instanceof InviteClientMachine invite) {
            invite.ringingLimit(timerC.plus(settings.timers().timeout()));
        }
        if (closing) {
            machine.fail(new TransactionFailure.Closed());
            return;
        }
        start(machine);
    }

    /** A request that could not be located or sent: counted, and ended with its local 503. */
    private ClientMachine notSent(SipRequest request, IOException e, String target) {
        counters.transportErrors.increment();
        return failed(request, e instanceof UnresolvableException u
                ? new TransactionFailure.Unresolvable(u.target(), u.detail())
                : new TransactionFailure.TransportError(target, e));
    }

    private ClientMachine start(ClientMachine machine) {
        clients.put(machine.key, machine);
        if (machine.reliable) {
            byFlow.compute(machine.outbound.connection().flow(), (f, set) -> {
                Set<ClientMachine> s = set != null ? set : ConcurrentHashMap.newKeySet();
                s.add(machine);
                return s;
            });
        }
        machine.start();
        machine.sendFirst();
        return machine;
    }

    void attemptPending() {
        pendingAttempts.incrementAndGet();
    }

    void attemptSettled() {
        pendingAttempts.decrementAndGet();
        checkDrained();
    }

    private ClientMachine failed(SipRequest request, TransactionFailure why) {
        ClientMachine m = request.method().equals(Method.INVITE)
                ? new InviteClientMachine(this, request, null)
                : new NonInviteClientMachine(this, request, null);
        m.fail(why);
        return m;
    }

    /** Sends the CANCEL of {@code invite} in its own transaction, on the INVITE's flow (§9.1). */
    void sendCancel(InviteClientMachine invite) {
        SipRequest cancel = invite.cancelRequest();
        OutboundRequest out = new OutboundRequest(cancel, invite.outbound.destination(),
                invite.outbound.connection(), cancel.toBytes());
        counters.clientCreated.increment();
        start(new NonInviteClientMachine(this, cancel, out));
    }

    /**
     * A request (new Via, located) or response (§18.2.2) without a transaction. An ACK for a 2xx
     * to an INVITE client transaction still ACCEPTED (same Call-ID, From tag, CSeq number) is
     * remembered there and resent for each retransmission of the 2xx with its To tag.
     */
    public SipMessage sendStateless(SipMessage message) throws IOException {
        if (!(message instanceof SipRequest ack) || !ack.method().equals(Method.ACK)) {
            return wire.sendStateless(message, null);
        }
        return sendStateless(ack, null);
    }

    /**
     * An ACK as {@link #sendStateless(SipMessage)} sends it, to {@code explicit} when not null
     * (a proxy forwarding it over the flow of a peer reached only over it), else located.
     */
    public SipRequest sendStateless(SipRequest ack, Destination explicit) throws IOException {
        if (!ack.method().equals(Method.ACK)) {
            throw new IllegalArgumentException("not an ACK: " + ack.method());
        }
        OutboundRequest out = wire.prepare(ack, explicit);
        try {
            out.connection().send(out.bytes());
        } catch (IOException e) {
            counters.transportErrors.increment();
            throw e;
        }
        InviteClientMachine invite = accepted.get(AckKey.of(ack));
        if (invite != null) {
            invite.ackSent(ack.toTag(), out);
        }
        return out.request();
    }

    public TransactionStats stats() {
        return counters.snapshot(clients.size(), servers.size(), blocked.size());
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void onRequest(SipRequest request, Connection connection) {
        try {
            Method method = request.method();
            if (method.equals(Method.ACK)) {
                onAck(request, connection);
            } else if (method.equals(Method.CANCEL)) {
                onCancel(request, connection);
            } else {
                onNewOrRetransmitted(request, connection);
            }
        } catch (RuntimeException e) {
            // A transport thread must survive whatever one message does to us.
            counters.malformedDropped.increment();
            LOG.warn("request dropped: {}", e.toString(), e);
        }
    }

    private void onNewOrRetransmitted(SipRequest request, Connection connection) {
        String method = request.method().name();
        ServerKey key = ServerKey.of(request, method);
        ServerMachine existing = servers.get(key);
        if (existing != null) {
            counters.retransmissionsAbsorbed.increment();
            existing.onRetransmission();
            return;
        }
        if (refused(request, connection)) {
            return;
        }
        ServerMachine machine = request.method().equals(Method.INVITE)
                ? new InviteServerMachine(this, request, connection, key)
                : new NonInviteServerMachine(this, request, connection, key, null);
        if (!register(machine)) {
            return;
        }
        machine.start();
        user.onRequest(machine);
    }

    /**
     * Enters a new server transaction in the table and the unanswered count; false when a copy
     * of its request, arriving on another thread at the same moment, got there first.
     */
    private boolean register(ServerMachine machine) {
        if (!servers.add(machine)) {
            counters.retransmissionsAbsorbed.increment();
            return false;
        }
        unanswered.incrementAndGet();
        counters.serverCreated.increment();
        return true;
    }

    /** New requests are refused while closing and beyond the server-transaction cap. */
    private boolean refused(SipRequest request, Connection connection) {
        if (closing) {
            respondStateless(request, connection, 503, false);
            return true;
        }
        // Only unanswered transactions count: answered ones linger 32 s (Timers J, L) just to
        // absorb retransmissions, so counting them would cap the rate (10,000 / 32 s = 312
        // calls/s) rather than the work waiting for handlers.
        if (unanswered.get() >= settings.maxServerTransactions()) {
            counters.overloadRejected.increment();
            respondStateless(request, connection, 503, true);
            return true;
        }
        return false;
    }

    private void onAck(SipRequest ack, Connection connection) {
        InviteServerMachine invite = servers.inviteOf(ack);
        if (invite != null && invite.onAck()) {
            return;
        }
        InviteServerMachine resending = servers.resending(ack);
        if (resending != null) {
            resending.ackedTwoHundred();
        }
        user.onAck(ack, connection.flow());
    }

    /** Takes CANCELs matching no server transaction instead of the 481; null for the 481. */
    private volatile java.util.function.BiConsumer<SipRequest, sip.transport.spi.Flow> unmatchedCancels;

    /**
     * A stateful proxy's taker of CANCELs that match no transaction (RFC 3261 §16.10: it MUST
     * forward them statelessly), on the transport thread; null restores the 481 of §9.2.
     */
    public void onUnmatchedCancel(java.util.function.BiConsumer<SipRequest, sip.transport.spi.Flow> taker) {
        unmatchedCancels = taker;
    }

    /**
     * RFC 3261 §9.2: 200 in a transaction of its own whenever it matches a server transaction,
     * else 481; only an unanswered INVITE is then ended with 487.
     */
    private void onCancel(SipRequest cancel, Connection connection) {
        ServerKey key = ServerKey.of(cancel, "CANCEL");
        ServerMachine existing = servers.get(key);
        if (existing != null) {
            counters.retransmissionsAbsorbed.increment();
            existing.onRetransmission();
            return;
        }
        ServerMachine target = servers.cancelled(cancel);
        if (target == null) {
            java.util.function.BiConsumer<SipRequest, sip.transport.spi.Flow> taker = unmatchedCancels;
            if (taker != null) {
                taker.accept(cancel, connection.flow()); // a proxy forwards it statelessly (§16.10)
                return;
            }
            respondStateless(cancel, connection, 481, false);
            return;
        }
        // No refusal for load or closing: ending an INVITE early is what both want.
        // §9.2 wants the INVITE's To tag in the 200, but a CANCEL that names a tag of its own
        // (a peer breaking §9.1) gets it back: a response's To equals a tagged request's (§8.2.6.2).
        String toTag = cancel.toTag() != null ? cancel.toTag() : target.toTag();
        NonInviteServerMachine machine = new NonInviteServerMachine(this, cancel, connection, key, toTag);
        if (!register(machine)) {
            return;
        }
        machine.answerQuietly(200);
        if (target instanceof InviteServerMachine invite) {
            invite.cancel(cancel);
        }
    }

    private void respondStateless(SipRequest request, Connection connection, int code, boolean retryAfter) {
        counters.statelessResponses.increment();
        try {
            SipResponse.Builder b = SipResponse.builder(request, code)
                    .setHeader(StandardHeader.SERVER, settings.name());
            if (request.toTag() == null) {
                b.toTag(StatelessTag.of(request)); // §8.2.7: the same tag for every copy
            }
            if (retryAfter) {
                b.set(HeaderType.RETRY_AFTER, RetryAfter.of(settings.retryAfter().toSeconds()));
            }
            wire.sendStateless(b.build(), connection);
        } catch (IOException | RuntimeException e) {
            LOG.debug("stateless {} to {} {} not sent: {}", code, request.method(), request.callId(), e.toString());
        }
    }

    @Override
    public void onResponse(SipResponse response, Connection connection) {
        ClientMachine machine;
        try {
            machine = clients.get(ClientKey.of(response));
        } catch (RuntimeException e) {
            counters.malformedDropped.increment();
            return;
        }
        if (machine == null) {
            counters.strayResponses.increment();
            user.onStrayResponse(response, connection.flow());
            return;
        }
        try {
            machine.onResponse(response);
        } catch (RuntimeException e) {
            // Like onRequest: the transport thread survives, and the transaction must not stay
            // in the table with its timers cancelled.
            counters.malformedDropped.increment();
            LOG.warn("response dropped, ending {}: {}", machine, e.toString(), e);
            machine.abandon(e);
        }
    }

    @Override
    public void onFlowClosed(Flow flow) {
        // A failed connect reports a wildcard local address: no transaction's flow, no match.
        Set<ClientMachine> affected = byFlow.get(flow);
        if (affected != null) {
            for (ClientMachine m : List.copyOf(affected)) {
                m.fail(new TransactionFailure.TransportError(flow.toString(),
                        new IOException("connection closed before a final response: " + flow)));
            }
        }
        try {
            user.onFlowClosed(flow); // bindings reached only over it (Server.onFlowClosed)
        } catch (RuntimeException e) {
            LOG.warn("the transaction user failed on the close of {}", flow, e);
        }
    }

    // ------------------------------------------------------------------ table upkeep

    void clientEnded(ClientMachine machine) {
        if (machine.key != null) {
            clients.remove(machine.key, machine);
            if (machine instanceof InviteClientMachine invite) {
                accepted.remove(AckKey.of(invite.request), invite);
            }
        }
        if (machine.reliable) {
            byFlow.computeIfPresent(machine.outbound.connection().flow(), (f, set) -> {
                set.remove(machine);
                return set.isEmpty() ? null : set;
            });
        }
        checkDrained();
    }

    /** {@code invite} got a 2xx: ACKs sent for it are its until it ends. */
    void accepted(InviteClientMachine invite) {
        accepted.put(AckKey.of(invite.request), invite);
    }

    void serverEnded(ServerMachine machine) {
        servers.remove(machine);
        checkDrained();
    }

    void serverSettled() {
        unanswered.decrementAndGet();
        checkDrained();
    }

    /** A client transaction got its final response (or failed): it no longer holds up close. */
    void clientSettled() {
        checkDrained();
    }

    /** Server transactions waiting for a final response (the overload cap's measure). */
    int unansweredServerTransactions() {
        return unanswered.get();
    }

    void awaitAck(ServerKey.Ack2xx key, InviteServerMachine machine) {
        servers.awaitAck(key, machine);
    }

    void ackArrived(ServerKey.Ack2xx key, InviteServerMachine machine) {
        servers.ackArrived(key, machine);
        checkDrained();
    }

    /**
     * Drained: every request has its final response, both ways, every 2xx we sent has its
     * ACK, and every 2xx we got has the application's ACK (sent through {@link #sendStateless}). What lingers after that (Timers D, I, J, K, L, M) only absorbs retransmissions, so
     * close does not wait for it.
     */
    boolean isClosing() {
        return closing;
    }

    private void checkDrained() {
        if (!closing || drained.isDone() || unanswered.get() > 0 || pendingAttempts.get() > 0
                || servers.anyAwaitingAck()) {
            return;
        }
        for (ClientMachine m : clients.values()) {
            if (m.holdsUpClose()) {
                return;
            }
        }
        drained.complete(null);
    }

    /** True once close need wait no longer: drained, or its grace period is over. */
    boolean isDrained() {
        return drained.isDone();
    }

    // ------------------------------------------------------------------ close

    /**
     * Graceful close: stop listening, answer new requests 503, wait up to {@code grace} (on the
     * scheduler's clock) for live transactions to end, then end the rest and close transports.
     */
    public void close(Duration grace) {
        closeAsync(grace).join();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** {@link #close(Duration)} without waiting: done once everything is closed. */
    CompletableFuture<Void> closeAsync(Duration grace) {
        synchronized (this) {
            if (closed != null) {
                return closed;
            }
            closed = new CompletableFuture<>();
            closing = true;
        }
        try {
            wire.stopListening();
        } catch (RuntimeException e) {
            // Close goes on: `closed` is set, and a later close() would otherwise wait forever.
            LOG.warn("stopping the listeners at close failed", e);
        }
        // No timer for no grace: close then needs no clock to move (a virtual one, say).
        Scheduler.Timer graceTimer = grace.isZero() ? null
                : settings.scheduler().schedule(grace, () -> drained.complete(null));
        if (graceTimer == null) {
            drained.complete(null);
        }
        checkDrained();
        // Ending transactions sends and closing transports may block: not on a timer thread.
        drained.thenRunAsync(() -> {
            try {
                if (graceTimer != null) {
                    graceTimer.cancel();
                }
                endRemaining();
            } catch (RuntimeException e) {
                LOG.warn("ending the transactions at close failed", e);
            } finally {
                try {
                    wire.close();
                } finally {
                    closed.complete(null);
                }
            }
        }, Thread::startVirtualThread);
        return closed;
    }

    /**
     * Ends every transaction: unanswered ones with a 503 / local failure, lingering ones at once.
     * One machine failing to end does not keep the others (or close) from ending; a server
     * transaction whose response is being sent (a handler writing to a stream peer that stopped
     * reading, say) is ended without its 503 rather than waited for.
     */
    private void endRemaining() {
        int unfinished = 0;
        int lingering = 0;
        for (ClientMachine m : clients.values()) {
            if (!m.hasFinalResponse()) {
                unfinished++;
            } else {
                lingering++;
            }
            try {
                m.fail(new TransactionFailure.Closed());
                synchronized (m) {
                    if (m.state != TransactionState.TERMINATED) {
                        m.terminate();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("ending {} at close failed", m, e);
            }
        }
        for (ServerMachine m : servers.all()) {
            if (!m.answered) {
                unfinished++;
            } else {
                lingering++;
            }
            try {
                m.answerAtClose(503);
                synchronized (m) {
                    m.terminate();
                }
            } catch (RuntimeException e) {
                LOG.warn("ending {} at close failed", m, e);
            }
        }
        // Only a transaction still awaiting its final response is a loss someone sees (a 503 or a
        // local failure instead); answered ones lingering for their timers (J, K, H, I...) are the
        // normal state after traffic: ending them is routine.
        if (unfinished > 0) {
            LOG.warn("transactions awaiting a final response at close, ended (503 / local failure): {}", unfinished);
        }
        if (lingering > 0) {
            LOG.debug("answered transactions lingering for their timers at close, ended: {}", lingering);
        }
    }
}
