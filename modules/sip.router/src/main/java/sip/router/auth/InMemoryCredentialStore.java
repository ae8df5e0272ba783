package sip.router.auth;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CredentialStore} in memory, for tests and small deployments. It keeps only HA1
 * values, one for each of its {@link #algorithms()} per user: {@link #add} hashes the password
 * for each and forgets it; {@link #addHa1} takes pre-hashed values and insists on all of them,
 * so no user can be left without the HA1 a client will answer with (see
 * {@link CredentialStore}). Thread-safe.
 */
public final class InMemoryCredentialStore implements CredentialStore {
    private record Key(String username, String realm) {}

    private final Map<Key, Map<DigestAlgorithm, String>> ha1s = new ConcurrentHashMap<>();
    private final Set<DigestAlgorithm> algorithms;

    /** A store holding an HA1 for every {@link DigestAlgorithm}. */
    public InMemoryCredentialStore() {
        this(DigestAlgorithm.values());
    }

    /**
     * A store holding an HA1 for each of {@code algorithms} per user, for provisioning systems
     * that hand over HA1s for some algorithms only; a {@link DigestAuthenticator} over it may
     * offer only these.
     */
    public InMemoryCredentialStore(DigestAlgorithm... algorithms) {
        if (algorithms.length == 0) {
            throw new IllegalArgumentException("a store holds at least one algorithm");
        }
        this.algorithms = Collections.unmodifiableSet(EnumSet.copyOf(List.of(algorithms)));
    }

    @Override
    public Set<DigestAlgorithm> algorithms() {
        return algorithms;
    }

    /** Adds or replaces {@code username} in {@code realm}, keeping only its HA1 per algorithm. */
    public InMemoryCredentialStore add(String username, String realm, String password) {
        Objects.requireNonNull(password, "password");
        Map<DigestAlgorithm, String> byAlgorithm = new EnumMap<>(DigestAlgorithm.class);
        for (DigestAlgorithm a : algorithms) {
            byAlgorithm.put(a, a.ha1(username, realm, password));
        }
        ha1s.put(new Key(username, realm), byAlgorithm);
        return this;
    }

    /**
     * Adds or replaces {@code username} in {@code realm} with pre-hashed HA1s (lowercase or
     * uppercase hex), as provisioning systems that never see passwords hand them over.
     *
     * @param ha1s an HA1 for each of this store's {@link #algorithms()}, and no other
     * @throws IllegalArgumentException if one is missing or extra (a user lacking the HA1 of
     *     an algorithm offered could never log in), or a value is not hex
     */
    public InMemoryCredentialStore addHa1(String username, String realm, Map<DigestAlgorithm, String> ha1s) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        if (!ha1s.keySet().equals(algorithms)) {
            throw new IllegalArgumentException("HA1s for " + ha1s.keySet() + ", but this store holds one for each of "
                + algorithms + " per user");
        }
        Map<DigestAlgorithm, String> byAlgorithm = new EnumMap<>(DigestAlgorithm.class);
        ha1s.forEach((a, ha1) -> {
            if (!ha1.matches("[0-9a-fA-F]+")) {
                throw new IllegalArgumentException("HA1 must be hex");
            }
            byAlgorithm.put(a, ha1.toLowerCase(Locale.ROOT));
        });
        this.ha1s.put(new Key(username, realm), byAlgorithm);
        return this;
    }

    /** Removes {@code username} from {@code realm}. */
    public boolean remove(String username, String realm) {
        return ha1s.remove(new Key(username, realm)) != null;
    }

    @Override
    public Optional<String> ha1(String username, String realm, DigestAlgorithm algorithm) {
        Map<DigestAlgorithm, String> m = ha1s.get(new Key(username, realm));
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(algorithm));
    }
}
