package sip.router.internal.transaction;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Status;
import sip.router.ClientTransaction;
import sip.router.Scheduler;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.internal.transport.OutboundRequest;
import sip.transport.spi.Flow;
import sip.transport.spi.MessageTooLargeException;
import sip.transport.spi.TransportException;

/**
 * What the two client machines (RFC 3261 §17.1) share: the request as sent, the responses passed
 * up, the future of the final one, local failure and the end of the transaction. State changes
 * happen under the machine's monitor; user code (listeners, future dependants) never runs there.
 */
abstract sealed class ClientMachine implements ClientTransaction
        permits InviteClientMachine, NonInviteClientMachine {

    final TransactionLayer layer;
    final SipRequest request;
    /** Null when the request could not be prepared: the machine then only carries its failure. */
    final OutboundRequest outbound;
    final boolean reliable;
    final ClientKey key;

    volatile TransactionState state;
    /** What the user sees: this machine's own, or that of the located transaction it is an attempt of. */
    final Upstream up;
    /** The located transaction this machine is an attempt of; null when it stands alone. */
    final LocatedTransaction owner;
    private volatile TransactionFailure failure;
    /** A final response was passed up (the peer's or a synthesized one), or taken by the owner. */
    private volatile boolean finalSeen;

    Scheduler.Timer retransmitTimer;
    Scheduler.Timer timeoutTimer;
    Scheduler.Timer endTimer;

    ClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound, TransactionState initial) {
        this(layer, request, outbound, initial, null, new Upstream());
    }

    ClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound, TransactionState initial,
                  LocatedTransaction owner, Upstream up) {
        this.layer = layer;
        this.owner = owner;
        this.up = up;
        this.request = outbound == null ? request : outbound.request();
        this.outbound = outbound;
        this.reliable = outbound != null && outbound.connection().protocol().reliable();
        this.key = outbound == null ? null : ClientKey.of(this.request);
        this.state = initial;
    }

    /** Arms the machine's timers; the layer then sends the request ({@link #sendFirst}). */
    abstract void start();

    /** A response whose branch and CSeq method match this transaction. */
    abstract void onResponse(SipResponse response);

    /** Sends the request for the first time; a failure ends the transaction with a 503. */
    final void sendFirst() {
        try {
            outbound.connection().send(outbound.bytes());
        } catch (IOException e) {
            sendFailed(e);
        }
    }

    /** Sends the request again (Timers A and E); the caller holds the monitor. */
    final void retransmit() {
        layer.counters.retransmissionsSent.increment();
        try {
            outbound.connection().send(outbound.bytes());
        } catch (IOException e) {
            sendFailed(e);
        }
    }

    /**
     * The request could not be sent: counted, logged, and the transaction ends with its 503,
     * which a proxy passes upstream as a 500 (RFC 3261 §16.7 item 6), so this log line is the only
     * place the cause shows. The network's doing (a reset, a closed connection, a write timeout, a
     * connection limit) is logged at INFO in one line; anything else (the transport refusing a
     * message by its size, an unknown failure) is a fault of this stack's choices, at WARN with
     * the stack trace.
     */
    private void sendFailed(IOException e) {
        layer.counters.transportErrors.increment();
        String target = outbound.destination().toString();
        if (networkFailure(e)) {
            TransactionLayer.LOG.info("{} {} not sent to {}: {}", request.method(), request.callId(), target, e.toString());
        } else {
            TransactionLayer.LOG.warn("{} {} not sent to {}; the transaction ends with a 503", request.method(),
                    request.callId(), target, e);
        }
        fail(new TransactionFailure.TransportError(target, e));
    }

    /** Whether a send failed for the network's or the peer's reasons rather than this stack's. */
    static boolean networkFailure(IOException e) {
        return switch (e) {
            case MessageTooLargeException tooLarge -> false; // the transport refused what the layer chose
            case TransportException t -> true; // closed, connection limit, TLS
            case SocketException s -> true; // reset, refused, unreachable
            case InterruptedIOException timeout -> true; // the write timeout
            default -> false;
        };
    }

    /**
     * Ends the transaction with a response synthesized locally (RFC 3261 §8.1.3.1), unless a
     * final response already arrived.
     */
    final void fail(TransactionFailure why) {
        SipResponse synthesized;
        synchronized (this) {
            if (state == TransactionState.COMPLETED || state == TransactionState.ACCEPTED
                    || state == TransactionState.TERMINATED) {
                return;
            }
            failure = why;
            synthesized = SipResponse.builder(request, why.status())
                    .status(Status.of(why.status(), oneLine(why.reason())))
                    .build();
            passUp(synthesized, true);
            terminate();
        }
    }

    /**
     * Processing a response failed: end with a local failure unless a final response is already
     * passed up, and leave the table either way.
     */
    final void abandon(RuntimeException cause) {
        fail(new TransactionFailure.TransportError(
                outbound == null ? String.valueOf(request.requestUri()) : outbound.destination().toString(), cause));
        synchronized (this) {
            if (state != TransactionState.TERMINATED) {
                terminate();
            }
        }
    }

    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * Hands {@code response} to listeners (in order, on a virtual thread) and, when
     * {@code completes}, to the future; unless it is a final response the located transaction
     * this is an attempt of takes to fail over to its next destination (RFC 3263 §4.3). The
     * caller holds the monitor, which keeps the order.
     */
    final void passUp(SipResponse response, boolean completes) {
        if (completes) {
            finalSeen = true;
            if (owner == null || !owner.failsOver(this, response, failure)) {
                up.passUp(response, true, failure);
            }
            layer.clientSettled();
        } else {
            up.passUp(response, false, null);
        }
    }

    /**
     * Hands {@code response} to the listeners there are now, without keeping it for later ones:
     * for a repeat of a response already kept. The caller holds the monitor.
     */
    final void passOn(SipResponse response) {
        up.passOn(response);
    }

    /** True once the final response is passed up. */
    final boolean hasFinalResponse() {
        return finalSeen;
    }

    /** True while close should wait for this transaction: until its final response. */
    boolean holdsUpClose() {
        return !finalSeen;
    }

    /** Cancels every timer and leaves the table; the caller holds the monitor. */
    void terminate() {
        state = TransactionState.TERMINATED;
        cancel(retransmitTimer);
        cancel(timeoutTimer);
        cancel(endTimer);
        layer.clientEnded(this);
    }

    /** Schedules {@code task} to run under this machine's monitor after {@code delay}. */
    final Scheduler.Timer schedule(Duration delay, Runnable task) {
        return layer.settings.scheduler().schedule(delay, () -> {
            synchronized (this) {
                task.run();
            }
        });
    }

    static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    final Duration t1() {
        return layer.settings.timers().t1();
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Optional<Flow> flow() {
        return outbound == null ? Optional.empty() : Optional.of(outbound.connection().flow());
    }

    @Override
    public TransactionState state() {
        return state;
    }

    @Override
    public CompletableFuture<SipResponse> response() {
        // A copy, so a caller completing it cannot change the outcome; its dependants still run
        // where the original completes, on a virtual thread.
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

    @Override
    public Optional<TransactionFailure> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return request.method() + " client transaction " + (key == null ? "(unsent)" : key.branch()) + " " + state;
    }
}
