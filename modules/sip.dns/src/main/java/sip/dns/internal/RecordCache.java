package sip.dns.internal;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Type;

/**
 * The answers of (name, type) questions, each kept for its TTL on an injectable clock: positive
 * ones (and CNAME aliases) cut to {@code maxTtl}, negative ones (RFC 2308) cut to
 * {@code maxNegativeTtl}; a TTL of 0 is not kept. Bounded: a full cache drops its expired entries
 * (at most one sweep per second of the clock), else its oldest one.
 *
 * <p>An NXDOMAIN answer is about the name, not the type asked (RFC 2308 §5): it is kept once
 * under the name and answers every type of it, so the A and AAAA lookups after an NXDOMAIN for a
 * domain's NAPTR need no query.
 *
 * <p>Thread-safe: one lock around an insertion-ordered map; every operation is short.
 */
final class RecordCache {
    /** @param expires epoch milliseconds on the clock: {@code millis()}, no Instant made per probe */
    private record Entry(Answer answer, long expires) {
    }

    private final int maxEntries;
    private final long maxTtl;
    private final long maxNegativeTtl;
    private final InstantSource clock;
    private final LinkedHashMap<Question, Entry> entries = new LinkedHashMap<>();   // guarded by this
    private long nextSweep = Long.MIN_VALUE;                                          // guarded by this

    RecordCache(int maxEntries, Duration maxTtl, Duration maxNegativeTtl, InstantSource clock) {
        this.maxEntries = maxEntries;
        this.maxTtl = maxTtl.toSeconds();
        this.maxNegativeTtl = maxNegativeTtl.toSeconds();
        this.clock = clock;
    }

    /** The live answer to {@code question} (or the NXDOMAIN of its name), or null; an expired one is dropped. */
    synchronized Answer get(Question question) {
        Answer exact = live(question);
        return exact != null ? exact : live(noSuchNameKey(question));
    }

    private Answer live(Question key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (clock.millis() >= e.expires()) {
            entries.remove(key);
            return null;
        }
        return e.answer();
    }

    /**
     * Where an NXDOMAIN for {@code question}'s name is kept: under type ANY, which is never
     * asked. Only an NXDOMAIN reached without a CNAME is about the name asked.
     */
    private static Question noSuchNameKey(Question question) {
        return new Question(question.name(), Type.ANY);
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
        Question key = answer instanceof Answer.Negative n && n.noSuchName() && n.links() == 0
                ? noSuchNameKey(question) : question;
        synchronized (this) {
            long now = clock.millis();
            entries.remove(key);   // a replaced entry counts as new for eviction
            if (entries.size() >= maxEntries) {
                evict(now);
            }
            long expires = ttl >= (Long.MAX_VALUE - now) / 1000 ? Long.MAX_VALUE : now + ttl * 1000;
            entries.put(key, new Entry(answer, expires));
        }
    }

    private void evict(long now) {
        if (now >= nextSweep) {
            nextSweep = now + 1000;
            entries.values().removeIf(e -> now >= e.expires());
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
