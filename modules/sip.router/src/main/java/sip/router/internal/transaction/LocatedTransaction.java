package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.RetryAfter;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.internal.transport.OutboundRequest;
import sip.transport.spi.Flow;

/**
 * A request to a destination the layer located (RFC 3263 §4.3): the located destinations are
 * tried in order, each in a client transaction of its own (a new Via branch; the request is
 * otherwise the same, CSeq included). An attempt that ends with a transport error (the
 * connection cannot be opened, the send fails, or the connection closes before a final
 * response), with Timer B or F, or with a {@code 503} without {@code Retry-After} blocks its
 * destination ({@link BlockedDestinations}) and makes way for the next one; a {@code 503} with
 * {@code Retry-After} blocks it for those seconds and is the answer.
 *
 * <p>The user sees one transaction: {@link #request()} and {@link #flow()} are the current
 * attempt's; the provisional responses of every attempt are passed up in order, the final
 * response only of the last (a failed attempt's {@code 503} or synthesized response is passed up
 * only when there is nothing left to try), and {@link #failure()} says why the last failed.
 * {@link #cancel()} cancels the current attempt and stops further ones.
 *
 * <p>Attempts after the first start on a virtual thread: the failure that ends an attempt is
 * seen on a transport or timer thread, and opening the next connection may block.
 */
final class LocatedTransaction implements ClientTransaction {

    private final TransactionLayer layer;
    /** The request as the user gave it: no Via of ours; each attempt stamps its own. */
    private final SipRequest template;
    private final List<Destination> destinations;
    private final String branchSuffix;
    private final Duration timerC;
    private final Upstream up = new Upstream();

    // guarded by this
    private int next;
    private boolean cancelled;
    /** The attempt the user sees, and the destination as located that it went to. */
    private volatile ClientMachine current;
    private Destination currentDestination;
    /** Between a failed attempt and the next: the state the user sees is still the first one. */
    private volatile boolean switching;

    private LocatedTransaction(TransactionLayer layer, SipRequest template, List<Destination> destinations,
                               String branchSuffix, Duration timerC) {
        this.layer = layer;
        this.template = template;
        this.destinations = destinations;
        this.branchSuffix = branchSuffix;
        this.timerC = timerC;
    }

    /** Starts the first attempt on the caller's thread (which may connect, as prepare always did). */
    static LocatedTransaction start(TransactionLayer layer, SipRequest request, List<Destination> destinations,
                                   String branchSuffix, Duration timerC) {
        LocatedTransaction t = new LocatedTransaction(layer, request, destinations, branchSuffix, timerC);
        t.attempt(null, null);
        return t;
    }

    /**
     * Called by an attempt, under its monitor, with its final response ({@code why} when it was
     * synthesized): true when this takes it to try the next destination instead of passing it up.
     * Never blocks: the next attempt starts on a virtual thread.
     */
    boolean failsOver(ClientMachine attempt, SipResponse response, TransactionFailure why) {
        Destination d;
        synchronized (this) {
            if (attempt != current) {
                return false;
            }
            d = currentDestination;
        }
        if (why == null) {
            if (response.statusCode() != 503) {
                return false;
            }
            Optional<RetryAfter> retry = retryAfter(response);
            if (retry.isPresent()) {
                // The server says when to come back: believed, and the answer (§21.5.4).
                layer.blocked.retryAfter(d, retry.get().seconds());
                return false;
            }
        } else if (!(why instanceof TransactionFailure.TransportError
                || why instanceof TransactionFailure.Timeout t && !t.timer().equals("C"))) {
            return false;
        }
        layer.blocked.failed(d);
        synchronized (this) {
            if (cancelled || next >= destinations.size() || layer.isClosing()) {
                return false;
            }
            switching = true;
        }
        layer.attemptPending();
        Thread.startVirtualThread(() -> {
            try {
                attempt(response, why);
            } finally {
                layer.attemptSettled();
            }
        });
        return true;
    }

    private static Optional<RetryAfter> retryAfter(SipResponse response) {
        try {
            return response.first(HeaderType.RETRY_AFTER);
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable: as if absent
        }
    }

    /**
     * Tries the destinations left until one takes the request; when none does, or this was
     * cancelled meanwhile, passes up {@code held} (the failed attempt's final response), or a
     * synthesized 503 when a connection could not even be opened after it.
     */
    private void attempt(SipResponse held, TransactionFailure heldWhy) {
        TransactionFailure.TransportError lastError = null;
        while (true) {
            Destination d;
            int index;
            synchronized (this) {
                if (cancelled || next >= destinations.size() || current != null && layer.isClosing()) {
                    break;
                }
                index = next++;
                d = destinations.get(index);
            }
            if (index > 0) {
                // A transaction per destination tried, as a lone request's whose connect failed.
                layer.counters.clientCreated.increment();
                layer.counters.failovers.increment();
                TransactionLayer.LOG.debug("{} {}: trying {} (destination {} of {})", template.method(),
                        template.callId(), d, index + 1, destinations.size());
            }
            OutboundRequest out;
            try {
                out = layer.wire.prepareLocated(template, d, branchSuffix);
            } catch (IOException e) {
                layer.counters.transportErrors.increment();
                layer.blocked.failed(d);
                if (lastError != null) {
                    e.addSuppressed(lastError.cause()); // each destination's reason, for the log
                }
                lastError = new TransactionFailure.TransportError(d.toString(), e);
                continue;
            }
            ClientMachine m = template.method().equals(Method.INVITE)
                    ? new InviteClientMachine(layer, template, out, this, up)
                    : new NonInviteClientMachine(layer, template, out, this, up);
            synchronized (this) {
                if (cancelled) {
                    break; // cancelled while connecting: this attempt never leaves
                }
                current = m;
                currentDestination = d;
                switching = false;
            }
            layer.startAttempt(m, timerC);
            return;
        }
        synchronized (this) {
            switching = false;
        }
        if (lastError == null && held != null) {
            up.passUp(held, true, heldWhy);
            layer.clientSettled();
            return;
        }
        TransactionFailure why = lastError != null ? lastError
                : new TransactionFailure.Closed(); // closing before the first attempt
        ClientMachine failed = template.method().equals(Method.INVITE)
                ? new InviteClientMachine(layer, template, null, null, up)
                : new NonInviteClientMachine(layer, template, null, null, up);
        synchronized (this) {
            current = failed;
        }
        failed.fail(why);
    }

    // ------------------------------------------------------------------ ClientTransaction

    @Override
    public SipRequest request() {
        return current.request();
    }

    @Override
    public Optional<Flow> flow() {
        return current.flow();
    }

    @Override
    public TransactionState state() {
        if (switching) {
            return template.method().equals(Method.INVITE) ? TransactionState.CALLING : TransactionState.TRYING;
        }
        return current.state();
    }

    @Override
    public CompletableFuture<SipResponse> response() {
        return up.response();
    }

    @Override
    public List<SipResponse> provisionalResponses() {
        return up.provisionals();
    }

    @Override
    public void onResponse(Consumer<SipResponse> listener) {
        up.listen(listener);
    }

    /** Cancels the current attempt (§9.1, as a lone INVITE's) and stops further attempts. */
    @Override
    public void cancel() {
        if (!template.method().equals(Method.INVITE)) {
            throw new IllegalStateException("only an INVITE can be cancelled, not " + template.method());
        }
        ClientMachine attempt;
        synchronized (this) {
            cancelled = true;
            attempt = current;
        }
        if (attempt != null) {
            attempt.cancel();
        }
    }

    @Override
    public Optional<TransactionFailure> failure() {
        return Optional.ofNullable(up.failure());
    }

    @Override
    public String toString() {
        ClientMachine c = current;
        return "located " + (c == null ? template.method() + " (unsent)" : c.toString());
    }
}
