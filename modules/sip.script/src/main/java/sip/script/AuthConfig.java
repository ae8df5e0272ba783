package sip.script;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import sip.router.auth.DigestAlgorithm;

/**
 * The {@code auth} part of a script's {@code config}: what {@code sip.auth.check} uses.
 *
 * @param realm the Digest realm of challenges
 * @param users user name to password (plain text, as the script gives it)
 * @param algorithms the Digest algorithms offered, one challenge header each, in this order
 *     ({@code config.auth.algorithms}, e.g. {@code ['MD5']}); default {@link #DEFAULT_ALGORITHMS}:
 *     SHA-256 then MD5, as {@link sip.router.auth.DigestAuthenticator} offers them
 */
public record AuthConfig(String realm, Map<String, String> users, List<DigestAlgorithm> algorithms) {

    /** SHA-256 first, MD5 second (RFC 8760: a client answers the first it knows). */
    public static final List<DigestAlgorithm> DEFAULT_ALGORITHMS = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);

    /**
     * @throws IllegalArgumentException if {@code algorithms} is empty or names one twice
     */
    public AuthConfig {
        Objects.requireNonNull(realm, "realm");
        users = Map.copyOf(users);
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty() || algorithms.stream().distinct().count() != algorithms.size()) {
            throw new IllegalArgumentException("algorithms must be non-empty and distinct: " + algorithms);
        }
    }

    /** With the {@link #DEFAULT_ALGORITHMS}. */
    public AuthConfig(String realm, Map<String, String> users) {
        this(realm, users, DEFAULT_ALGORITHMS);
    }

    /** Hides the passwords. */
    @Override
    public String toString() {
        return "AuthConfig[realm=" + realm + ", users=" + users.keySet() + ", algorithms=" + algorithms + "]";
    }
}
