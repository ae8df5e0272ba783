package sip.router;

import java.util.Objects;

/**
 * Why a client transaction ended without a response from the peer. The transaction's
 * {@link ClientTransaction#response()} then completes with a response synthesized locally (RFC
 * 3261 §8.1.3.1): {@code 408} for a timeout, {@code 503} for the others; this says which.
 */
public sealed interface TransactionFailure {

    /** The status of the synthesized response. */
    int status();

    /** A reason for logs and the synthesized response's reason phrase. */
    String reason();

    /**
     * Timer B (INVITE) or F (non-INVITE) fired: no final response within 64×T1; or Timer C: an
     * INVITE rang for {@link UserAgent.Builder#inviteHandlerTimeout} + 64×T1 without a final
     * response, was cancelled, and no final response followed within another 64×T1.
     */
    record Timeout(String timer) implements TransactionFailure {
        public Timeout {
            Objects.requireNonNull(timer, "timer");
        }

        @Override
        public int status() {
            return 408;
        }

        @Override
        public String reason() {
            return "Request Timeout (Timer " + timer + ")";
        }
    }

    /** The request could not be sent, or its connection failed before a final response. */
    record TransportError(String target, Exception cause) implements TransactionFailure {
        public TransportError {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public String reason() {
            return "Service Unavailable (transport error to " + target + ": " + cause.getMessage() + ")";
        }
    }

    /** The target could not be resolved to any destination the user agent has a transport for. */
    record Unresolvable(String target, String detail) implements TransactionFailure {
        public Unresolvable {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public String reason() {
            return "Service Unavailable (cannot resolve " + target + ": " + detail + ")";
        }
    }

    /** The user agent closed before the transaction completed. */
    record Closed() implements TransactionFailure {
        @Override
        public int status() {
            return 503;
        }

        @Override
        public String reason() {
            return "Service Unavailable (user agent closed)";
        }
    }
}
