package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The replay table: monotonic counts, expiry, and a bound that never reopens a replay. */
class NonceCountsTest {
    private static final NonceCounts.Verdict FRESH = NonceCounts.Verdict.FRESH;
    private static final NonceCounts.Verdict REPLAYED = NonceCounts.Verdict.REPLAYED;

    @Test
    void countsMustRise() {
        NonceCounts t = new NonceCounts(10, 0);
        assertEquals(FRESH, t.record("n", 100, 1, 0));
        assertEquals(REPLAYED, t.record("n", 100, 1, 0));
        assertEquals(FRESH, t.record("n", 100, 5, 0));
        assertEquals(REPLAYED, t.record("n", 100, 3, 0), "lower than the highest seen");
        assertEquals(FRESH, t.record("other", 100, 1, 0), "counts are per nonce");
    }

    @Test
    void expiredEntriesGo() {
        NonceCounts t = new NonceCounts(10, 0);
        t.record("old", 100, 1, 0);
        t.record("new", 200, 1, 0);
        assertEquals(2, t.size());
        t.record("newer", 300, 1, 150);
        assertEquals(2, t.size(), "'old' expired at 150");
    }

    @Test
    void boundedAndAnEvictedNonceCannotBeReplayed() {
        NonceCounts t = new NonceCounts(2, 0);
        assertEquals(FRESH, t.record("a", 100, 1, 0));
        assertEquals(FRESH, t.record("b", 200, 1, 0));
        assertEquals(FRESH, t.record("c", 300, 1, 0));
        assertEquals(2, t.size(), "never above the bound");
        // "a" was forgotten; its nc=1 again must not pass, nor may a higher one on an old nonce.
        assertEquals(REPLAYED, t.record("a", 100, 1, 0));
        assertEquals(REPLAYED, t.record("a", 100, 2, 0));
        assertEquals(REPLAYED, t.record("unused-but-older", 90, 1, 0));
        assertEquals(FRESH, t.record("d", 400, 1, 0), "a newer nonce is fine");
        assertEquals(2, t.size());
    }

    @Test
    void noncesIssuedBeforeTheTableWasMadeAreUsedUp() {
        NonceCounts t = new NonceCounts(10, 1000);
        assertEquals(REPLAYED, t.record("earlier-run", 999, 1, 0));
        assertEquals(FRESH, t.record("since-start", 1000, 1, 0));
    }
}
