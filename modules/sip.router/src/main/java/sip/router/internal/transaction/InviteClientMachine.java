package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.internal.transport.OutboundRequest;

/**
 * The INVITE client transaction (RFC 3261 §17.1.1 with RFC 6026): CALLING (Timer A on unreliable
 * transports, Timer B) → PROCEEDING → COMPLETED on 300–699 (ACK sent here, Timer D) or ACCEPTED
 * on 2xx (Timer M, every further 2xx passed up) → TERMINATED. Also holds a CANCEL back until a
 * provisional response has arrived (§9.1).
 */
final class InviteClientMachine extends ClientMachine {

    private Duration timerA;
    private byte[] ack;
    private boolean cancelWanted;
    private boolean cancelSent;

    InviteClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound) {
        super(layer, request, outbound, TransactionState.CALLING);
    }

    @Override
    synchronized void start() {
        if (!reliable) {
            timerA = t1();
            retransmitTimer = schedule(timerA, this::timerA);
        }
        timeoutTimer = schedule(layer.settings.timers().timeout(), this::timerB);
    }

    private void timerA() {
        if (state != TransactionState.CALLING) {
            return;
        }
        retransmit();
        if (state == TransactionState.CALLING) {
            timerA = timerA.multipliedBy(2);
            retransmitTimer = schedule(timerA, this::timerA);
        }
    }

    private void timerB() {
        if (state == TransactionState.CALLING) {
            layer.counters.timeouts.increment();
            fail(new TransactionFailure.Timeout("B"));
        }
    }

    /**
     * RFC 3261 leaves a ringing INVITE to the TU (Timer C, §16.6); without this bound an INVITE
     * that rings forever would keep its transaction forever. It fires after the peer, if it were
     * Parley, would have answered 408 itself, cancels the INVITE and ends it with a 408.
     */
    private void timerC() {
        if (state == TransactionState.PROCEEDING) {
            layer.counters.timeouts.increment();
            cancel();
            fail(new TransactionFailure.Timeout("C"));
        }
    }

    @Override
    void onResponse(SipResponse response) {
        int code = response.statusCode();
        byte[] ackToSend = null;
        boolean sendCancel = false;
        synchronized (this) {
            switch (state) {
                case CALLING, PROCEEDING -> {
                    if (code < 200) {
                        if (state == TransactionState.CALLING) {
                            state = TransactionState.PROCEEDING;
                            cancel(retransmitTimer);
                            cancel(timeoutTimer);
                            timeoutTimer = schedule(layer.settings.inviteHandlerTimeout()
                                    .plus(layer.settings.timers().timeout()), this::timerC);
                        }
                        if (cancelWanted && !cancelSent) {
                            cancelSent = sendCancel = true;
                        }
                        passUp(response, false);
                    } else if (code < 300) {
                        state = TransactionState.ACCEPTED;
                        cancel(retransmitTimer);
                        cancel(timeoutTimer);
                        endTimer = schedule(layer.settings.timers().timeout(), this::terminate);
                        passUp(response, true);
                    } else {
                        state = TransactionState.COMPLETED;
                        cancel(retransmitTimer);
                        cancel(timeoutTimer);
                        ack = ackFor(response).toBytes();
                        ackToSend = ack;
                        passUp(response, true);
                        if (reliable) {
                            terminate();
                        } else {
                            endTimer = schedule(layer.settings.timers().timerD(), this::terminate);
                        }
                    }
                }
                case COMPLETED -> {
                    if (code >= 300) {
                        ackToSend = ack;
                    }
                }
                case ACCEPTED -> {
                    if (code >= 200 && code < 300) {
                        passUp(response, false);
                    }
                }
                default -> {
                }
            }
        }
        if (ackToSend != null) {
            try {
                outbound.connection().send(ackToSend);
            } catch (IOException e) {
                layer.counters.transportErrors.increment();
            }
        }
        if (sendCancel) {
            layer.sendCancel(this);
        }
    }

    /** The ACK of a non-2xx final response, RFC 3261 §17.1.1.3. */
    private SipRequest ackFor(SipResponse response) {
        SipRequest.Builder b = SipRequest.builder(Method.ACK, request.requestUri())
                .callId(request.callId())
                .from(request.from())
                .to(response.to())
                .cseq(request.cseq().sequence())
                .via(request.topVia());
        for (NameAddress route : request.all(HeaderType.ROUTE)) {
            b.add(HeaderType.ROUTE, route);
        }
        return b.build();
    }

    /** The CANCEL of this INVITE, RFC 3261 §9.1. */
    SipRequest cancelRequest() {
        SipRequest.Builder b = SipRequest.builder(Method.CANCEL, request.requestUri())
                .callId(request.callId())
                .from(request.from())
                .to(request.to())
                .cseq(request.cseq().sequence())
                .via(request.topVia());
        for (NameAddress route : request.all(HeaderType.ROUTE)) {
            b.add(HeaderType.ROUTE, route);
        }
        return b.build();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelSent || outbound == null) {
                return;
            }
            switch (state) {
                case CALLING -> {
                    cancelWanted = true;
                    return;
                }
                case PROCEEDING -> cancelSent = true;
                default -> {
                    return;
                }
            }
        }
        layer.sendCancel(this);
    }
}
