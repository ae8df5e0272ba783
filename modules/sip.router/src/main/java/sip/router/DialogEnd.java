package sip.router;

import java.util.Objects;

/**
 * Why a {@link Dialog} ended.
 *
 * @param reason the cause
 * @param status the SIP status involved: the final response that rejected the INVITE, the
 *     response to our BYE (a local 408/503 included), the 481/408 that showed the dialog gone;
 *     0 when no response is involved (BYE received, close)
 */
public record DialogEnd(Reason reason, int status) {

    public DialogEnd {
        Objects.requireNonNull(reason, "reason");
    }

    /** The causes of a dialog's end. */
    public enum Reason {
        /** This side sent a BYE ({@link Dialog#bye()}, or an unwanted fork BYEd by default). */
        BYE_SENT,
        /** The peer sent a BYE (answered {@code 200}). */
        BYE_RECEIVED,
        /** The INVITE got (client) or was answered with (server) a final non-2xx response. */
        REJECTED,
        /** The INVITE was cancelled before its final response ({@code 487}). */
        CANCELLED,
        /**
         * The peer never acknowledged: no ACK for the 2xx within 64×T1 (a BYE is then sent,
         * RFC 3261 §13.3.1.4), or no PRACK for a reliable provisional response within 64×T1
         * (the INVITE is then answered {@code 504}, RFC 3262 §3).
         */
        NO_ACK,
        /**
         * A lifetime bound ran out: a confirmed dialog reached
         * {@link UserAgent.Builder#maxDialogDuration} (a BYE is then sent), or an INVITE was
         * left unanswered until its handler timeout.
         */
        EXPIRED,
        /** The peer no longer knows the dialog: it answered {@code 481}, or a request to it timed out ({@code 408}), RFC 3261 §12.2.1.2. */
        GONE,
        /** A request in the dialog could not be sent at all (a local {@code 503}). */
        TRANSPORT_FAILURE,
        /** The user agent closed (confirmed dialogs get a BYE, pending client INVITEs a CANCEL). */
        CLOSED
    }
}
