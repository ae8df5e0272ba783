package sip.router.internal.dialog;

import java.io.IOException;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.RequestHandler;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;

/**
 * Requests the peer sends in a dialog (RFC 3261 §12.2.2): the CSeq check, then BYE (§15.1.2),
 * PRACK (the server dialog's), re-INVITE ({@link Reinvites}), UPDATE (target refresh, RFC 3311)
 * and the rest, which go to the dialog's handler, else the server's, else {@code 405}.
 */
final class InDialogRequests {

    /** The Allow of a 405 for a method nobody handles in a dialog. */
    private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK, UPDATE";

    private InDialogRequests() {
    }

    static void handle(DialogImpl d, ServerTransaction tx, RequestHandler serverHandler) throws Exception {
        SipRequest r = tx.request();
        Method m = r.method();
        long seq = r.cseq().sequence();
        boolean gone;
        boolean outOfOrder = false;
        synchronized (d) {
            gone = d.state == DialogState.TERMINATED;
            if (!gone) {
                if (d.remoteSeq >= 0 && seq < d.remoteSeq) {
                    outOfOrder = true;
                } else {
                    d.remoteSeq = seq;
                }
            }
        }
        if (gone) {
            respond(tx, 481);
        } else if (outOfOrder) {
            // §12.2.2: lower than the remote sequence number is out of order.
            tx.respond(tx.responseBuilder(500).status(Status.of(500, "CSeq Out Of Order")).build());
        } else if (m.equals(Method.BYE)) {
            d.terminate(DialogEnd.Reason.BYE_RECEIVED, 0);
            d.byeReceived();
            respond(tx, 200);
        } else if (m.equals(Method.PRACK)) {
            d.onPrack(tx);
        } else if (m.equals(Method.INVITE)) {
            d.reinvites.received(tx);
        } else {
            other(d, tx, serverHandler);
        }
    }

    private static void other(DialogImpl d, ServerTransaction tx, RequestHandler serverHandler) throws Exception {
        SipRequest r = tx.request();
        RequestHandler h = d.handlerFor(r.method());
        if (h == null) {
            h = serverHandler;
        }
        if (r.method().equals(Method.UPDATE)) {
            boolean glare;
            synchronized (d) {
                glare = r.bodyLength() > 0 && d.updateOffers > 0;
            }
            if (glare) {
                // RFC 3311 §5.2: an offer crossing our own UPDATE's offer, unanswered yet.
                respond(tx, 491);
                return;
            }
            // RFC 3311 §5.2: UPDATE is a target refresh request; its 2xx carries the answer.
            ServerTransaction observed = new ObservedTransaction(tx, ok -> {
                if (ok.statusCode() / 100 == 2) {
                    synchronized (d) {
                        d.remoteTarget = DialogMessages.contactOr(r, d.remoteTarget);
                        remember(d, ok);
                        heard(d, r);
                    }
                }
            }, failed -> { });
            if (h != null) {
                h.handle(observed);
            } else {
                observed.respond(sessionAnswer(d, observed));
            }
            return;
        }
        if (h == null) {
            tx.respond(tx.responseBuilder(405).setHeader(StandardHeader.ALLOW, ALLOW).build());
        } else {
            h.handle(tx);
        }
    }

    /**
     * The answer to a re-INVITE or UPDATE nobody handles. Only a session refresh is answered
     * {@code 200}: an offer byte-equal to the peer's previous session description gets this
     * side's last one back (RFC 3264 §8: the session does not change); a re-INVITE without an
     * offer gets it as this side's offer; an UPDATE without one, no body. Any other offer
     * changes the session, which only the application can answer: {@code 488 Not Acceptable
     * Here} (RFC 3261 §14.2, RFC 3311 §5.2).
     */
    static SipResponse sessionAnswer(DialogImpl d, ServerTransaction tx) {
        SipRequest r = tx.request();
        boolean offer = r.bodyLength() > 0;
        SipResponse.Builder b = tx.responseBuilder(200);
        synchronized (d) {
            if (offer && !java.util.Arrays.equals(r.body(), d.remoteBody)) {
                return tx.responseBuilder(488).build();
            }
            if ((offer || r.method().equals(Method.INVITE)) && d.lastBody != null) {
                b.body(d.lastType, d.lastBody);
            }
        }
        return b.build();
    }

    /** Keeps the body of {@code m}, from the peer, as its last session description. Monitor of {@code d} held. */
    static void heard(DialogImpl d, sip.message.SipMessage m) {
        if (m.bodyLength() > 0) {
            d.remoteBody = m.body();
        }
    }

    /** Keeps the body of {@code m} as the last session description sent. Monitor of {@code d} held. */
    static void remember(DialogImpl d, sip.message.SipMessage m) {
        if (m.bodyLength() > 0 && m.contentType().isPresent()) {
            d.lastType = m.contentType().get();
            d.lastBody = m.body();
        }
    }

    /** Answers {@code code}, quietly when the transaction already ended (a race with the layer). */
    static void respond(ServerTransaction tx, int code) throws IOException {
        try {
            tx.respond(code);
        } catch (TransactionEndedException e) {
            DialogImpl.LOG.debug("{} not sent to {}: {}", code, tx.request().method(), e.getMessage());
        }
    }
}
