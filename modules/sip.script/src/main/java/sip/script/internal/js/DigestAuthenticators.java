package sip.script.internal.js;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import sip.router.auth.DigestAlgorithm;
import sip.router.auth.DigestAuthenticator;
import sip.router.auth.InMemoryCredentialStore;
import sip.script.AuthConfig;

/**
 * The Digest authenticators of {@code sip.auth.check}, shared by every version of one executor:
 * keyed by challenge status (401 for REGISTER, 407 otherwise), realm, algorithms and a digest of the users,
 * so a reload that keeps {@code config.auth} keeps the authenticator — and its nonce-count
 * replay table — and clients' nonces stay valid. At most {@link #MAX} are kept (least recently
 * used dropped): only configured realms reach here, so that bound is only met by many reloads
 * changing the users. Thread-safe.
 */
public final class DigestAuthenticators {

    /** Authenticators kept at most. */
    static final int MAX = 16;

    private final byte[] nonceKey = newKey();
    private final InstantSource clock;
    private final Map<String, DigestAuthenticator> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DigestAuthenticator> eldest) {
            return size() > MAX;
        }
    };

    /** @param clock the clock of nonces */
    public DigestAuthenticators(InstantSource clock) {
        this.clock = clock;
    }

    /** The authenticator for {@code auth}'s realm and users. */
    synchronized DigestAuthenticator get(AuthConfig auth, boolean register) {
        String key = (register ? "401 " : "407 ") + auth.realm().length() + ":" + auth.realm() + " "
                + auth.algorithms() + " " + usersDigest(auth);
        return byKey.computeIfAbsent(key, k -> {
            InMemoryCredentialStore credentials = new InMemoryCredentialStore();
            auth.users().forEach((user, password) -> credentials.add(user, auth.realm(), password));
            return DigestAuthenticator.newBuilder()
                    .realm(auth.realm())
                    .nonceKey(nonceKey)
                    .clock(clock)
                    .credentials(credentials)
                    .proxy(!register)
                    .algorithms(auth.algorithms().toArray(DigestAlgorithm[]::new))
                    .build();
        });
    }

    synchronized int size() {
        return byKey.size();
    }

    // Length-prefixed so that no two user lists give the same text; hashed so the key holds no password.
    private static String usersDigest(AuthConfig auth) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(auth.users()).forEach((u, p) -> sb.append(u.length()).append(':').append(u)
                .append(p.length()).append(':').append(p));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
