package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import sip.script.internal.runtime.ScriptStore;

/** Regression of a review finding: a very long TTL overflowed to "expired at epoch + 1 ms". */
class StoreTtlOverflowTest {

    @Test
    void infiniteOrHugeTtlKeepsTheValue() {
        ScriptStore store = new ScriptStore(10, InstantSource.system());
        store.set("inf", "v", Double.POSITIVE_INFINITY);
        store.set("huge", "v", 1e17);
        store.set("max", "v", Double.MAX_VALUE);
        assertEquals("v", store.get("inf"));
        assertEquals("v", store.get("huge"));
        assertEquals("v", store.get("max"));
    }

    @Test
    void anOrdinaryTtlStillExpires() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        ScriptStore store = new ScriptStore(10, clock);
        store.set("k", "v", 1.5);
        now.addAndGet(1_499);
        assertEquals("v", store.get("k"));
        now.addAndGet(1);
        assertNull(store.get("k"));
        assertEquals(0, store.size());
    }
}
