package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Known-answer vectors from the RFCs: the hash arithmetic every other test relies on. */
class DigestAlgorithmTest {

    @Test
    void rfc2617Section3_5Example() {
        String ha1 = DigestAlgorithm.MD5.ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
        String response = DigestAlgorithm.MD5.response(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "00000001", "0a4f113b", "auth", "GET", "/dir/index.html");
        assertEquals("6629fae49393a05397450978507c4ef1", response);
    }

    private static final String NONCE_7616 = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE_7616 = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    @Test
    void rfc7616Section3_9_1Md5() {
        String ha1 = DigestAlgorithm.MD5.ha1("Mufasa", "http-auth@example.org", "Circle of Life");
        assertEquals("8ca523f5e9506fed4657c9700eebdbec", DigestAlgorithm.MD5.response(
            ha1, NONCE_7616, "00000001", CNONCE_7616, "auth", "GET", "/dir/index.html"));
    }

    @Test
    void rfc7616Section3_9_1Sha256() {
        String ha1 = DigestAlgorithm.SHA_256.ha1("Mufasa", "http-auth@example.org", "Circle of Life");
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            DigestAlgorithm.SHA_256.response(
                ha1, NONCE_7616, "00000001", CNONCE_7616, "auth", "GET", "/dir/index.html"));
    }

    @Test
    void sha512_256IsTheTruncatedSha512OfFips180_4() {
        // FIPS 180-4 example for SHA-512/256("abc"): proves the JDK name maps to the right hash
        // (not SHA-512 cut to 256 bits, which RFC 7616 §3.2 warns about).
        assertEquals("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
            DigestAlgorithm.SHA_512_256.hash("abc"));
    }

    @Test
    void rfc2069FormIsHashOfHa1NonceHa2() throws Exception {
        // RFC 2069 §2.1.1: response = H(H(A1) ":" nonce ":" H(A2)); computed here independently.
        String ha1 = DigestAlgorithm.MD5.ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
        String nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        java.util.HexFormat hex = java.util.HexFormat.of();
        String ha2 = hex.formatHex(md5.digest("GET:/dir/index.html".getBytes()));
        String expected = hex.formatHex(md5.digest((ha1 + ":" + nonce + ":" + ha2).getBytes()));
        assertEquals(expected, DigestAlgorithm.MD5.response(ha1, nonce, "ignored", "ignored", null,
            "GET", "/dir/index.html"));
    }

    @Test
    void tokensRoundTripAndAbsentMeansMd5() {
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            assertEquals(a, DigestAlgorithm.fromToken(a.token().toLowerCase()).orElseThrow());
        }
        assertEquals(DigestAlgorithm.MD5, DigestAlgorithm.fromToken(null).orElseThrow());
        assertTrue(DigestAlgorithm.fromToken("MD5-sess").isEmpty());
        assertTrue(DigestAlgorithm.SHA_512_256.compareTo(DigestAlgorithm.SHA_256) > 0);
        assertTrue(DigestAlgorithm.SHA_256.compareTo(DigestAlgorithm.MD5) > 0);
    }
}
