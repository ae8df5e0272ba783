package sip.router.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.auth.CredentialsProvider;
import sip.transport.spi.Flow;

/**
 * A request exchange whose 401/407 challenges are answered by sending the request again (see
 * {@link ChallengeAnswering}), seen by the caller as one {@link ClientTransaction}: the reads
 * ({@link #request()}, {@link #flow()}, {@link #state()}, {@link #provisionalResponses()},
 * {@link #failure()}) are those of the current attempt; {@link #response()} completes once, with
 * the final response of the last attempt; listeners follow every attempt but never see a
 * challenge that was answered; {@link #cancel()} cancels the live attempt and stops retries.
 */
final class AnsweredTransaction implements ClientTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(AnsweredTransaction.class);
    // Sending may block (locating, connecting) and a future's continuation may run where blocking
    // is not allowed: every retry is sent from a virtual thread of its own.
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    /** One transaction of the exchange and what is done about its final response (decided once). */
    private static final class Attempt {
        final ClientTransaction tx;
        SipResponse decidedFor;
        Optional<SipRequest> retry;

        Attempt(ClientTransaction tx) {
            this.tx = tx;
        }
    }

    private final ChallengeAnswering answering;
    private final Function<SipRequest, ClientTransaction> sender;
    private final CompletableFuture<SipResponse> response = new CompletableFuture<>();
    private final List<Follower> listeners = new ArrayList<>();
    private volatile Attempt current;
    /** Read without the monitor by {@link #decide}, which must not wait behind it. */
    private volatile boolean cancelled;
    /** {@link #stopFailover()} was called: applies to every later attempt too. Monitor. */
    private boolean failoverStopped;

    /**
     * A listener and the lock that keeps its calls one at a time across overlapping attempts: a
     * lock of ours, not the listener's monitor, which its owner may hold for its own reasons.
     */
    private record Follower(Consumer<SipResponse> listener, java.util.concurrent.locks.ReentrantLock lock) {
        Follower(Consumer<SipResponse> listener) {
            this(listener, new java.util.concurrent.locks.ReentrantLock());
        }
    }

    private AnsweredTransaction(CredentialsProvider credentials, Function<SipRequest, ClientTransaction> sender) {
        this.answering = new ChallengeAnswering(credentials);
        this.sender = sender;
    }

    /** Sends {@code request} with {@code sender}, and every retry the same way. */
    static ClientTransaction send(SipRequest request, CredentialsProvider credentials,
                                  Function<SipRequest, ClientTransaction> sender) {
        AnsweredTransaction exchange = new AnsweredTransaction(credentials, sender);
        exchange.start(sender.apply(request));
        return exchange;
    }

    private void start(ClientTransaction tx) {
        Attempt a = new Attempt(tx);
        boolean cancel;
        boolean stopFailover;
        synchronized (this) {
            current = a;
            for (Follower f : listeners) {
                follow(a, f);
            }
            cancel = cancelled;
            stopFailover = failoverStopped;
        }
        if (stopFailover) {
            tx.stopFailover();
        }
        if (cancel) {
            tx.cancel();
        }
        tx.response().thenAcceptAsync(r -> finished(a, r), VIRTUAL);
    }

    private void finished(Attempt a, SipResponse last) {
        Optional<SipRequest> retry = decide(a, last);
        if (retry.isEmpty() || cancelled) {
            // Cancelled while the retry was decided: no new INVITE goes out for a cancelled call.
            response.complete(last);
            return;
        }
        try {
            start(sender.apply(retry.get()));
        } catch (RuntimeException e) {
            // The layer reports network trouble in the response, so this is a bug: the caller
            // still gets an answer, the challenge, rather than a future that never completes.
            LOG.error("retry of {} could not be sent", retry.get().method(), e);
            response.complete(last);
        }
    }

    /**
     * The retry for {@code a}'s final response {@code r}, decided once: listeners ask too. Under
     * the attempt's monitor, not this exchange's: {@link ChallengeAnswering} calls the user's
     * CredentialsProvider, which may be slow, and {@link #cancel()} must not wait behind it.
     * Attempts follow one another, so one attempt's lock is enough for the answering state.
     */
    private Optional<SipRequest> decide(Attempt a, SipResponse r) {
        synchronized (a) {
            return decideLocked(a, r);
        }
    }

    private Optional<SipRequest> decideLocked(Attempt a, SipResponse r) {
        if (a.decidedFor == null) {
            a.decidedFor = r;
            a.retry = cancelled ? Optional.empty() : answering.retryFor(a.tx.request(), r);
        }
        // Only one final response of a transaction can be a challenge; further 2xx responses to
        // an INVITE (retransmissions, forks) never are.
        return a.decidedFor.statusCode() == r.statusCode() ? a.retry : Optional.empty();
    }

    /** Passes {@code a}'s responses to {@code listener}, but not a challenge answered by a retry. */
    private void follow(Attempt a, Follower f) {
        a.tx.onResponse(r -> {
            if (r.statusCode() >= 200 && !cancelled && decide(a, r).isPresent()) {
                return;
            }
            // Attempts overlap by a moment (the last provisional of one may still be with the
            // listener when the next begins): one call at a time, as the contract says.
            f.lock().lock();
            try {
                f.listener().accept(r);
            } finally {
                f.lock().unlock();
            }
        });
    }

    @Override
    public SipRequest request() {
        return current.tx.request();
    }

    @Override
    public Optional<Flow> flow() {
        return current.tx.flow();
    }

    @Override
    public TransactionState state() {
        return current.tx.state();
    }

    @Override
    public CompletableFuture<SipResponse> response() {
        // A copy, so a caller completing it cannot change the outcome.
        return response.copy();
    }

    @Override
    public List<SipResponse> provisionalResponses() {
        return current.tx.provisionalResponses();
    }

    @Override
    public void onResponse(Consumer<SipResponse> listener) {
        Follower f = new Follower(listener);
        synchronized (this) {
            listeners.add(f);
            follow(current, f);
        }
    }

    @Override
    public void cancel() {
        if (!request().method().equals(Method.INVITE)) {
            throw new IllegalStateException("only an INVITE can be cancelled, not " + request().method());
        }
        ClientTransaction live;
        synchronized (this) {
            cancelled = true;
            live = current.tx;
        }
        live.cancel();
    }

    /** The live attempt's failover, and that of every retry after a challenge. */
    @Override
    public void stopFailover() {
        ClientTransaction live;
        synchronized (this) {
            failoverStopped = true;
            live = current.tx;
        }
        live.stopFailover();
    }

    @Override
    public Optional<TransactionFailure> failure() {
        return current.tx.failure();
    }

    @Override
    public String toString() {
        return "AnsweredTransaction[" + current.tx + "]";
    }
}
