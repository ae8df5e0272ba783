package sip.router.auth;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CredentialStore} in memory, for tests and small deployments. It keeps only HA1
 * values, one per algorithm: {@link #add} hashes the password for every algorithm and forgets
 * it. Thread-safe.
 */
public final class InMemoryCredentialStore implements CredentialStore {
    private record Key(String username, String realm) {}

    private final Map<Key, Map<DigestAlgorithm, String>> ha1s = new ConcurrentHashMap<>();

    /** Adds or replaces {@code username} in {@code realm}, keeping only its HA1 per algorithm. */
    public InMemoryCredentialStore add(String username, String realm, String password) {
        Objects.requireNonNull(password, "password");
        Map<DigestAlgorithm, String> byAlgorithm = new EnumMap<>(DigestAlgorithm.class);
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            byAlgorithm.put(a, a.ha1(username, realm, password));
        }
        ha1s.put(new Key(username, realm), byAlgorithm);
        return this;
    }

    /**
     * Adds a pre-hashed HA1 (lowercase or uppercase hex) for one algorithm, as provisioning
     * systems that never see passwords hand them over.
     */
    public InMemoryCredentialStore addHa1(String username, String realm, DigestAlgorithm algorithm,
                                          String ha1) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!ha1.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("HA1 must be hex");
        }
        ha1s.compute(new Key(username, realm), (k, old) -> {
            Map<DigestAlgorithm, String> m = old == null
                ? new EnumMap<>(DigestAlgorithm.class) : new EnumMap<>(old);
            m.put(algorithm, ha1.toLowerCase(Locale.ROOT));
            return m;
        });
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
