package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Stateless nonces: only the key holder makes them, and they carry their issue time. */
class NoncesTest {
    private final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
    private final Nonces nonces = new Nonces(key, "example.com");

    @Test
    void issueTimeReadsBack() {
        String n = nonces.issue(1_767_225_600_000L);
        assertEquals(1_767_225_600_000L, nonces.issuedAt(n));
        assertEquals(75, n.length(), "8 time + 16 random + 32 MAC bytes, base64url without padding");
    }

    @Test
    void noncesIssuedInTheSameMillisecondDiffer() {
        String a = nonces.issue(1_767_225_600_000L);
        String b = nonces.issue(1_767_225_600_000L);
        assertNotEquals(a, b);
        assertEquals(1_767_225_600_000L, nonces.issuedAt(b));
    }

    @Test
    void anyChangedBitIsRefused() {
        byte[] raw = Base64.getUrlDecoder().decode(nonces.issue(1000));
        for (int i = 0; i < raw.length; i++) {
            byte[] bad = raw.clone();
            bad[i] ^= 1;
            assertEquals(-1, nonces.issuedAt(Base64.getUrlEncoder().withoutPadding().encodeToString(bad)), "byte " + i);
        }
    }

    @Test
    void boundToRealmAndKey() {
        String n = nonces.issue(1000);
        assertEquals(-1, new Nonces(key, "other.example.com").issuedAt(n));
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertEquals(-1, new Nonces(otherKey, "example.com").issuedAt(n));
        assertNotEquals(n, new Nonces(otherKey, "example.com").issue(1000));
    }

    @Test
    void garbageIsRefused() {
        assertEquals(-1, nonces.issuedAt(""));
        assertEquals(-1, nonces.issuedAt("!!!"));
        assertEquals(-1, nonces.issuedAt("dcd98b7102dd2f0e8b11d0f600bfb0c093"));
    }
}
