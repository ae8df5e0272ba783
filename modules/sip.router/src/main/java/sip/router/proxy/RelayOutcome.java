package sip.router.proxy;

import java.util.Objects;
import sip.message.SipResponse;

/**
 * How a {@link Proxy#relay} ended: which final response went upstream and where it came from,
 * or why none did.
 */
public sealed interface RelayOutcome {

    /** True when a 2xx went upstream. */
    boolean isSuccess();

    /**
     * A branch's final response went upstream (RFC 3261 §16.7): the first 2xx, or the best final
     * response once every branch ended — as sent, so with the proxy's Via removed, challenges of
     * other branches merged into a 401/407, and a 503 turned into a 500 (§16.7 item 6). A
     * timed-out or unreachable branch has a locally made 408/503 as its response.
     *
     * @param response the response sent upstream
     * @param branch the branch it came from
     */
    record Forwarded(SipResponse response, Branch branch) implements RelayOutcome {
        public Forwarded {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(branch, "branch");
        }

        @Override
        public boolean isSuccess() {
            return response.statusCode() / 100 == 2;
        }
    }

    /**
     * The proxy answered the request itself, with no branch's response to forward.
     *
     * @param response the response sent upstream
     * @param cause why
     */
    record Answered(SipResponse response, Cause cause) implements RelayOutcome {
        public Answered {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public boolean isSuccess() {
            return false;
        }
    }

    /**
     * Nothing went upstream: the server transaction takes no more responses (answered already,
     * ended by close or a transport error).
     *
     * @param reason what ended it, for logs
     */
    record NotSent(String reason) implements RelayOutcome {
        public NotSent {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isSuccess() {
            return false;
        }
    }

    /** Why the proxy answered a relayed request itself. */
    enum Cause {
        /** {@code 503} with {@code Retry-After}: {@link Proxy.Builder#maxContexts} live contexts. */
        OVERLOADED,
        /** {@code 480}: the target list was empty, and no hook added any. */
        NO_TARGETS,
        /** {@code 487}: a CANCEL arrived before any branch had a provisional response. */
        CANCELLED
    }
}
