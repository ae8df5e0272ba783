package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import sip.message.HeaderName;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.Scheduler;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.router.internal.transport.OutboundResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;

/**
 * What the two server machines (RFC 3261 §17.2) share: the request, the connection it arrived on,
 * the To tag every response carries, the checks on responses the user sends, the handler
 * timeout, retransmitting the last response, and the end of the transaction. Responses are sent
 * synchronously on the caller's thread, under the machine's monitor so that they leave in order.
 */
abstract sealed class ServerMachine implements ServerTransaction
        permits InviteServerMachine, NonInviteServerMachine {

    private static final HeaderName SERVER = StandardHeader.SERVER;

    final TransactionLayer layer;
    final SipRequest request;
    final Connection arrival;
    final ServerKey key;
    final boolean reliable;
    /** The To tag for every response, when it is not the request's or the builder's own. */
    private final String fixedToTag;

    volatile TransactionState state;
    /** The last response sent, resent for retransmitted requests and by Timer G. */
    OutboundResponse last;
    /** The To tag of the responses sent (RFC 2543 ACK matching). */
    volatile String sentToTag;
    volatile boolean answered;
    /** Whether this transaction has left the layer's count of unanswered ones. */
    private boolean settled;

    Scheduler.Timer handlerTimer;
    Scheduler.Timer retransmitTimer;
    Scheduler.Timer timeoutTimer;
    Scheduler.Timer endTimer;

    ServerMachine(TransactionLayer layer, SipRequest request, Connection arrival, ServerKey key,
                  String fixedToTag, TransactionState initial) {
        this.layer = layer;
        this.request = request;
        this.arrival = arrival;
        this.key = key;
        this.fixedToTag = fixedToTag;
        this.reliable = arrival.protocol().reliable();
        this.state = initial;
    }

    /** Arms the timers that run before any response: handler timeout, 100 Trying. */
    abstract void start();

    /**
     * Moves the machine for {@code response}, already checked, and sends it; the caller holds the
     * monitor.
     */
    abstract void deliver(SipResponse response) throws IOException;

    /** A retransmission of the request arrived. */
    abstract void onRetransmission();

    @Override
    public SipResponse.Builder responseBuilder(int code) {
        SipResponse.Builder b = SipResponse.builder(request, code);
        if (fixedToTag != null && code != 100) {
            b.toTag(fixedToTag);
        }
        return b.setHeader(SERVER, layer.settings.name());
    }

    @Override
    public void respond(int code) throws IOException {
        respond(responseBuilder(code).build());
    }

    @Override
    public void respond(SipResponse response) throws IOException {
        Objects.requireNonNull(response, "response");
        if (!response.callId().equals(request.callId()) || !response.cseq().equals(request.cseq())
                || !response.topVia().equals(request.topVia())) {
            throw new IllegalStateException("response does not answer this request (Via, Call-ID or CSeq differ): "
                    + response.status());
        }
        if (!response.hasHeader(SERVER) || (response.statusCode() != 100 && response.toTag() == null)) {
            SipResponse.Builder b = response.toBuilder();
            if (!response.hasHeader(SERVER)) {
                b.setHeader(SERVER, layer.settings.name());
            }
            if (response.statusCode() != 100 && response.toTag() == null) {
                b.toTag(fixedToTag != null ? fixedToTag : responseBuilder(180).build().toTag());
            }
            response = b.build();
        }
        synchronized (this) {
            if (answered || state == TransactionState.TERMINATED) {
                throw new IllegalStateException("a final response was already sent for " + request.method()
                        + " " + request.callId());
            }
            if (response.statusCode() != 100) {
                sentToTag = response.toTag();
            }
            deliver(response);
            if (answered) {
                settle();
            }
        }
    }

    /** Leaves the layer's count of unanswered transactions, once. Monitor held. */
    private void settle() {
        if (!settled) {
            settled = true;
            layer.serverSettled();
        }
    }

    /** Sends through the transport layer; a failure ends the transaction. Monitor held. */
    final OutboundResponse send(SipResponse response) throws IOException {
        try {
            return layer.wire.sendResponse(response, arrival);
        } catch (IOException | RuntimeException e) {
            terminate();
            throw e;
        }
    }

    /** Sends the last response again (request retransmission, Timer G, 2xx retransmission). */
    final void resend(OutboundResponse response) {
        if (response == null) {
            return;
        }
        layer.counters.retransmissionsSent.increment();
        try {
            response.connection().send(response.bytes());
        } catch (IOException e) {
            layer.counters.transportErrors.increment();
        }
    }

    /**
     * The handler gave no final response in time: answer for it ({@code code}) so the
     * transaction's lifetime stays bounded.
     */
    final void handlerTimeout(int code, Duration after) {
        if (answered) {
            return;
        }
        TransactionLayer.LOG.warn("{} {} not answered by its handler within {}: answering {}",
                request.method(), request.callId(), after, code);
        answerQuietly(code);
    }

    /** Answers {@code code} unless answered already, logging instead of throwing. */
    final void answerQuietly(int code) {
        try {
            respond(code);
        } catch (IOException | IllegalStateException e) {
            TransactionLayer.LOG.debug("could not answer {} to {} {}: {}", code, request.method(),
                    request.callId(), e.toString());
        }
    }

    /** Cancels every timer and leaves the tables. Monitor held. */
    void terminate() {
        if (state == TransactionState.TERMINATED) {
            return;
        }
        state = TransactionState.TERMINATED;
        settle();
        ClientMachine.cancel(handlerTimer);
        ClientMachine.cancel(retransmitTimer);
        ClientMachine.cancel(timeoutTimer);
        ClientMachine.cancel(endTimer);
        layer.serverEnded(this);
    }

    /** Schedules {@code task} to run under this machine's monitor after {@code delay}. */
    final Scheduler.Timer schedule(Duration delay, Runnable task) {
        return layer.settings.scheduler().schedule(delay, () -> {
            synchronized (this) {
                task.run();
            }
        });
    }

    final Duration nextInterval(Duration interval) {
        Duration doubled = interval.multipliedBy(2);
        Duration t2 = layer.settings.timers().t2();
        return doubled.compareTo(t2) < 0 ? doubled : t2;
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Flow flow() {
        return arrival.flow();
    }

    @Override
    public TransactionState state() {
        return state;
    }

    @Override
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void onCancel(Consumer<SipRequest> action) {
        Objects.requireNonNull(action, "action");
    }

    @Override
    public String toString() {
        return request.method() + " server transaction " + request.callId() + " " + state;
    }
}
