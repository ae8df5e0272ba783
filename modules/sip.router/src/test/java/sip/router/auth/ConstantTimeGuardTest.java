package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
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
    private static final Path SOURCES = moduleDir().resolve("src/main/java/sip/router/auth");

    /**
     * The module's directory whatever the working directory: Maven's {@code basedir} when set,
     * else two levels above the compiled tests ({@code target/test-classes}).
     */
    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        if (basedir != null && !basedir.isBlank()) {
            return Path.of(basedir);
        }
        try {
            Path classes = Path.of(ConstantTimeGuardTest.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
            return classes.getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSourcesAreFoundWhateverTheWorkingDirectory() {
        assertTrue(Files.isRegularFile(SOURCES.resolve("DigestAuthenticator.java")), SOURCES.toString());
        assertTrue(SOURCES.isAbsolute(), SOURCES.toString());
    }

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
