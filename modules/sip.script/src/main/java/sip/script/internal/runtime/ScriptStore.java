package sip.script.internal.runtime;

import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JS {@code sip.store}: a bounded key/value map shared by all workers and versions (JS values
 * cannot cross contexts, so shared state lives here). Values are {@code String}, {@code Double} or
 * {@code Boolean}; an entry may expire. Thread-safe; {@link #incr} is atomic.
 */
public final class ScriptStore {

    /** Entries kept at most by default. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** Characters of a key at most. */
    public static final int MAX_KEY_CHARS = 1024;
    /** Characters of a string value at most. */
    public static final int MAX_VALUE_CHARS = 65_536;
    /** Characters of all keys and string values together at most (64 MiB as UTF-16). */
    public static final long MAX_TOTAL_CHARS = 32L << 20;

    private record Entry(Object value, long expiresAtMillis, int chars) {
        Entry(String key, Object value, long expiresAtMillis) {
            this(value, expiresAtMillis, key.length() + (value instanceof String s ? s.length() : 0));
        }

        boolean expired(long now) {
            return expiresAtMillis != 0 && now >= expiresAtMillis;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    /** Characters of the keys and string values held (the memory bound besides the entry count). */
    private final AtomicLong chars = new AtomicLong();
    private final int maxEntries;
    private final InstantSource clock;

    /**
     * @param maxEntries live entries at most; a {@link #set} of a new key beyond throws
     * @param clock the clock of TTLs
     */
    public ScriptStore(int maxEntries, InstantSource clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value, or null when absent or expired. */
    public Object get(String key) {
        Entry e = live(key);
        return e == null ? null : e.value();
    }

    /**
     * Sets {@code key}; {@code ttlSeconds} ≤ 0 (or NaN) means no expiry, a TTL beyond the clock's
     * range (up to {@code Infinity}) means none either.
     *
     * @throws IllegalArgumentException if the value is not a string, number or boolean
     * @throws IllegalStateException if the key or value is too long ({@link #MAX_KEY_CHARS},
     *     {@link #MAX_VALUE_CHARS}), or the store is full ({@code maxEntries} entries, or
     *     {@link #MAX_TOTAL_CHARS} characters) and the entry would grow it
     */
    public void set(String key, Object value, double ttlSeconds) {
        checkKey(key);
        Object v = normalize(value);
        if (v instanceof String str && str.length() > MAX_VALUE_CHARS) {
            throw new IllegalStateException("sip.store values are at most " + MAX_VALUE_CHARS + " characters, not " + str.length());
        }
        long expires = 0;
        if (ttlSeconds > 0) {
            // In double arithmetic, clamped: Infinity or 1e17 s saturate instead of wrapping to the past.
            double at = clock.millis() + Math.ceil(ttlSeconds * 1000);
            expires = at >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) at);
        }
        Entry next = new Entry(key, v, expires);
        Entry before = entries.put(key, next);
        long total = chars.addAndGet(next.chars() - (before == null ? 0 : before.chars()));
        boolean grew = before == null && size.incrementAndGet() > maxEntries;
        if (grew || (total > MAX_TOTAL_CHARS && next.chars() > (before == null ? 0 : before.chars()))) {
            sweep();
            boolean tooMany = size.get() > maxEntries;
            if (tooMany || chars.get() > MAX_TOTAL_CHARS) {
                if (entries.remove(key, next)) {
                    removed(next);
                }
                throw new IllegalStateException(tooMany
                        ? "sip.store is full (" + maxEntries + " entries)"
                        : "sip.store is full (" + MAX_TOTAL_CHARS + " characters)");
            }
        }
    }

    /** Removes {@code key}; true if it was there (and live). */
    public boolean delete(String key) {
        Entry e = entries.remove(key);
        if (e == null) {
            return false;
        }
        removed(e);
        return !e.expired(clock.millis());
    }

    public boolean has(String key) {
        return live(key) != null;
    }

    /**
     * Adds {@code delta} to the number at {@code key} (absent or expired counts as 0 with no
     * expiry; a live entry keeps its TTL) and returns the new value, atomically.
     *
     * @throws IllegalArgumentException if the value there is not a number
     * @throws IllegalStateException if the store is full and {@code key} is new
     */
    public double incr(String key, double delta) {
        checkKey(key);
        long now = clock.millis();
        Entry[] replaced = {null};
        boolean[] added = {false};
        Entry e = entries.compute(key, (k, old) -> {
            if (old == null || old.expired(now)) {
                added[0] = old == null;
                replaced[0] = old;
                return new Entry(k, delta, 0);
            }
            if (!(old.value() instanceof Double d)) {
                throw new IllegalArgumentException("sip.store value of '" + key + "' is not a number");
            }
            return new Entry(k, d + delta, old.expiresAtMillis());
        });
        chars.addAndGet(e.chars() - (replaced[0] == null ? (added[0] ? 0 : e.chars()) : replaced[0].chars()));
        if (added[0] && size.incrementAndGet() > maxEntries) {
            sweep();
            if (size.get() > maxEntries) {
                if (entries.remove(key, e)) {
                    removed(e);
                }
                throw new IllegalStateException("sip.store is full (" + maxEntries + " entries)");
            }
        }
        return (Double) e.value();
    }

    /** Entries held (expired ones not yet swept may count). */
    public int size() {
        return size.get();
    }

    /** Drops every entry. */
    public void clear() {
        for (String k : entries.keySet()) {
            Entry e = entries.remove(k);
            if (e != null) {
                removed(e);
            }
        }
    }

    /** Drops expired entries. */
    public void sweep() {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Entry> me = it.next();
            if (me.getValue().expired(now) && entries.remove(me.getKey(), me.getValue())) {
                removed(me.getValue());
            }
        }
    }

    private Entry live(String key) {
        Entry e = entries.get(key);
        if (e != null && e.expired(clock.millis())) {
            if (entries.remove(key, e)) {
                removed(e);
            }
            return null;
        }
        return e;
    }

    /** Characters of the keys and string values held. */
    public long chars() {
        return chars.get();
    }

    private void removed(Entry e) {
        size.decrementAndGet();
        chars.addAndGet(-e.chars());
    }

    private static void checkKey(String key) {
        if (key.length() > MAX_KEY_CHARS) {
            throw new IllegalStateException("sip.store keys are at most " + MAX_KEY_CHARS + " characters, not " + key.length());
        }
    }

    private static Object normalize(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b;
            case Number n -> n.doubleValue();
            case null -> throw new IllegalArgumentException("sip.store values must be strings, numbers or booleans, not null");
            default -> throw new IllegalArgumentException(
                    "sip.store values must be strings, numbers or booleans (JSON.stringify objects)");
        };
    }
}
