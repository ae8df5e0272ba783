package sip.router.internal.transaction;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * on 2xx (Timer M, every further 2xx passed up to the listeners there are, a fork's first kept for
 * later ones) → TERMINATED. Also holds a CANCEL back until a
 * provisional response has arrived (§9.1).
 */
final class InviteClientMachine extends ClientMachine {

    private Duration timerA;
    private byte[] ack;
    private boolean cancelWanted;
    private boolean cancelSent;
    /**
     * The ACKs the user sent for 2xx responses, by the 2xx's To tag (one per fork), resent for
     * every retransmission of that 2xx while ACCEPTED (§13.2.2.4: an ACK for each 2xx).
     */
    private Map<String, OutboundRequest> acks;
    /** The To tags of the 2xx responses passed up (kept once each, ClientMachine#passedUp). */
    private Set<String> okTags;
    /** An ACK for a 2xx is stored: close need not wait for the application to send one. */
    private volatile boolean acked;
    /** A proxy branch's bound on ringing, restarted by each provisional above 100; null: the default. */
    private Duration ringingLimit;

    InviteClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound) {
        super(layer, request, outbound, TransactionState.CALLING);
    }

    /** An attempt of {@code owner}, passing up to {@code up}. */
    InviteClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound,
                        LocatedTransaction owner, Upstream up) {
        super(layer, request, outbound, TransactionState.CALLING, owner, up);
    }

    /** Makes this a proxy branch with {@code limit} as its ringing bound; before {@link #start()}. */
    synchronized void ringingLimit(Duration limit) {
        ringingLimit = limit;
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
     * Parley, would have answered 408 itself, and cancels the INVITE. The machine stays in
     * PROCEEDING so the 487 that follows is ACKed and passed up as usual (§17.1.1.3); only if no
     * final arrives within 64*T1 (§9.1) does the transaction end with a 408 of its own.
     */
    private void timerC() {
        if (state == TransactionState.PROCEEDING) {
            timeoutTimer = schedule(layer.settings.timers().timeout(), this::afterTimerC);
            if (!cancelSent && outbound != null) {
                // Marked here, under the monitor; sent as the held-back CANCEL is (sendHeldCancel).
                cancelSent = true;
                sendHeldCancel();
            }
        }
    }

    private void afterTimerC() {
        if (state == TransactionState.PROCEEDING) {
            layer.counters.timeouts.increment();
            fail(new TransactionFailure.Timeout("C"));
        }
    }

    @Override
    void onResponse(SipResponse response) {
        int code = response.statusCode();
        byte[] ackToSend = null;
        OutboundRequest reAck = null;
        boolean sendCancel = false;
        synchronized (this) {
            switch (state) {
                case CALLING, PROCEEDING -> {
                    if (code < 200) {
                        if (state == TransactionState.CALLING) {
                            state = TransactionState.PROCEEDING;
                            cancel(retransmitTimer);
                            cancel(timeoutTimer);
                            timeoutTimer = schedule(ringingLimit != null ? ringingLimit
                                    : layer.settings.inviteHandlerTimeout().plus(layer.settings.timers().timeout()),
                                    this::timerC);
                        } else if (ringingLimit != null && code > 100 && !cancelSent) {
                            cancel(timeoutTimer); // RFC 3261 §16.6 item 11: Timer C restarts
                            timeoutTimer = schedule(ringingLimit, this::timerC);
                        }
                        if (cancelWanted && !cancelSent) {
                            cancelSent = sendCancel = true;
                        }
                        passUp(response, false);
                    } else if (code < 300) {
                        state = TransactionState.ACCEPTED;
                        layer.accepted(this);
                        cancel(retransmitTimer);
                        cancel(timeoutTimer);
                        endTimer = schedule(layer.settings.timers().timeout(), this::terminate);
                        okTags = new HashSet<>(2);
                        okTags.add(String.valueOf(response.toTag()));
                        passUp(response, true);
                    } else {
                        // Built first: should the response break it, the machine is unchanged.
                        ack = ackFor(response).toBytes();
                        ackToSend = ack;
                        state = TransactionState.COMPLETED;
                        cancel(retransmitTimer);
                        cancel(timeoutTimer);
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
                        reAck = acks == null ? null : acks.get(response.toTag());
                        if (okTags.add(String.valueOf(response.toTag()))) {
                            passUp(response, false); // a fork: its first 2xx
                        } else {
                            passOn(response);
                        }
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
        if (reAck != null) {
            layer.counters.retransmissionsSent.increment();
            try {
                reAck.connection().send(reAck.bytes());
            } catch (IOException e) {
                layer.counters.transportErrors.increment();
            }
        }
        if (sendCancel) {
            sendHeldCancel(); // the CANCEL held back for this 1xx
        }
    }

    /**
     * Sends the CANCEL from a transport or timer thread, which must not wait on a stream peer
     * that stopped reading (it may be the very reader that would deliver this INVITE's
     * response, which needs the monitor): a stream send goes to a virtual thread; a datagram
     * send stays here, in order.
     */
    private void sendHeldCancel() {
        if (reliable) {
            Thread.startVirtualThread(() -> layer.sendCancel(this));
        } else {
            layer.sendCancel(this);
        }
    }

    /**
     * Remembers {@code ack}, sent for a 2xx with {@code toTag}, to resend for that 2xx's
     * retransmissions until the transaction ends (Timer M). The latest ACK per To tag wins.
     */
    synchronized void ackSent(String toTag, OutboundRequest ack) {
        if (state != TransactionState.ACCEPTED || toTag == null) {
            return;
        }
        if (acks == null) {
            acks = new HashMap<>(2);
        }
        acks.put(toTag, ack);
        if (!acked) {
            acked = true;
            layer.clientSettled();
        }
    }

    /**
     * Also while ACCEPTED without an ACK: the application's ACK for the 2xx is on its way, and
     * closing the transports under it would lose it (close's grace period still bounds the wait).
     */
    @Override
    boolean holdsUpClose() {
        return super.holdsUpClose() || state == TransactionState.ACCEPTED && !acked;
    }

    /** Also lets go of the ACKs and To tags kept for the ACCEPTED state. */
    @Override
    void terminate() {
        acks = null;
        okTags = null;
        ack = null;
        super.terminate();
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
