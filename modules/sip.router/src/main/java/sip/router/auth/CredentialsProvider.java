package sip.router.auth;

import java.util.Optional;
import sip.message.SipRequest;

/**
 * Where a client finds the credentials for a challenge. Called once per realm challenged; may
 * be called from any thread and must not block for long.
 */
@FunctionalInterface
public interface CredentialsProvider {

    /**
     * The credentials for {@code realm} when sending {@code request}, or empty to leave that
     * challenge unanswered.
     */
    Optional<Credentials> credentialsFor(String realm, SipRequest request);

    /** The same credentials for every realm. */
    static CredentialsProvider of(Credentials credentials) {
        return (realm, request) -> Optional.of(credentials);
    }
}
