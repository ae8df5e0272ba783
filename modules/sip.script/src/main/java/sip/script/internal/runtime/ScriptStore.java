package sip.script.internal.runtime;

import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JS {@code sip.store}: a bounded key/value map shared by all workers and versions (JS values
 * cannot cross contexts, so shared state lives here). Values are {@code String}, {@code Double} or
 * {@code Boolean}; an entry may expire. Thread-safe; {@link #incr} is atomic.
 */
public final class ScriptStore {

    /** Entries kept at most by default. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Entry(Object value, long expiresAtMillis) {
        boolean expired(long now) {
            return expiresAtMillis != 0 && now >= expiresAtMillis;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
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
     * Sets {@code key}; {@code ttlSeconds} ≤ 0 (or NaN) means no expiry.
     *
     * @throws IllegalArgumentException if the value is not a string, number or boolean
     * @throws IllegalStateException if the store is full and {@code key} is new
     */
    public void set(String key, Object value, double ttlSeconds) {
        Object v = normalize(value);
        long expires = ttlSeconds > 0 ? Math.max(1, clock.millis() + (long) Math.ceil(ttlSeconds * 1000)) : 0;
        Entry next = new Entry(v, expires);
        Entry before = entries.put(key, next);
        if (before == null && size.incrementAndGet() > maxEntries) {
            sweep();
            if (size.get() > maxEntries) {
                if (entries.remove(key, next)) {
                    size.decrementAndGet();
                }
                throw new IllegalStateException("sip.store is full (" + maxEntries + " entries)");
            }
        }
    }

    /** Removes {@code key}; true if it was there (and live). */
    public boolean delete(String key) {
        Entry e = entries.remove(key);
        if (e == null) {
            return false;
        }
        size.decrementAndGet();
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
        long now = clock.millis();
        boolean[] added = {false};
        Entry e = entries.compute(key, (k, old) -> {
            if (old == null || old.expired(now)) {
                added[0] = old == null;
                return new Entry(delta, 0);
            }
            if (!(old.value() instanceof Double d)) {
                throw new IllegalArgumentException("sip.store value of '" + key + "' is not a number");
            }
            return new Entry(d + delta, old.expiresAtMillis());
        });
        if (added[0] && size.incrementAndGet() > maxEntries) {
            sweep();
            if (size.get() > maxEntries) {
                if (entries.remove(key, e)) {
                    size.decrementAndGet();
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
            if (entries.remove(k) != null) {
                size.decrementAndGet();
            }
        }
    }

    /** Drops expired entries. */
    public void sweep() {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Entry> me = it.next();
            if (me.getValue().expired(now) && entries.remove(me.getKey(), me.getValue())) {
                size.decrementAndGet();
            }
        }
    }

    private Entry live(String key) {
        Entry e = entries.get(key);
        if (e != null && e.expired(clock.millis())) {
            if (entries.remove(key, e)) {
                size.decrementAndGet();
            }
            return null;
        }
        return e;
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
