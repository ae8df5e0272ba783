package sip.router.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest nonce-count seen per nonce, which is what refuses replays (RFC 7616 §3.4.5): a
 * request must carry a higher {@code nc} than any accepted before with its nonce. An entry is
 * made only once a digest proved the password, so strangers cannot fill the table.
 *
 * <p>Bounded: at most {@code capacity} nonces are remembered; entries go when their nonce
 * expires, and when full the oldest entry is evicted. Forgetting must not reopen a replay, so
 * the table remembers the newest issue time it ever evicted and treats any untracked nonce
 * issued at or before it as used up: the client is sent a fresh nonce ({@code stale=true}),
 * which costs one round trip and nothing else. Thread-safe (one lock; each call is O(1)
 * amortised).
 */
final class NonceCounts {
    /** The verdict on one (nonce, nc). */
    enum Verdict { FRESH, REPLAYED }

    private record Entry(long issuedAt, long highestNc) {}

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long evictedWatermark;

    /**
     * @param issuedBefore nonces issued before this time are treated as used up from the start:
     *     the owner's start-up time, since whatever this table knew before it was made (another
     *     process, an earlier run with the same key) is not here to refuse a replay
     */
    NonceCounts(int capacity, long issuedBefore) {
        this.capacity = capacity;
        this.evictedWatermark = issuedBefore - 1;
    }

    /**
     * Records {@code nc} for {@code nonce} when it is higher than any before.
     *
     * @param expiredBefore issue times at or before this have expired; their entries are dropped
     */
    synchronized Verdict record(String nonce, long issuedAt, long nc, long expiredBefore) {
        dropExpired(expiredBefore);
        Entry e = entries.get(nonce);
        if (e == null) {
            if (issuedAt <= evictedWatermark) {
                return Verdict.REPLAYED;
            }
            while (entries.size() >= capacity) {
                Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
                evictedWatermark = Math.max(evictedWatermark, it.next().getValue().issuedAt());
                it.remove();
            }
            if (issuedAt <= evictedWatermark) {
                return Verdict.REPLAYED;
            }
            entries.put(nonce, new Entry(issuedAt, nc));
            return Verdict.FRESH;
        }
        if (nc <= e.highestNc()) {
            return Verdict.REPLAYED;
        }
        entries.put(nonce, new Entry(issuedAt, nc));
        return Verdict.FRESH;
    }

    synchronized int size() {
        return entries.size();
    }

    // Entries are in first-use order, which is roughly issue order, so expired ones cluster at
    // the head; stopping at the first live one keeps this O(1) amortised at the cost of keeping
    // a few expired entries behind a live one a little longer.
    private void dropExpired(long expiredBefore) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().issuedAt() > expiredBefore) {
                return;
            }
            it.remove();
        }
    }
}
