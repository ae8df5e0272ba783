package sip.router.internal.transaction;

import sip.message.SipMessage;

/**
 * What ties an ACK for a 2xx to its INVITE client transaction (RFC 3261 §13.2.2.4): the ACK is
 * a new transaction with its own branch, so only the dialog's Call-ID and From tag and the
 * INVITE's CSeq number remain in common.
 */
record AckKey(String callId, long cseq, String fromTag) {

    static AckKey of(SipMessage message) {
        return new AckKey(message.callId(), message.cseq().sequence(), message.fromTag());
    }
}
