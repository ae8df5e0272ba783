package sip.router.internal.transaction;

import sip.message.SipMessage;

/**
 * A client transaction's id (RFC 3261 §17.1.3): the branch of the top Via it sent and the CSeq
 * method, so a CANCEL (same branch) and its INVITE stay apart.
 */
record ClientKey(String branch, String method) {

    static ClientKey of(SipMessage message) {
        return new ClientKey(message.topVia().branch(), message.cseq().method().name());
    }
}
