package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;
import sip.script.internal.runtime.ScriptStore;

class StoreTest {

    @TempDir
    Path dir;

    @Test
    void incrIsAtomicAcrossWorkersAndValuesAreShared() throws Exception {
        Path s = FakeHosts.script(dir, "count.js", """
                export function onRequest(req, sip) {
                  const n = sip.store.incr('n');
                  sip.store.set('last-' + req.callId, n);
                  sip.reply(200);
                }
                """);
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, new ExecutorSettings(4, 1_000_000, java.time.Duration.ofSeconds(10), 1000), host)) {
            List<CompletableFuture<HandlerReport>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(x.handle(new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "n" + i))));
            }
            for (CompletableFuture<HandlerReport> f : all) {
                assertEquals(HandlerReport.Outcome.ANSWERED, f.get().outcome());
            }
            assertEquals(200.0, x.store().get("n"));
            assertEquals(201, x.stats().storeEntries());
            assertEquals(200, x.stats().handled());
        }
    }

    @Test
    void scriptSeesTypesTtlAndErrors() throws Exception {
        Path s = FakeHosts.script(dir, "kv.js", """
                export function onRequest(req, sip) {
                  const st = sip.store, out = [];
                  st.set('s', 'text'); st.set('b', true); st.set('n', 2.5);
                  out.push(st.get('s'), st.get('b'), st.get('n'), st.get('none'), st.has('s'), st.delete('s'), st.has('s'));
                  try { st.set('o', {a: 1}); out.push('stored'); } catch (e) { out.push(e.constructor.name); }
                  st.set('word', 'x');
                  try { st.incr('word'); out.push('incr'); } catch (e) { out.push(e.constructor.name); }
                  out.push(st.incr('c', 5), st.incr('c', -2));
                  sip.reply(200, 'OK', {'X-Out': out.join(',')});
                }
                """);
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, FakeHosts.SETTINGS, host)) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "kv"));
            x.handle(r).get();
            assertEquals("text,true,2.5,,true,true,false,TypeError,TypeError,5,3",
                    r.response().header(sip.message.HeaderName.of("X-Out")).orElseThrow(), host.logs::toString);
        }
    }

    @Test
    void entriesExpireAndTheStoreIsBounded() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        ScriptStore store = new ScriptStore(2, clock);
        store.set("a", "1", 10);
        store.set("b", 2, 0);
        assertThrows(IllegalStateException.class, () -> store.set("c", "3", 0));
        assertEquals(2, store.size());
        store.set("a", "updated", 10); // an existing key is no new entry
        now.addAndGet(10_001);
        assertNull(store.get("a"));
        assertFalse(store.has("a"));
        store.set("c", "3", 0); // room again once "a" expired
        assertEquals(3.0, store.incr("b", 1));
        assertTrue(store.has("c"));
        store.clear();
        assertEquals(0, store.size());
    }
}
