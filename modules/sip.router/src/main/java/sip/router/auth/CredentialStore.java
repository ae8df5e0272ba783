package sip.router.auth;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@link DigestAuthenticator} looks up a user's secret: only
 * HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2), so a leaked store does not
 * hand out passwords (though an HA1 still opens its own realm). A database-backed store
 * implements this; {@link InMemoryCredentialStore} is the default. Called on the thread that
 * calls {@link DigestAuthenticator#authenticate}; must be thread-safe.
 *
 * <p>A client answers with the strongest algorithm offered, so a user without an HA1 for it
 * could never log in, however right the password. Hence the rule: a store holds an HA1 for
 * every one of its {@link #algorithms()} for every user it knows, and a
 * {@link DigestAuthenticator} refuses to be built offering an algorithm its store lacks.
 */
@FunctionalInterface
public interface CredentialStore {

    /**
     * The lowercase hex HA1 of {@code username} in {@code realm} for {@code algorithm}, or
     * empty when the user is unknown there.
     */
    Optional<String> ha1(String username, String realm, DigestAlgorithm algorithm);

    /**
     * The algorithms this store has an HA1 for, for every user. Default all of them, as for a
     * store that hashes passwords it holds (or HA1s provisioned for every algorithm).
     */
    default Set<DigestAlgorithm> algorithms() {
        return EnumSet.allOf(DigestAlgorithm.class);
    }
}
