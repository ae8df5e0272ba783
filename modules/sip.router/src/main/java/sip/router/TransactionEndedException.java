package sip.router;

import java.util.Objects;

/**
 * Thrown by {@link ServerTransaction#respond} when the transaction can take no more responses,
 * with the reason: a handler still working when the layer ended its request (a CANCEL, the
 * handler timeout, close) learns so from {@link #reason()} and can stop quietly.
 */
public final class TransactionEndedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Who ended the transaction. */
    public enum Reason {
        /** A final response was already sent by the application (a second one is a bug). */
        ANSWERED,
        /** A CANCEL arrived and the layer answered {@code 487} (RFC 3261 §9.2). */
        CANCELLED,
        /** The handler did not answer in time and the layer answered {@code 408}/{@code 500}. */
        TIMED_OUT,
        /** The user agent closed and the layer answered {@code 503} or dropped the transaction. */
        CLOSED,
        /**
         * Sending an earlier response (a provisional one) failed and the transaction ended with
         * it (RFC 3261 §17.2.4): nothing more can reach the client this way; not a handler bug.
         */
        TRANSPORT_ERROR
    }

    private final Reason reason;

    public TransactionEndedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
