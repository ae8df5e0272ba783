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
 * Everything sent upstream goes through {@link #upstream}, so a 2xx and a fork's 2xx, or a 1xx
 * and the final, leave in the order they were decided.
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
    private final CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
    private final ReentrantLock upstream = new ReentrantLock();

    private final List<Leg> legs = new ArrayList<>(2);
    private final Deque<Target> waiting = new ArrayDeque<>();
    private final List<Leg> finalLegs = new ArrayList<>(2);
    private final List<SipResponse> finals = new ArrayList<>(2);
    /** Failure hooks running: their targets may still come. */
    private int hooksRunning;
    /** A 2xx or 6xx arrived, or the request was cancelled: no new branches. */
    private boolean decided;
    /** A 6xx arrived or the caller cancelled: branches without any provisional are not waited for. */
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
    }

    CompletableFuture<RelayOutcome> outcome() {
        return outcome;
    }

    /** Starts the first branches: every target, or the first one of a sequential relay. */
    void start(List<Target> targets) {
        List<Leg> starting = new ArrayList<>();
        synchronized (this) {
            if (options.forking() == Forking.SEQUENTIAL) {
                starting.add(newLeg(targets.getFirst()));
                waiting.addAll(targets.subList(1, targets.size()));
            } else {
                for (Target t : targets) {
                    starting.add(newLeg(t));
                }
            }
        }
        starting.forEach(this::launch);
    }

    /** Monitor held. */
    private Leg newLeg(Target target) {
        Leg leg = new Leg(new Branch(legs.size(), target));
        legs.add(leg);
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
                    recordRoute, options.destination().orElse(null));
        } catch (RuntimeException e) {
            log.info("{} of {} {} not sent: {}", leg, routed.method(), routed.callId(), e.toString());
            failLocally(leg, 500);
            return;
        }
        ClientTransaction ct = proxy.layer.sendRequest(prepared.request(), prepared.destination(),
                arrival.loopHash, invite ? proxy.config.timerC() : null);
        boolean cancelNow;
        synchronized (this) {
            leg.tx = ct;
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
        }
        if (cancelNow) {
            ct.cancel();
        }
        ct.onResponse(r -> onResponse(leg, r));
    }

    // ------------------------------------------------------------------ responses

    private void onResponse(Leg leg, SipResponse response) {
        SipResponse up = upstreamForm(leg, response);
        options.onResponse().ifPresent(hook -> {
            try {
                hook.accept(leg.branch, up);
            } catch (RuntimeException e) {
                log.warn("onResponse hook failed for {} of {}", leg, routed.callId(), e);
            }
        });
        int code = response.statusCode();
        if (code < 200) {
            provisional(leg, up);
        } else if (code < 300) {
            success(leg, up);
        } else {
            failure(leg, up);
        }
    }

    /** The response without the proxy's Via (§16.7 item 3); a locally made one never had it. */
    private static SipResponse upstreamForm(Leg leg, SipResponse response) {
        ClientTransaction ct = leg.tx;
        return ct != null && ct.flow().isPresent()
                ? response.toBuilder().removeFirst(HeaderType.VIA).build() : response;
    }

    private void provisional(Leg leg, SipResponse up) {
        boolean forward;
        synchronized (this) {
            if (leg.done) {
                return;
            }
            leg.trying = true;
            if (up.statusCode() > 100) {
                leg.ringing = true;
                if (leg.timerC != null) {
                    leg.timerC.cancel(); // §16.6 item 11: restarted by each provisional above 100
                    leg.timerC = proxy.scheduler.schedule(proxy.config.timerC(), () -> timerC(leg));
                }
            }
            forward = up.statusCode() > 100 && !finalSent;
        }
        if (forward) {
            sendUpstream(up);
        }
    }

    private void success(Leg leg, SipResponse up) {
        List<Leg> others;
        boolean first;
        synchronized (this) {
            markDone(leg);
            first = !finalSent;
            finalSent = true;
            decided = true;
            waiting.clear();
            others = pending();
        }
        if (first) {
            proxy.counters.succeeded.increment(); // counted before the send: a test may see the 2xx first
        }
        boolean sent = sendUpstream(up);
        if (first) {
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
            try {
                List<Target> given = options.onBranchFailure().get().apply(leg.branch, up);
                more = given == null ? List.of() : List.copyOf(given);
            } catch (RuntimeException e) {
                log.warn("onBranchFailure hook failed for {} of {}", leg, routed.callId(), e);
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
                        for (Target t : more) {
                            starting.add(newLeg(t));
                        }
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
        synchronized (this) {
            if (finalSent) {
                // nothing to decide
            } else if (!decided && hooksRunning == 0 && pending().isEmpty() && !waiting.isEmpty()) {
                next = newLeg(waiting.poll());
            } else if (hooksRunning == 0 && waitedFor() == 0 && (abandoning || waiting.isEmpty())) {
                finalSent = true;
                if (!finals.isEmpty()) {
                    int i = BestResponse.pick(finals);
                    from = finalLegs.get(i);
                    best = BestResponse.withAllChallenges(finals.get(i), finals);
                } else {
                    cause = cancelled ? RelayOutcome.Cause.CANCELLED : RelayOutcome.Cause.NO_TARGETS;
                }
            }
        }
        if (next != null) {
            launch(next);
            return;
        }
        if (from != null) {
            SipResponse sent = best.statusCode() == 503 ? local(500) : best; // §16.7 item 6
            proxy.counters.failed.increment();
            complete(sendUpstream(sent) ? new RelayOutcome.Forwarded(sent, from.branch)
                    : new RelayOutcome.NotSent("the server transaction took no more responses"));
        } else if (cause != null) {
            SipResponse sent = local(cause == RelayOutcome.Cause.CANCELLED ? 487 : 480);
            proxy.counters.failed.increment();
            complete(sendUpstream(sent) ? new RelayOutcome.Answered(sent, cause)
                    : new RelayOutcome.NotSent("the server transaction took no more responses"));
        }
        checkEnd();
    }

    /**
     * Branches the final response waits for: every pending one; once abandoning (a 6xx, a
     * CANCEL), only INVITE branches that had a provisional response, whose 487 is on its way.
     * Monitor held.
     */
    private int waitedFor() {
        int n = 0;
        for (Leg l : legs) {
            if (!l.done && (!abandoning || invite && l.trying)) {
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
     * cannot be cancelled: their branches end by their transactions' timers.
     */
    private void cancelLeg(Leg leg) {
        if (!invite) {
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
     * Ends a branch now with a local 408, then cancels what is left of it downstream: in this
     * order, so the 487 the CANCEL brings back finds the branch done and changes nothing.
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
        failLocally(leg, 408);
        if (ct != null && invite) {
            ct.cancel();
        }
    }

    /** Ends a branch with a response of our own, as if it had come from downstream. */
    private void failLocally(Leg leg, int code) {
        SipResponse local = SipResponse.builder(routed, code).build();
        options.onResponse().ifPresent(hook -> {
            try {
                hook.accept(leg.branch, local);
            } catch (RuntimeException e) {
                log.warn("onResponse hook failed for {} of {}", leg, routed.callId(), e);
            }
        });
        failure(leg, local);
    }

    // ------------------------------------------------------------------ upstream

    /** A response of the proxy's own for the upstream transaction, with its To tag. */
    private SipResponse local(int code) {
        return tx.responseBuilder(code).build();
    }

    /**
     * Sends {@code response} upstream in order; false when the transaction takes no more. A 2xx
     * to INVITE the transaction no longer takes (it ended, or answered otherwise) is forwarded
     * statelessly to its next Via all the same: every 2xx must reach the caller, who ACKs it (and
     * may BYE it) — §16.7 item 10, RFC 6026. Another fork's 2xx to a non-INVITE is dropped.
     */
    private boolean sendUpstream(SipResponse response) {
        upstream.lock();
        try {
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
