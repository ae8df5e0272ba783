package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Timing cannot be measured reliably in a unit test, so this guards the source instead: the two
 * secret-dependent comparisons (the digest response, the nonce MAC) go through
 * {@link java.security.MessageDigest#isEqual}, which takes the same time wherever the inputs
 * differ, and never through {@code equals}/{@code Arrays.equals}, which stop at the first
 * difference and let an attacker find a valid response byte by byte.
 */
class ConstantTimeGuardTest {
    private static final Path SOURCES = Path.of("src/main/java/sip/router/auth");

    @Test
    void responseComparisonIsConstantTime() throws IOException {
        String s = Files.readString(SOURCES.resolve("DigestAuthenticator.java"));
        assertTrue(s.contains("MessageDigest.isEqual("), "DigestAuthenticator must use MessageDigest.isEqual");
        assertFalse(s.contains("expected.equals(") || s.contains("response.equals(")
            || s.contains("equalsIgnoreCase(response") || s.contains("Arrays.equals("));
    }

    @Test
    void nonceMacComparisonIsConstantTime() throws IOException {
        String s = Files.readString(SOURCES.resolve("Nonces.java"));
        assertTrue(s.contains("MessageDigest.isEqual(given, mac("), "Nonces must use MessageDigest.isEqual");
        assertFalse(s.contains("Arrays.equals("));
    }
}
