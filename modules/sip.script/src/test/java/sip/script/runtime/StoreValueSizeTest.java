package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.internal.runtime.ScriptExecutor;
import sip.script.internal.runtime.ScriptStore;

/**
 * Regression of a review finding — sip.store was bounded in entries (100,000) but not in size:
 * keys and values of any length were kept, so a few huge values could exhaust the heap shared
 * with the listeners. Keys, values and the total are bounded now (RangeError in JS).
 */
class StoreValueSizeTest {

    @TempDir
    Path dir;

    @Test
    void aHugeValueOrKeyIsRefused() {
        ScriptStore store = new ScriptStore(10, InstantSource.system());
        String huge = "x".repeat(16 << 20);
        assertThrows(IllegalStateException.class, () -> store.set("k", huge, 0));
        assertThrows(IllegalStateException.class, () -> store.set(huge, "v", 0));
        assertThrows(IllegalStateException.class, () -> store.incr(huge, 1));
        store.set("k".repeat(ScriptStore.MAX_KEY_CHARS), "v".repeat(ScriptStore.MAX_VALUE_CHARS), 0);
        assertEquals(1, store.size());
        assertEquals(ScriptStore.MAX_KEY_CHARS + ScriptStore.MAX_VALUE_CHARS, store.chars());
    }

    @Test
    void theTotalIsBoundedAndFreedAgain() {
        ScriptStore store = new ScriptStore(ScriptStore.DEFAULT_MAX_ENTRIES, InstantSource.system());
        String value = "v".repeat(ScriptStore.MAX_VALUE_CHARS);
        int fits = 0;
        IllegalStateException full = null;
        for (int i = 0; i < 1_000 && full == null; i++) {
            try {
                store.set("k" + i, value, 0);
                fits++;
            } catch (IllegalStateException e) {
                full = e;
            }
        }
        assertTrue(full != null && full.getMessage().contains("characters"), String.valueOf(full));
        assertTrue(store.chars() <= ScriptStore.MAX_TOTAL_CHARS, "chars " + store.chars());
        assertEquals(fits, store.size());
        store.set("k0", "small", 0); // shrinking an entry is allowed when full
        store.set("k1", 1, 0);
        assertTrue(store.delete("k2"));
        store.set("new", value, 0); // room again
        store.clear();
        assertEquals(0, store.size());
        assertEquals(0, store.chars());
    }

    @Test
    void scriptsGetARangeError() throws Exception {
        FakeHosts.Host host = new FakeHosts.Host();
        Path s = FakeHosts.script(dir, "s.js", """
                export function onRequest(req, sip) {
                  const out = [];
                  try { sip.store.set('k', 'x'.repeat(70000)); out.push('stored'); } catch (e) { out.push(e.constructor.name); }
                  try { sip.store.set('k'.repeat(2000), 1); out.push('stored'); } catch (e) { out.push(e.constructor.name); }
                  sip.store.set('k', 'x'.repeat(60000));
                  out.push(sip.store.get('k').length);
                  sip.reply(200, out.join(' '));
                }
                """);
        try (ScriptExecutor executor = ScriptExecutor.open(s, FakeHosts.SETTINGS, host)) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "s1"));
            executor.handle(r).get();
            assertEquals("RangeError RangeError 60000", r.response().status().reason());
        } finally {
            host.close();
        }
    }
}
