package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Scheduler;
import sip.router.TransactionEndedException;
import sip.router.TransactionState;
import sip.transport.spi.Connection;

/**
 * The INVITE server transaction (RFC 3261 §17.2.1 with RFC 6026): PROCEEDING (an automatic
 * {@code 100 Trying} after the trying delay) → COMPLETED on 300–699 (Timer G on unreliable
 * transports, Timer H) → CONFIRMED on ACK (Timer I) → TERMINATED; or ACCEPTED on 2xx (Timer L)
 * → TERMINATED. Also where a CANCEL ends the INVITE with 487 (§9.2).
 */
final class InviteServerMachine extends ServerMachine {

    private Scheduler.Timer tryingTimer;
    private int finalCode;
    private Duration interval;
    private ServerKey.Ack2xx ackKey;
    private volatile boolean cancelled;
    private SipRequest cancel;
    private List<Consumer<SipRequest>> cancelActions;

    InviteServerMachine(TransactionLayer layer, SipRequest request, Connection arrival, ServerKey key) {
        super(layer, request, arrival, key, null, TransactionState.PROCEEDING);
    }

    @Override
    synchronized void start() {
        tryingTimer = scheduleUnlocked(layer.settings.tryingDelay(), this::autoTrying);
        Duration limit = layer.settings.inviteHandlerTimeout();
        handlerTimer = scheduleUnlocked(limit, () -> handlerTimeout(408, limit));
    }

    /** §17.2.1: the transaction answers 100 itself when the TU is slow to send anything. */
    private void autoTrying() {
        try {
            respond(responseBuilder(100).build(), true);
        } catch (IOException | IllegalStateException e) {
            TransactionLayer.LOG.debug("no automatic 100 for INVITE {}: {}", request.callId(), e.toString());
        }
    }

    @Override
    void accept(SipResponse response) {
        int code = response.statusCode();
        ClientMachine.cancel(tryingTimer);
        tryingTimer = null;
        if (code < 200) {
            return;
        }
        answered = true;
        finalCode = code;
        cancelActions = null;
        interval = layer.settings.timers().t1();
        if (code < 300) {
            state = TransactionState.ACCEPTED;
            timeoutTimer = schedule(layer.settings.timers().timeout(), this::terminate);
            if (!reliable && !forwarding) {
                // Pragmatic, until the dialog layer (issue 5) owns it: RFC 3261 §13.3.1.4 has
                // the UAS core resend a 2xx until its ACK arrives, and without that a lost 200
                // over UDP (SIPp -lost 10) fails the call. Timer L bounds it. Registered before
                // the 2xx is sent, so an ACK racing it on another transport thread is matched.
                ackKey = new ServerKey.Ack2xx(request.callId(), request.cseq().sequence(),
                        request.fromTag(), response.toTag());
                layer.awaitAck(ackKey, this);
                retransmitTimer = schedule(interval, this::retransmit2xx);
            }
        } else {
            state = TransactionState.COMPLETED;
            if (!reliable) {
                retransmitTimer = schedule(interval, this::timerG);
            }
            timeoutTimer = schedule(layer.settings.timers().timeout(), this::timerH);
        }
    }

    private void retransmit2xx() {
        if (state == TransactionState.ACCEPTED) {
            resendLast();
            interval = nextInterval(interval);
            retransmitTimer = schedule(interval, this::retransmit2xx);
        }
    }

    private void timerG() {
        if (state == TransactionState.COMPLETED) {
            resendLast();
            interval = nextInterval(interval);
            retransmitTimer = schedule(interval, this::timerG);
        }
    }

    private void timerH() {
        if (state == TransactionState.COMPLETED) {
            TransactionLayer.LOG.info("no ACK for the {} to INVITE {} within 64*T1 (Timer H)",
                    finalCode, request.callId());
            terminate();
        }
    }

    @Override
    synchronized void onRetransmission() {
        switch (state) {
            case PROCEEDING, COMPLETED -> resendLast();
            default -> {
                // ACCEPTED: RFC 6026 §8.5, absorbed; CONFIRMED: the final was received.
            }
        }
    }

    /**
     * An ACK matching this transaction by §17.2.3: true when absorbed (non-2xx final), false
     * when it is the ACK of our 2xx and goes to the user.
     */
    synchronized boolean onAck() {
        switch (state) {
            case COMPLETED -> {
                state = TransactionState.CONFIRMED;
                ClientMachine.cancel(retransmitTimer);
                ClientMachine.cancel(timeoutTimer);
                if (reliable) {
                    terminate();
                } else {
                    endTimer = schedule(layer.settings.timers().t4(), this::terminate);
                }
                return true;
            }
            case CONFIRMED -> {
                return true;
            }
            case ACCEPTED -> {
                ackedTwoHundred();
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /** The ACK of our 2xx arrived: stop resending it; Timer L still absorbs INVITE copies. */
    synchronized void ackedTwoHundred() {
        ClientMachine.cancel(retransmitTimer);
        if (ackKey != null) {
            layer.ackArrived(ackKey, this);
            ackKey = null;
        }
    }

    @Override
    void terminate() {
        if (ackKey != null) {
            layer.ackArrived(ackKey, this);
            ackKey = null;
        }
        ClientMachine.cancel(tryingTimer);
        super.terminate();
    }

    /**
     * A CANCEL matched this INVITE (§9.2): if it is still unanswered, answer 487 and tell the
     * handler.
     */
    void cancel(SipRequest cancelRequest) {
        List<Consumer<SipRequest>> actions;
        synchronized (this) {
            if (answered || state != TransactionState.PROCEEDING) {
                return;
            }
            cancelled = true;
            cancel = cancelRequest;
            actions = cancelActions;
            cancelActions = null;
        }
        // The CANCEL's transport thread must not wait on a stream peer that stopped reading
        // (the INVITE's connection); a datagram send stays on it, in order. A proxy answers
        // once its branches did (RFC 3261 §16.10).
        if (forwarding) {
            TransactionLayer.LOG.debug("INVITE {} cancelled, its proxy answers", request.callId());
        } else if (reliable) {
            Thread.startVirtualThread(() -> answerQuietly(487, TransactionEndedException.Reason.CANCELLED));
        } else {
            answerQuietly(487, TransactionEndedException.Reason.CANCELLED);
        }
        if (actions != null) {
            for (Consumer<SipRequest> a : actions) {
                Thread.startVirtualThread(() -> a.accept(cancelRequest));
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(java.util.function.Consumer<SipRequest> action) {
        super.onCancel(action);
        SipRequest now;
        synchronized (this) {
            if (!cancelled) {
                if (answered) {
                    return; // too late to be cancelled: nothing to keep
                }
                if (cancelActions == null) {
                    cancelActions = new ArrayList<>(1);
                }
                cancelActions.add(action);
                return;
            }
            now = cancel;
        }
        Thread.startVirtualThread(() -> action.accept(now));
    }
}
