package sip.router.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces: {@code base64url(t || HMAC-SHA256(key, t || realm))}, t the issue time in
 * epoch milliseconds as 8 big-endian bytes. Only the holder of the key can make one, and its
 * age is read back from the nonce itself, so no table of issued nonces is kept and a cluster
 * sharing the key accepts each other's nonces. Epoch time (not a monotonic clock) is what
 * makes that work across restarts and hosts.
 */
final class Nonces {
    private static final int TIME_BYTES = 8;
    private static final int MAC_BYTES = 32;
    private static final String MAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final byte[] realm;

    Nonces(byte[] key, String realm) {
        this.key = new SecretKeySpec(key, MAC);
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
    }

    String issue(long epochMillis) {
        ByteBuffer b = ByteBuffer.allocate(TIME_BYTES + MAC_BYTES);
        b.putLong(epochMillis).put(mac(epochMillis));
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
        if (raw.length != TIME_BYTES + MAC_BYTES) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long t = b.getLong();
        byte[] given = new byte[MAC_BYTES];
        b.get(given);
        return MessageDigest.isEqual(given, mac(t)) ? t : -1;
    }

    private byte[] mac(long epochMillis) {
        try {
            Mac m = Mac.getInstance(MAC);
            m.init(key);
            m.update(ByteBuffer.allocate(TIME_BYTES).putLong(epochMillis).array());
            return m.doFinal(realm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
