package sip.router.internal.transaction;

import java.time.Duration;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.TransactionState;
import sip.transport.spi.Connection;

/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2): TRYING → PROCEEDING on 1xx → COMPLETED
 * on a final response (Timer J, zero on reliable transports) → TERMINATED. Retransmitted requests
 * are absorbed in TRYING and answered with the last response afterwards. A CANCEL's own
 * transaction is one of these, carrying the To tag of the INVITE it cancels (§9.2).
 */
final class NonInviteServerMachine extends ServerMachine {

    NonInviteServerMachine(TransactionLayer layer, SipRequest request, Connection arrival, ServerKey key,
                           String toTag) {
        super(layer, request, arrival, key, toTag, TransactionState.TRYING);
    }

    @Override
    synchronized void start() {
        Duration limit = layer.settings.handlerTimeout();
        handlerTimer = scheduleUnlocked(limit, () -> handlerTimeout(500, limit));
    }

    @Override
    void accept(SipResponse response) {
        if (response.statusCode() < 200) {
            state = TransactionState.PROCEEDING;
            return;
        }
        answered = true;
        state = TransactionState.COMPLETED;
        if (!reliable) {
            timeoutTimer = schedule(layer.settings.timers().timeout(), this::terminate);
        }
    }

    @Override
    void sent(int code) {
        if (code >= 200 && reliable) {
            terminate();
        }
    }

    @Override
    synchronized void onRetransmission() {
        if (state == TransactionState.PROCEEDING || state == TransactionState.COMPLETED) {
            resendLast();
        }
    }
}
