package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryCredentialStoreTest {

    @Test
    void keepsHa1PerAlgorithmAndRealm() {
        InMemoryCredentialStore s = new InMemoryCredentialStore().add("Mufasa", "http-auth@example.org", "Circle of Life");
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            assertEquals(Optional.of(a.ha1("Mufasa", "http-auth@example.org", "Circle of Life")),
                s.ha1("Mufasa", "http-auth@example.org", a));
        }
        assertTrue(s.ha1("Mufasa", "other", DigestAlgorithm.MD5).isEmpty());
        assertTrue(s.ha1("mufasa", "http-auth@example.org", DigestAlgorithm.MD5).isEmpty(), "usernames are case-sensitive");
        assertTrue(s.remove("Mufasa", "http-auth@example.org"));
        assertFalse(s.remove("Mufasa", "http-auth@example.org"));
    }

    @Test
    void preHashedValuesAreNormalisedAndChecked() {
        InMemoryCredentialStore s = new InMemoryCredentialStore(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256)
            .addHa1("bob", "r", Map.of(DigestAlgorithm.MD5, "ABCDEF0123", DigestAlgorithm.SHA_256, "beef"));
        assertEquals(Set.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256), s.algorithms());
        assertEquals(Optional.of("abcdef0123"), s.ha1("bob", "r", DigestAlgorithm.MD5));
        assertEquals(Optional.of("beef"), s.ha1("bob", "r", DigestAlgorithm.SHA_256));
        assertTrue(s.ha1("bob", "r", DigestAlgorithm.SHA_512_256).isEmpty());
        assertThrows(IllegalArgumentException.class,
            () -> s.addHa1("bob", "r", Map.of(DigestAlgorithm.MD5, "not hex", DigestAlgorithm.SHA_256, "beef")));
    }

    @Test
    void aUserCannotBeLeftWithoutAnHa1TheStoreHolds() {
        InMemoryCredentialStore s = new InMemoryCredentialStore(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> s.addHa1("bob", "r", Map.of(DigestAlgorithm.MD5, "abcd")));
        assertTrue(missing.getMessage().contains("SHA_256"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.addHa1("bob", "r", Map.of(DigestAlgorithm.MD5, "ab",
            DigestAlgorithm.SHA_256, "cd", DigestAlgorithm.SHA_512_256, "ef")), "an HA1 the store does not hold");
        assertTrue(s.ha1("bob", "r", DigestAlgorithm.MD5).isEmpty(), "nothing added by a refused call");
        s.add("carol", "r", "pw");
        assertTrue(s.ha1("carol", "r", DigestAlgorithm.SHA_512_256).isEmpty(), "passwords hashed for the store's algorithms");
        assertEquals(Set.of(DigestAlgorithm.values()), new InMemoryCredentialStore().algorithms());
    }
}
