package sip.router.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces: {@code base64url(t || r || HMAC-SHA256(key, t || r || realm))}, t the issue
 * time in epoch milliseconds as 8 big-endian bytes, r 16 random bytes. Only the holder of the
 * key can make one, and its age is read back from the nonce itself, so no table of issued
 * nonces is kept and servers sharing the key accept each other's nonces (replay tracking,
 * {@link NonceCounts}, stays per instance). The random part makes
 * every nonce unique even when many are issued in one millisecond: the replay table is keyed
 * by nonce, so two clients sharing one would refuse each other's {@code nc=1}.
 */
final class Nonces {
    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
    private static final String MAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final byte[] realm;
    private final SecureRandom random = new SecureRandom();

    Nonces(byte[] key, String realm) {
        this.key = new SecretKeySpec(key, MAC);
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
    }

    String issue(long epochMillis) {
        byte[] r = new byte[RANDOM_BYTES];
        random.nextBytes(r);
        ByteBuffer b = ByteBuffer.allocate(NONCE_BYTES);
        b.putLong(epochMillis).put(r).put(mac(epochMillis, r));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /**
     * The issue time of a nonce this server made, or -1 when it is not one of ours (malformed
     * or tampered). The MAC is compared in constant time.
     */
    long issuedAt(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (raw.length != NONCE_BYTES) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long t = b.getLong();
        byte[] r = new byte[RANDOM_BYTES];
        b.get(r);
        byte[] given = new byte[MAC_BYTES];
        b.get(given);
        return MessageDigest.isEqual(given, mac(t, r)) ? t : -1;
    }

    private byte[] mac(long epochMillis, byte[] r) {
        try {
            Mac m = Mac.getInstance(MAC);
            m.init(key);
            m.update(ByteBuffer.allocate(TIME_BYTES).putLong(epochMillis).array());
            m.update(r);
            return m.doFinal(realm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
