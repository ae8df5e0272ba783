package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Scheduler;
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
        tryingTimer = schedule(layer.settings.tryingDelay(), this::autoTrying);
        Duration limit = layer.settings.inviteHandlerTimeout();
        handlerTimer = schedule(limit, () -> handlerTimeout(408, limit));
    }

    /** §17.2.1: the transaction answers 100 itself when the TU is slow to send anything. */
    private void autoTrying() {
        if (state == TransactionState.PROCEEDING && last == null) {
            answerQuietly(100);
        }
    }

    @Override
    void deliver(SipResponse response) throws IOException {
        int code = response.statusCode();
        if (code < 200) {
            last = send(response);
            ClientMachine.cancel(tryingTimer);
            return;
        }
        ClientMachine.cancel(tryingTimer);
        ClientMachine.cancel(handlerTimer);
        last = send(response);
        answered = true;
        interval = layer.settings.timers().t1();
        if (code < 300) {
            state = TransactionState.ACCEPTED;
            timeoutTimer = schedule(layer.settings.timers().timeout(), this::terminate);
            if (!reliable) {
                // Pragmatic, until the dialog layer (issue 5) owns it: RFC 3261 §13.3.1.4 has
                // the UAS core resend a 2xx until its ACK arrives, and without that a lost 200
                // over UDP (SIPp -lost 10) fails the call. Timer L bounds it.
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
            resend(last);
            interval = nextInterval(interval);
            retransmitTimer = schedule(interval, this::retransmit2xx);
        }
    }

    private void timerG() {
        if (state == TransactionState.COMPLETED) {
            resend(last);
            interval = nextInterval(interval);
            retransmitTimer = schedule(interval, this::timerG);
        }
    }

    private void timerH() {
        if (state == TransactionState.COMPLETED) {
            TransactionLayer.LOG.info("no ACK for the {} to INVITE {} within 64*T1 (Timer H)",
                    last.response().statusCode(), request.callId());
            terminate();
        }
    }

    @Override
    synchronized void onRetransmission() {
        switch (state) {
            case PROCEEDING, COMPLETED -> resend(last);
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
            answerQuietly(487);
            actions = cancelActions;
            cancelActions = null;
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
