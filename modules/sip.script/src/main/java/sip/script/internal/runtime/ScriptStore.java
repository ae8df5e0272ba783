package sip.script.internal.runtime;

import java.time.InstantSource;

/**
 * The JS {@code sip.store}: a bounded key/value map shared by all workers and versions. Values are
 * {@code String}, {@code Double}/{@code Integer}/{@code Long} or {@code Boolean}; an entry may
 * expire. Thread-safe; {@link #incr} is atomic.
 */
public final class ScriptStore {

    /** Entries kept at most by default. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    /**
     * @param maxEntries live entries at most; a {@link #set} of a new key beyond throws
     * @param clock the clock of TTLs
     */
    public ScriptStore(int maxEntries, InstantSource clock) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The value, or null when absent or expired. */
    public Object get(String key) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Sets {@code key}; {@code ttlSeconds} ≤ 0 means no expiry.
     *
     * @throws IllegalArgumentException if the value is not a string, number or boolean
     * @throws IllegalStateException if the store is full and {@code key} is new
     */
    public void set(String key, Object value, double ttlSeconds) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Removes {@code key}; true if it was there. */
    public boolean delete(String key) {
        throw new UnsupportedOperationException("skeleton");
    }

    public boolean has(String key) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Adds {@code delta} to the number at {@code key} (absent counts as 0; the TTL is kept) and
     * returns the new value, atomically.
     *
     * @throws IllegalArgumentException if the value there is not a number
     */
    public double incr(String key, double delta) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Live entries (expired ones not yet swept may count). */
    public int size() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Drops every entry. */
    public void clear() {
        throw new UnsupportedOperationException("skeleton");
    }
}
