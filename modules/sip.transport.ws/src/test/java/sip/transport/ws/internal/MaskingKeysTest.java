package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MaskingKeysTest {

    @Test
    void eachConnectionSeededFromTheOsHasItsOwnKeys() {
        SecureRandom os = new SecureRandom();
        MaskingKeys a = MaskingKeys.seededFrom(os);
        MaskingKeys b = MaskingKeys.seededFrom(os);
        List<Integer> fromA = new ArrayList<>();
        List<Integer> fromB = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fromA.add(a.nextInt());
            fromB.add(b.nextInt());
        }
        assertNotEquals(fromA, fromB);
        assertEquals(8, Set.copyOf(fromA).size(), "a new key per frame: " + fromA);
    }

    @Test
    void theSameSeedGivesTheSameKeysAndEveryDrawIsDistinct() {
        MaskingKeys a = new MaskingKeys(42);
        MaskingKeys b = new MaskingKeys(42);
        Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long next = a.nextLong();
            assertEquals(next, b.nextLong());
            seen.add(next);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void threadsSharingAConnectionNeverGetTheSameDraw() throws Exception {
        MaskingKeys keys = new MaskingKeys(7);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen.add(keys.nextLong());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(40_000, seen.size());
    }
}
