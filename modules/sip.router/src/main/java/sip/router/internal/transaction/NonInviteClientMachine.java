package sip.router.internal.transaction;

import java.time.Duration;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.internal.transport.OutboundRequest;

/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2): TRYING (Timer E doubling up to T2 on
 * unreliable transports, Timer F) → PROCEEDING (E keeps firing, every T2) → COMPLETED (Timer K)
 * → TERMINATED.
 */
final class NonInviteClientMachine extends ClientMachine {

    private Duration timerE;

    NonInviteClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound) {
        super(layer, request, outbound, TransactionState.TRYING);
    }

    /** An attempt of {@code owner}, passing up to {@code up}. */
    NonInviteClientMachine(TransactionLayer layer, SipRequest request, OutboundRequest outbound,
                           LocatedTransaction owner, Upstream up) {
        super(layer, request, outbound, TransactionState.TRYING, owner, up);
    }

    @Override
    synchronized void start() {
        if (!reliable) {
            timerE = t1();
            retransmitTimer = schedule(timerE, this::timerE);
        }
        timeoutTimer = schedule(layer.settings.timers().timeout(), this::timerF);
    }

    private void timerE() {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return;
        }
        retransmit();
        Duration t2 = layer.settings.timers().t2();
        switch (state) {
            case TRYING -> {
                Duration doubled = timerE.multipliedBy(2);
                timerE = doubled.compareTo(t2) < 0 ? doubled : t2;
            }
            case PROCEEDING -> timerE = t2;
            default -> {
                return;
            }
        }
        retransmitTimer = schedule(timerE, this::timerE);
    }

    private void timerF() {
        if (state == TransactionState.TRYING || state == TransactionState.PROCEEDING) {
            layer.counters.timeouts.increment();
            fail(new TransactionFailure.Timeout("F"));
        }
    }

    @Override
    synchronized void onResponse(SipResponse response) {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return;
        }
        if (response.statusCode() < 200) {
            state = TransactionState.PROCEEDING;
            passUp(response, false);
            return;
        }
        state = TransactionState.COMPLETED;
        cancel(retransmitTimer);
        cancel(timeoutTimer);
        passUp(response, true);
        if (reliable) {
            terminate();
        } else {
            endTimer = schedule(layer.settings.timers().t4(), this::terminate);
        }
    }

    @Override
    public void cancel() {
        throw new IllegalStateException("only an INVITE can be cancelled, not " + request.method());
    }
}
