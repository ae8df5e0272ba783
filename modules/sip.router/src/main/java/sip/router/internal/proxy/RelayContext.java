package sip.router.internal.proxy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;
import sip.router.proxy.Branch;
import sip.router.proxy.Forking;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;

/**
 * The response context of RFC 3261 §16.7 for one relayed request: its branches (each a client
 * transaction, {@link Leg}), the targets still waiting in a sequential relay, the final responses
 * collected for the best-response choice, and the one final response that goes upstream.
 *
 * <p>Decisions are made under this object's monitor; sends, hooks and the transaction calls that
 * may block happen outside it. Responses of one branch arrive one at a time (the client
 * transaction's listener contract); different branches race, which the monitor settles.
 * Everything sent upstream takes a ticket under the monitor when it is decided and leaves through
 * {@link #sendUpstream} in ticket order, so a 1xx and the final, or a 2xx and a fork's 2xx,
 * leave in the order they were decided whichever thread gets there first. Every ticket taken
 * is sent (or fails), so no sender waits forever.
 */
final class RelayContext {

    private static final Logger log = LoggerFactory.getLogger(RelayContext.class);

    private final ProxyImpl proxy;
    private final Arrival arrival;
    private final ServerTransaction tx;
    private final SipRequest routed;
    private final RelayOptions options;
    private final boolean recordRoute;
    private final boolean invite;
    /** The caller's Via branch: a response with it on top has no Via of the proxy's to strip. */
    private final String upstreamBranch;
    private final CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
    /** The request's Max-Breadth (RFC 5393), shared by the branches running at once. */
    private final int breadth;
    /** The Max-Breadth the branches still pending carry between them; never above {@link #breadth}. */
    private int breadthInUse;
    private final ReentrantLock upstream = new ReentrantLock();
    /** All hook calls of this relay, one at a time, handed over in arrival order (RelayOptions). */
    private final ReentrantLock hooks = new ReentrantLock(true);
    private final java.util.concurrent.locks.Condition turnChanged = upstream.newCondition();
    /** The next ticket to hand out; under this object's monitor. */
    private long nextTicket;
    /** The ticket whose send is next; under {@link #upstream}. */
    private long turn;

    private final List<Leg> legs = new ArrayList<>(2);
    private final Deque<Target> waiting = new ArrayDeque<>();
    private final List<Leg> finalLegs = new ArrayList<>(2);
    private final List<SipResponse> finals = new ArrayList<>(2);
    /** Failure hooks running: their targets may still come. */
    private int hooksRunning;
    /** A 2xx or 6xx arrived, or the request was cancelled: no new branches. */
    private boolean decided;
    /** A 6xx arrived or the caller cancelled: targets still waiting are not tried. */
    private boolean abandoning;
    private boolean cancelled;
    private boolean finalSent;
    private boolean ended;

    RelayContext(ProxyImpl proxy, Arrival arrival, SipRequest routed, RelayOptions options, boolean recordRoute) {
        this.proxy = proxy;
        this.arrival = arrival;
        this.tx = arrival.tx;
        this.routed = routed;
        this.options = options;
        this.recordRoute = recordRoute;
        this.invite = routed.method().equals(Method.INVITE);
        this.upstreamBranch = routed.topVia().branch();
        this.breadth = MaxBreadth.of(routed);
    }

    CompletableFuture<RelayOutcome> outcome() {
        return outcome;
    }

    /**
     * Starts the first branches: the first target of a sequential relay (with the whole
     * Max-Breadth), or in a parallel one as many targets as Max-Breadth and
     * {@link RelayOptions#maxBranches} allow, each with its share of the breadth.
     */
    void start(List<Target> targets) {
        List<Leg> starting = new ArrayList<>();
        synchronized (this) {
            if (options.forking() == Forking.SEQUENTIAL) {
                starting.add(newLeg(targets.getFirst(), breadth));
                waiting.addAll(targets.subList(1, targets.size()));
            } else {
                starting.addAll(newParallelLegs(targets));
            }
        }
        starting.forEach(this::launch);
    }

    /** Monitor held. As many of {@code targets} as the breadth left and the branch budget allow. */
    private List<Leg> newParallelLegs(List<Target> targets) {
        int free = breadth - breadthInUse;
        int n = Math.min(targets.size(), Math.min(free, options.maxBranches() - legs.size()));
        if (n < targets.size()) {
            log.info("{}: {} of {} targets not tried (Max-Breadth left {}, branches {} of {})", this,
                    targets.size() - Math.max(0, n), targets.size(), free, legs.size(), options.maxBranches());
        }
        List<Leg> out = new ArrayList<>(Math.max(0, n));
        for (int i = 0; i < n; i++) {
            out.add(newLeg(targets.get(i), MaxBreadth.share(free, n, i)));
        }
        return out;
    }

    /** Monitor held. */
    private Leg newLeg(Target target, int share) {
        Leg leg = new Leg(new Branch(legs.size(), target), share);
        legs.add(leg);
        breadthInUse += share;
        proxy.counters.liveBranches.incrementAndGet();
        return leg;
    }

    /** Sends a branch on a virtual thread: locating the next hop and connecting may block. */
    private void launch(Leg leg) {
        Thread.startVirtualThread(() -> send(leg));
    }

    private void send(Leg leg) {
        boolean cancelledAlready;
        synchronized (this) {
            cancelledAlready = leg.cancelWanted;
        }
        if (cancelledAlready) {
            failLocally(leg, 487); // cancelled before it left: nothing to cancel downstream
            return;
        }
        BranchBuilder.Prepared prepared;
        try {
            prepared = proxy.branches.build(routed, leg.branch.target(), tx.flow(),
                    recordRoute, options.destination().orElse(null), leg.breadth);
            prepared = new BranchBuilder.Prepared(branchHook(leg, prepared.request()), prepared.destination());
        } catch (RuntimeException e) {
            log.info("{} of {} {} not sent: {}", leg, routed.method(), routed.callId(), e.toString());
            failLocally(leg, 500);
            return;
        }
        ClientTransaction ct;
        try {
            ct = proxy.layer.sendRequest(prepared.request(), prepared.destination(),
                    proxy.keys.branchSuffix(arrival.loopHash, routed), invite ? proxy.config.timerC() : null);
        } catch (RuntimeException e) {
            // A bug or a refusal below must end the branch, or the context would live forever.
            log.warn("{} of {} {} not sent", leg, routed.method(), routed.callId(), e);
            failLocally(leg, 500);
            return;
        }
        boolean cancelNow;
        boolean stopFailover;
        synchronized (this) {
            leg.tx = ct;
            stopFailover = leg.failoverStopped;
            cancelNow = leg.cancelWanted && !leg.done;
            if (cancelNow) {
                leg.cancelTimer = proxy.scheduler.schedule(proxy.timeout(), () -> Thread.startVirtualThread(
                        () -> failLocally(leg, 408)));
            }
            if (!leg.done && invite) {
                leg.timerC = proxy.scheduler.schedule(proxy.config.timerC(), () -> timerC(leg));
            }
            if (!leg.done && options.branchTimeout().isPresent()) {
                leg.branchTimer = proxy.scheduler.schedule(options.branchTimeout().get(), () -> branchTimeout(leg));
            }
            if (!leg.done && !leg.trying && options.responseTimeout().isPresent()) {
                leg.responseTimer = proxy.scheduler.schedule(options.responseTimeout().get(),
                        () -> responseTimeout(leg));
            }
        }
        if (stopFailover) {
            ct.stopFailover();
        }
        if (cancelNow) {
            ct.cancel();
        }
        ct.onResponse(r -> onResponse(leg, r));
    }

    // ------------------------------------------------------------------ responses

    private void onResponse(Leg leg, SipResponse response) {
        SipResponse up = upstreamForm(response, upstreamBranch);
        responseHook(leg, up);
        int code = response.statusCode();
        if (code < 200) {
            provisional(leg, up);
        } else if (code < 300) {
            success(leg, up);
        } else {
            failure(leg, up);
        }
    }

    /**
     * The response without the proxy's Via (§16.7 item 3), decided by the response itself: one
     * from downstream, or made by the branch's transaction from the request as sent, has the
     * proxy's Via on top; one made locally before anything was sent has the caller's, whose
     * branch is {@code upstreamBranch} (the proxy's Via always has a fresh branch of its own).
     * Not from the transaction's current flow: a located branch's attempts change (RFC 3263
     * §4.3) while a response of an earlier one still waits for this listener.
     */
    static SipResponse upstreamForm(SipResponse response, String upstreamBranch) {
        return java.util.Objects.equals(response.topVia().branch(), upstreamBranch)
                ? response : response.toBuilder().removeFirst(HeaderType.VIA).build();
    }

    private void provisional(Leg leg, SipResponse up) {
        boolean forward;
        long ticket;
        synchronized (this) {
            if (leg.done) {
                return;
            }
            leg.trying = true;
            if (leg.responseTimer != null) {
                leg.responseTimer.cancel(); // the next hop is alive: only branchTimeout and Timer C apply now
                leg.responseTimer = null;
            }
            if (up.statusCode() > 100) {
                leg.ringing = true;
                if (leg.timerC != null) {
                    leg.timerC.cancel(); // §16.6 item 11: restarted by each provisional above 100
                    leg.timerC = proxy.scheduler.schedule(proxy.config.timerC(), () -> timerC(leg));
                }
            }
            forward = up.statusCode() > 100 && !finalSent;
            ticket = forward ? nextTicket++ : -1;
        }
        if (forward) {
            sendUpstream(ticket, up);
        }
    }

    private void success(Leg leg, SipResponse up) {
        List<Leg> others;
        boolean first;
        long ticket;
        synchronized (this) {
            markDone(leg);
            first = !finalSent;
            finalSent = true;
            decided = true;
            waiting.clear();
            others = pending();
            ticket = nextTicket++;
        }
        if (first) {
            // Counted before the send (a caller may see the 2xx before the count), taken back
            // below when the 2xx did not go out through the transaction after all.
            proxy.counters.succeeded.increment();
        }
        // The other branches' failover ends before the 2xx goes up, their CANCELs after it (§16.7
        // item 10): once the caller has the 2xx, none of them is sent on to a further destination
        // (RFC 3263 §4.3), however late this thread runs on after the send.
        others.forEach(this::stopFailover);
        boolean sent = sendUpstream(ticket, up);
        if (first) {
            if (!sent) {
                proxy.counters.succeeded.decrement();
                proxy.counters.failed.increment();
            }
            complete(sent ? new RelayOutcome.Forwarded(up, leg.branch)
                    : new RelayOutcome.NotSent("the server transaction took no more responses"));
        }
        others.forEach(this::cancelLeg); // §16.7 item 10
        checkEnd();
    }

    private void failure(Leg leg, SipResponse up) {
        List<Leg> toCancel = List.of();
        boolean callHook;
        synchronized (this) {
            if (leg.done) {
                return; // given up locally already; its own final changes nothing
            }
            markDone(leg);
            finalLegs.add(leg);
            finals.add(up);
            if (up.statusCode() >= 600) {
                decided = true;
                abandoning = true;
                waiting.clear();
                toCancel = pending();
            }
            callHook = !decided && options.onBranchFailure().isPresent();
            if (callHook) {
                hooksRunning++;
            }
        }
        toCancel.forEach(this::cancelLeg);
        if (callHook) {
            List<Target> more = List.of();
            hooks.lock();
            try {
                List<Target> given = options.onBranchFailure().get().apply(leg.branch, up);
                more = given == null ? List.of() : List.copyOf(given);
            } catch (RuntimeException e) {
                log.warn("onBranchFailure hook failed for {} of {}", leg, routed.callId(), e);
            } finally {
                hooks.unlock();
            }
            List<Leg> starting = new ArrayList<>();
            synchronized (this) {
                hooksRunning--;
                if (!decided && !more.isEmpty()) {
                    if (options.forking() == Forking.SEQUENTIAL) {
                        for (int i = more.size() - 1; i >= 0; i--) {
                            waiting.addFirst(more.get(i));
                        }
                    } else {
                        starting.addAll(newParallelLegs(more));
                    }
                }
            }
            starting.forEach(this::launch);
        }
        advance();
    }

    /** Starts the next target of a sequential relay, or sends the final response when it is time. */
    private void advance() {
        Leg next = null;
        SipResponse best = null;
        Leg from = null;
        RelayOutcome.Cause cause = null;
        long ticket = -1;
        synchronized (this) {
            if (finalSent) {
                // nothing to decide
            } else if (!decided && hooksRunning == 0 && pending().isEmpty() && !waiting.isEmpty()
                    && legs.size() < options.maxBranches()) {
                next = newLeg(waiting.poll(), breadth);
            } else if (hooksRunning == 0 && waitedFor() == 0
                    && (abandoning || waiting.isEmpty() || legs.size() >= options.maxBranches())) {
                finalSent = true;
                if (!finals.isEmpty()) {
                    int i = BestResponse.pick(finals);
                    from = finalLegs.get(i);
                    best = BestResponse.withAllChallenges(finals.get(i), finals);
                } else {
                    cause = cancelled ? RelayOutcome.Cause.CANCELLED : RelayOutcome.Cause.NO_TARGETS;
                }
                ticket = nextTicket++;
            }
        }
        if (next != null) {
            launch(next);
            return;
        }
        if (from != null) {
            SipResponse sent = best.statusCode() == 503 ? local(500) : best; // §16.7 item 6
            proxy.counters.failed.increment();
            complete(sendUpstream(ticket, sent) ? new RelayOutcome.Forwarded(sent, from.branch)
                    : new RelayOutcome.NotSent("the server transaction took no more responses"));
        } else if (cause != null) {
            SipResponse sent = local(cause == RelayOutcome.Cause.CANCELLED ? 487 : 480);
            proxy.counters.failed.increment();
            complete(sendUpstream(ticket, sent) ? new RelayOutcome.Answered(sent, cause)
                    : new RelayOutcome.NotSent("the server transaction took no more responses"));
        }
        checkEnd();
    }

    /**
     * Branches the final response waits for: every pending one, also after a 6xx or a CANCEL
     * (§16.7 item 6: the best response is chosen only once every client transaction ended). A
     * cancelled branch without a provisional response still may answer 2xx, which must reach the
     * caller; its CANCEL leaves with its first provisional (§9.1), and the 64×T1 cancel timer
     * ends it with a local 408 when nothing comes. Monitor held.
     */
    private int waitedFor() {
        int n = 0;
        for (Leg l : legs) {
            if (!l.done) {
                n++;
            }
        }
        return n;
    }

    /** Monitor held. */
    private List<Leg> pending() {
        List<Leg> p = new ArrayList<>();
        for (Leg l : legs) {
            if (!l.done) {
                p.add(l);
            }
        }
        return p;
    }

    /** Monitor held. */
    private void markDone(Leg leg) {
        if (!leg.done) {
            leg.done = true;
            breadthInUse -= leg.breadth;
            leg.cancelTimers();
            proxy.counters.liveBranches.decrementAndGet();
        }
    }

    // ------------------------------------------------------------------ cancelling, timers

    /** The upstream CANCEL (§16.10): every pending branch is cancelled, no new one starts. */
    void cancel() {
        List<Leg> toCancel;
        synchronized (this) {
            if (cancelled || finalSent) {
                return;
            }
            cancelled = true;
            decided = true;
            abandoning = true;
            waiting.clear();
            toCancel = pending();
        }
        toCancel.forEach(this::cancelLeg);
        advance();
    }

    /**
     * Cancels an INVITE branch: the CANCEL leaves once a provisional response allows it (§9.1);
     * if no final response follows within 64×T1, the branch counts as a local 408. Other methods
     * cannot be cancelled: their branches end by their transactions' timers, without failover.
     */
    private void cancelLeg(Leg leg) {
        if (!invite) {
            stopFailover(leg);
            return;
        }
        ClientTransaction ct;
        synchronized (this) {
            if (leg.done || leg.cancelWanted) {
                return;
            }
            leg.cancelWanted = true;
            ct = leg.tx;
            if (ct != null) {
                leg.cancelTimer = proxy.scheduler.schedule(proxy.timeout(), () -> Thread.startVirtualThread(
                        () -> failLocally(leg, 408)));
            }
        }
        if (ct != null) {
            ct.cancel();
        }
    }

    /**
     * Ends the RFC 3263 failover of a branch the relay no longer waits for (given up, or another
     * branch answered): its transaction runs out by its own timers, still absorbing late
     * responses, but its request is not sent on to another destination, where it would arrive
     * as a duplicate no one waits for. A branch not sent yet stops once it is ({@link #send}).
     * Needed for every method: only an INVITE's cancel also ends its failover.
     */
    private void stopFailover(Leg leg) {
        ClientTransaction ct;
        synchronized (this) {
            leg.failoverStopped = true;
            ct = leg.tx;
        }
        if (ct != null) {
            ct.stopFailover();
        }
    }

    /** Timer C (§16.6 item 11) on a timer thread. */
    private void timerC(Leg leg) {
        boolean ringing;
        synchronized (this) {
            if (leg.done) {
                return;
            }
            leg.timerC = null;
            ringing = leg.ringing;
        }
        log.info("Timer C fired for {} of INVITE {}: {}", leg, routed.callId(), ringing ? "cancelling" : "408");
        Thread.startVirtualThread(() -> {
            if (ringing) {
                cancelLeg(leg);
            } else {
                giveUp(leg);
            }
        });
    }

    private void branchTimeout(Leg leg) {
        synchronized (this) {
            if (leg.done) {
                return;
            }
            leg.branchTimer = null;
        }
        Thread.startVirtualThread(() -> giveUp(leg));
    }

    /**
     * RelayOptions#responseTimeout on a timer thread: nothing at all came back. The branch ends
     * with a local 408 ({@link #giveUp}); its CANCEL is only held by the transaction (§9.1: none
     * before a provisional), so it leaves only if a late provisional comes. The client
     * transaction is left to its own timers (B or F end it, with no failover to another
     * destination), so a late response is still matched and absorbed by the done branch instead
     * of arriving as stray traffic.
     */
    private void responseTimeout(Leg leg) {
        synchronized (this) {
            if (leg.done || leg.trying) {
                return;
            }
            leg.responseTimer = null;
        }
        log.info("no response within {} on {} of {} {}: 408", options.responseTimeout().get(), leg,
                routed.method(), routed.callId());
        Thread.startVirtualThread(() -> giveUp(leg));
    }

    /**
     * Ends a branch now with a local 408, then cancels what is left of it downstream: in this
     * order, so the 487 the CANCEL brings back finds the branch done and changes nothing. Its
     * failover ends first, for every method.
     */
    private void giveUp(Leg leg) {
        ClientTransaction ct;
        synchronized (this) {
            if (leg.done) {
                return;
            }
            leg.cancelWanted = true;
            ct = leg.tx;
        }
        stopFailover(leg);
        failLocally(leg, 408);
        if (ct != null && invite) {
            ct.cancel();
        }
    }

    /** Ends a branch with a response of our own, as if it had come from downstream. */
    private void failLocally(Leg leg, int code) {
        SipResponse local = SipResponse.builder(routed, code).build();
        responseHook(leg, local);
        failure(leg, local);
    }

    private void responseHook(Leg leg, SipResponse response) {
        options.onResponse().ifPresent(hook -> {
            hooks.lock();
            try {
                hook.accept(leg.branch, response);
            } catch (RuntimeException e) {
                log.warn("onResponse hook failed for {} of {}", leg, routed.callId(), e);
            } finally {
                hooks.unlock();
            }
        });
    }

    /** The branch's request after the onBranch hook; throws when the hook fails or breaks its contract. */
    private SipRequest branchHook(Leg leg, SipRequest built) {
        if (options.onBranch().isEmpty()) {
            return built;
        }
        SipRequest changed;
        hooks.lock();
        try {
            changed = options.onBranch().get().apply(leg.branch, built);
        } finally {
            hooks.unlock();
        }
        if (changed == null) {
            return built;
        }
        if (!changed.method().equals(built.method()) || !changed.callId().equals(built.callId())
                || !changed.cseq().equals(built.cseq()) || !java.util.Objects.equals(changed.fromTag(), built.fromTag())
                || !changed.requestUri().equals(built.requestUri())
                || !changed.headerValues(sip.message.StandardHeader.ROUTE)
                        .equals(built.headerValues(sip.message.StandardHeader.ROUTE))) {
            throw new IllegalArgumentException("onBranch changed the Request-URI, Route, method, Call-ID, CSeq or"
                    + " From tag");
        }
        return changed;
    }

    // ------------------------------------------------------------------ upstream

    /** A response of the proxy's own for the upstream transaction, with its To tag. */
    private SipResponse local(int code) {
        return tx.responseBuilder(code).build();
    }

    /**
     * Sends {@code response} upstream when its {@code ticket}'s turn comes (the order decided);
     * false when the transaction takes no more. A 2xx
     * to INVITE the transaction no longer takes (it ended, or answered otherwise) is forwarded
     * statelessly to its next Via all the same: every 2xx must reach the caller, who ACKs it (and
     * may BYE it) — §16.7 item 10, RFC 6026. Another fork's 2xx to a non-INVITE is dropped.
     */
    private boolean sendUpstream(long ticket, SipResponse response) {
        upstream.lock();
        try {
            while (turn != ticket) {
                turnChanged.awaitUninterruptibly();
            }
            turn++;
            turnChanged.signalAll();
            tx.respond(response);
            return true;
        } catch (IllegalStateException e) { // TransactionEndedException included
            if (invite && response.statusCode() / 100 == 2) {
                proxy.forwardStatelessly(response);
            } else {
                log.debug("{} of {} {} not forwarded: {}", response.statusCode(), routed.method(), routed.callId(),
                        e.getMessage());
            }
            return false;
        } catch (IOException e) {
            log.info("{} of {} {} could not be sent upstream: {}", response.statusCode(), routed.method(),
                    routed.callId(), e.toString());
            return false;
        } finally {
            upstream.unlock();
        }
    }

    private void complete(RelayOutcome o) {
        Thread.startVirtualThread(() -> outcome.complete(o));
    }

    /** The context ends once its final response is decided and every branch is done. */
    private void checkEnd() {
        synchronized (this) {
            if (ended || !finalSent || !pending().isEmpty()) {
                return;
            }
            ended = true;
        }
        proxy.counters.liveContexts.decrementAndGet();
    }

    @Override
    public String toString() {
        return "relay of " + routed.method() + " " + routed.callId();
    }
}
