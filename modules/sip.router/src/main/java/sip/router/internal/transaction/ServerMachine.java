package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import sip.message.HeaderName;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.Scheduler;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;
import sip.router.TransactionState;
import sip.router.internal.transport.OutboundResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;

/**
 * What the two server machines (RFC 3261 §17.2) share: the request, the connection it arrived on,
 * the To tag every response carries, the checks on responses the user sends, the handler
 * timeout, retransmitting the last response, and the end of the transaction.
 *
 * <p>A response is sent on the caller's thread: the state change for it is made under the
 * machine's monitor, the send itself outside it, so ACKs, CANCELs and retransmissions arriving
 * on transport threads are never held up by a slow send. A second lock, taken before the
 * monitor and held across the send, keeps responses on the wire in the order their state changes
 * were made. Nothing may call {@link #respond} while holding the monitor.
 */
abstract sealed class ServerMachine implements ServerTransaction, Forwarding
        permits InviteServerMachine, NonInviteServerMachine {

    private static final HeaderName SERVER = StandardHeader.SERVER;

    final TransactionLayer layer;
    /** Kept after the final response only because {@link #request()} is public API. */
    final SipRequest request;
    final Connection arrival;
    final ServerKey key;
    final boolean reliable;
    /** The To tag for every response, when it is not the request's or the builder's own. */
    private final String fixedToTag;
    /** Held from a response's state change to the end of its send: responses leave in order. */
    private final ReentrantLock sendOrder = new ReentrantLock();

    volatile TransactionState state;
    /**
     * The last response sent, as bytes and the connection they left on, resent for
     * retransmitted requests and by Timer G; null while a response is being sent. No parsed
     * response is kept: answered transactions linger 32 s (Timers J, L) and there are many.
     */
    private byte[] lastBytes;
    private Connection lastConnection;
    /** Whether any response was accepted (the automatic 100 is sent only before one). */
    private boolean responded;
    /** The To tag of the responses sent (RFC 2543 ACK matching). */
    volatile String sentToTag;
    volatile boolean answered;
    /** Who gave the final response, when the layer did; null while unanswered. Monitor. */
    private TransactionEndedException.Reason endedBy;
    /** Whether this transaction has left the layer's count of unanswered ones. */
    private boolean settled;

    /** A proxy forwards responses through this transaction ({@link Forwarding}). */
    volatile boolean forwarding;

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
     * Moves the machine for {@code response}, already checked, before it is sent: state, timers,
     * ACK lookup. The caller holds the monitor.
     */
    abstract void accept(SipResponse response);

    /** After {@code code} went out; the caller holds the monitor. Nothing by default. */
    void sent(int code) {
    }

    /** A retransmission of the request arrived. */
    abstract void onRetransmission();

    /**
     * The To tag every response of this transaction carries: the one sent already, the fixed
     * one, or the request's own (the message model picks one per request and keeps it).
     */
    final String toTag() {
        String sent = sentToTag;
        if (sent != null) {
            return sent;
        }
        return fixedToTag != null ? fixedToTag : responseBuilder(180).build().toTag();
    }

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
        respond(response, false);
    }

    final boolean respond(SipResponse response, boolean onlyFirst) throws IOException {
        return respond(response, onlyFirst, TransactionEndedException.Reason.ANSWERED);
    }

    /**
     * Sends {@code response}; when {@code onlyFirst}, only if no response was sent before (false
     * then). {@code by} is who answers, for a later responder's {@link TransactionEndedException}.
     * Must not be called with the monitor held.
     */
    final boolean respond(SipResponse response, boolean onlyFirst, TransactionEndedException.Reason by)
            throws IOException {
        return respond(response, onlyFirst, by, true);
    }

    /** As above; without {@code waitForSend}, nothing is sent (false) while another send is under way. */
    private boolean respond(SipResponse response, boolean onlyFirst, TransactionEndedException.Reason by,
                            boolean waitForSend) throws IOException {
        Objects.requireNonNull(response, "response");
        if (!response.callId().equals(request.callId()) || !response.cseq().equals(request.cseq())
                || !response.topVia().equals(request.topVia())) {
            throw new IllegalStateException("response does not answer this request (Via, Call-ID or CSeq differ): "
                    + response.status());
        }
        boolean ownTag = !forwarding && response.statusCode() != 100 && response.toTag() == null;
        if (!forwarding && !response.hasHeader(SERVER) || ownTag) {
            SipResponse.Builder b = response.toBuilder();
            if (!response.hasHeader(SERVER)) {
                b.setHeader(SERVER, layer.settings.name());
            }
            if (ownTag) {
                b.toTag(toTag());
            }
            response = b.build();
        }
        if (forwarding && response.statusCode() / 100 == 2 && forwardAnother2xx(response)) {
            return true;
        }
        if (waitForSend) {
            sendOrder.lock();
        } else if (!sendOrder.tryLock()) {
            TransactionLayer.LOG.debug("{} {} not answered {}: a response is being sent", request.method(),
                    request.callId(), response.statusCode());
            return false;
        }
        try {
            synchronized (this) {
                if (onlyFirst && responded) {
                    return false;
                }
                if (answered || state == TransactionState.TERMINATED) {
                    TransactionEndedException.Reason why = endedBy != null ? endedBy
                            : layer.isClosing() ? TransactionEndedException.Reason.CLOSED
                            : TransactionEndedException.Reason.ANSWERED;
                    throw new TransactionEndedException(why, request.method() + " " + request.callId()
                            + " takes no more responses: " + switch (why) {
                                case ANSWERED -> "a final response was already sent";
                                case CANCELLED -> "it was cancelled (487 sent)";
                                case TIMED_OUT -> "its handler timed out";
                                case CLOSED -> "the user agent closed";
                                case TRANSPORT_ERROR -> "sending an earlier response failed";
                            });
                }
                responded = true;
                if (response.statusCode() != 100) {
                    sentToTag = response.toTag();
                }
                lastBytes = null;
                accept(response);
                if (answered) {
                    endedBy = by;
                    ClientMachine.cancel(handlerTimer);
                    handlerTimer = null;
                }
            }
            OutboundResponse out;
            try {
                out = layer.wire.sendResponse(response, responseRoute());
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    if (endedBy == null) {
                        // A failed 1xx: a final response the handler sends later is told why.
                        endedBy = TransactionEndedException.Reason.TRANSPORT_ERROR;
                    }
                    terminate();
                }
                throw e;
            }
            synchronized (this) {
                if (state != TransactionState.TERMINATED) {
                    lastBytes = out.bytes();
                    lastConnection = out.connection();
                    sent(response.statusCode());
                }
                if (answered) {
                    // Only once the final response is out: a closing layer that counted it
                    // answered before the send would close the transport under it.
                    settle();
                }
            }
            return true;
        } finally {
            sendOrder.unlock();
        }
    }

    /**
     * RFC 6026 §7.1: while an INVITE is Accepted, a proxy forwards every further 2xx (other forks,
     * the UAS's retransmissions) as is; the transaction's state and last response stay. False
     * when not Accepted (the first 2xx goes the usual way).
     */
    private boolean forwardAnother2xx(SipResponse response) throws IOException {
        sendOrder.lock();
        try {
            synchronized (this) {
                if (state != TransactionState.ACCEPTED) {
                    return false;
                }
            }
            layer.wire.sendResponse(response, responseRoute());
            return true;
        } finally {
            sendOrder.unlock();
        }
    }

    /**
     * Where the next response starts its §18.2.2 route: over a reliable transport, the connection
     * the last one took while it is open, else the request's. When the request's connection
     * closed, the first response opened another (to {@code received}, or by an RFC 3263 §5
     * lookup of the sent-by, pending until connected): the later responses take it too, so a
     * transaction makes one lookup and one connection, and its responses queue there in order.
     * Unreliable transports route each response by its Via as before.
     */
    private synchronized Connection responseRoute() {
        Connection last = lastConnection;
        return reliable && last != null && last.isOpen() ? last : arrival;
    }

    @Override
    public void forwardResponses() {
        forwarding = true;
    }

    @Override
    public synchronized void relayStarted() {
        ClientMachine.cancel(handlerTimer);
        handlerTimer = null;
    }

    /** Leaves the layer's count of unanswered transactions, once. Monitor held. */
    private void settle() {
        if (!settled) {
            settled = true;
            layer.serverSettled();
        }
    }

    /**
     * Sends the last response again (request retransmission, Timer G, 2xx retransmission); none
     * while the first send of a response is still under way. Monitor held.
     */
    final void resendLast() {
        if (lastBytes == null) {
            return;
        }
        layer.counters.retransmissionsSent.increment();
        try {
            lastConnection.send(lastBytes);
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
        answerQuietly(code, TransactionEndedException.Reason.TIMED_OUT);
    }

    /** Answers {@code code} unless answered already, logging instead of throwing. */
    final void answerQuietly(int code) {
        answerQuietly(code, TransactionEndedException.Reason.ANSWERED);
    }

    /** As {@link #answerQuietly(int)}, the layer answering for {@code by}. */
    final void answerQuietly(int code, TransactionEndedException.Reason by) {
        answerQuietly(code, by, true);
    }

    /**
     * Close's answer: as {@link #answerQuietly(int, TransactionEndedException.Reason)} with
     * {@code CLOSED}, but none while another response is being sent, which may be stuck on a
     * stalled stream peer: close must not wait for it, one transaction after another.
     */
    final void answerAtClose(int code) {
        answerQuietly(code, TransactionEndedException.Reason.CLOSED, false);
    }

    private void answerQuietly(int code, TransactionEndedException.Reason by, boolean waitForSend) {
        try {
            respond(responseBuilder(code).build(), false, by, waitForSend);
        } catch (IOException | IllegalStateException e) {
            TransactionLayer.LOG.debug("could not answer {} to {} {}: {}", code, request.method(),
                    request.callId(), e.toString());
        } catch (RuntimeException e) {
            TransactionLayer.LOG.warn("could not answer {} to {} {}", code, request.method(), request.callId(), e);
        }
    }

    /** Schedules {@code task} after {@code delay} without the monitor: for tasks that respond. */
    final Scheduler.Timer scheduleUnlocked(Duration delay, Runnable task) {
        return layer.settings.scheduler().schedule(delay, task);
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
