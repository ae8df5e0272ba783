package sip.dns.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers of (name, type) questions, each kept for its TTL on an injectable clock: positive
 * ones (and CNAME aliases) cut to {@code maxTtl}, negative ones (RFC 2308) cut to
 * {@code maxNegativeTtl}; a TTL of 0 is not kept. Bounded: a full cache drops its expired entries
 * (at most one sweep per second of the clock), else its oldest one.
 *
 * <p>Thread-safe: one lock around an insertion-ordered map; every operation is short.
 */
final class RecordCache {
    private record Entry(Answer answer, Instant expires) {
    }

    private final int maxEntries;
    private final long maxTtl;
    private final long maxNegativeTtl;
    private final InstantSource clock;
    private final LinkedHashMap<Question, Entry> entries = new LinkedHashMap<>();   // guarded by this
    private Instant nextSweep = Instant.MIN;                                         // guarded by this

    RecordCache(int maxEntries, Duration maxTtl, Duration maxNegativeTtl, InstantSource clock) {
        this.maxEntries = maxEntries;
        this.maxTtl = maxTtl.toSeconds();
        this.maxNegativeTtl = maxNegativeTtl.toSeconds();
        this.clock = clock;
    }

    /** The live answer to {@code question}, or null; an expired one is dropped. */
    synchronized Answer get(Question question) {
        Entry e = entries.get(question);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(question);
            return null;
        }
        return e.answer();
    }

    /** Keeps {@code answer} for its capped TTL; does nothing for a TTL of 0 or a cache of size 0. */
    void put(Question question, Answer answer) {
        long ttl = switch (answer) {
            case Answer.Negative n -> Math.min(n.ttl(), maxNegativeTtl);
            case Answer.Records r -> Math.min(r.ttl(), maxTtl);
            case Answer.Alias a -> Math.min(a.ttl(), maxTtl);
        };
        if (ttl <= 0 || maxEntries == 0) {
            return;
        }
        Answer kept = answer instanceof Answer.Records r ? r.cached() : answer;
        synchronized (this) {
            Instant now = clock.instant();
            entries.remove(question);   // a replaced entry counts as new for eviction
            if (entries.size() >= maxEntries) {
                evict(now);
            }
            entries.put(question, new Entry(kept, now.plusSeconds(ttl)));
        }
    }

    private void evict(Instant now) {
        if (!now.isBefore(nextSweep)) {
            nextSweep = now.plusSeconds(1);
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
        }
        Iterator<Map.Entry<Question, Entry>> oldest = entries.entrySet().iterator();
        while (entries.size() >= maxEntries && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Entries held now, expired ones not yet dropped included. */
    synchronized int size() {
        return entries.size();
    }

    synchronized void clear() {
        entries.clear();
    }
}
