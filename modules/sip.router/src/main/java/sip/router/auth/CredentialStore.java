package sip.router.auth;

import java.util.Optional;

/**
 * Where a {@link DigestAuthenticator} looks up a user's secret: only
 * HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2), so a leaked store does not
 * hand out passwords (though an HA1 still opens its own realm). A database-backed store
 * implements this; {@link InMemoryCredentialStore} is the default. Called on the thread that
 * calls {@link DigestAuthenticator#authenticate}; must be thread-safe.
 */
@FunctionalInterface
public interface CredentialStore {

    /**
     * The lowercase hex HA1 of {@code username} in {@code realm} for {@code algorithm}, or
     * empty when the user is unknown there.
     */
    Optional<String> ha1(String username, String realm, DigestAlgorithm algorithm);
}
