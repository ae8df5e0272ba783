package sip.router.auth;

import java.util.List;
import java.util.Objects;

/** What {@link DigestAuthenticator#authenticate} decided about a request. */
public sealed interface AuthResult {

    /** The request carried valid, fresh credentials of {@code user}. */
    record Authenticated(String user) implements AuthResult {
        public Authenticated {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * Answer {@code status} (401 or 407) with one WWW-Authenticate (or Proxy-Authenticate) field
     * per value, preferred algorithm first (RFC 8760 §2.4).
     *
     * @param status 401 or 407
     * @param headerName {@code WWW-Authenticate} or {@code Proxy-Authenticate}
     * @param headerValues the challenges, each a fresh nonce
     * @param stale true when the credentials were right but their nonce had expired or was
     *     refused, so the client retries without asking its user again (RFC 7616 §3.3)
     */
    record Challenge(int status, String headerName, List<String> headerValues, boolean stale)
            implements AuthResult {
        public Challenge {
            headerValues = List.copyOf(headerValues);
        }
    }

    /** Answer {@code status} with {@code reason}: the credentials were malformed. */
    record Rejected(int status, String reason) implements AuthResult {}
}
