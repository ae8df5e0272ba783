package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.SipResponse;
import sip.router.proxy.Branch;
import sip.router.proxy.RelayOutcome;
import sip.script.ReloadResult;
import sip.script.ScriptError;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.HandlerReport.Outcome;
import sip.script.internal.runtime.ScriptExecutor;

class ReloadTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void newVersionSwapsInWhileInFlightRequestsFinishOnTheOldAndABrokenEditIsRejected() throws Exception {
        Path s = fx.script("proxy.js", """
                export async function onRequest(req, sip) {
                  const r = await sip.relay(req, 'sip:a@10.0.0.1');
                  sip.store.set('v1 saw', r.status);
                }
                """);
        ScriptExecutor executor = fx.open(s, new ExecutorSettings(2, 1_000_000, java.time.Duration.ofSeconds(10), 100));
        assertEquals(1, executor.version().number());
        FakeHosts.Request inFlight = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "old1"));
        CompletableFuture<HandlerReport> oldReport = executor.handle(inFlight);
        FakeHosts.Relay relay = inFlight.relay();

        fx.script("proxy.js", "export function onRequest(req, sip) { sip.reply(202); }\n");
        ReloadResult loaded = executor.reload();
        assertEquals(2, assertInstanceOf(ReloadResult.Loaded.class, loaded).version().number());
        assertInstanceOf(ReloadResult.Unchanged.class, executor.reload());

        FakeHosts.Request fresh = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "new1"));
        assertEquals(2, executor.handle(fresh).get().version().number());
        assertEquals(202, fresh.response().statusCode());

        // The old version's request completes in its own (still open) context.
        relay.outcome().complete(new RelayOutcome.Forwarded(SipResponse.builder(inFlight.request, 486).toTag("b").build(),
                new Branch(0, relay.targets().get(0))));
        HandlerReport old = oldReport.get();
        assertEquals(Outcome.ANSWERED, old.outcome());
        assertEquals(1, old.version().number());
        assertEquals(486.0, executor.store().get("v1 saw"));

        // Idle, the old version's contexts close: one context per worker remains.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (executor.stats().liveContexts() > 2 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertEquals(2, executor.stats().liveContexts());

        fx.script("proxy.js", "export function onRequest(req, sip) {\n  sip.reply(200;\n}\n");
        ReloadResult.Rejected rejected = assertInstanceOf(ReloadResult.Rejected.class, executor.reload());
        assertEquals(ScriptError.Kind.SYNTAX, rejected.error().kind());
        assertEquals("proxy.js", rejected.error().file());
        assertEquals(2, rejected.error().line());
        assertTrue(rejected.error().toString().startsWith("proxy.js:2:"), rejected.error()::toString);
        assertEquals(2, rejected.kept().number());
        assertTrue(fx.host.logged("reload rejected"), fx.host.logs::toString);

        FakeHosts.Request still = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "new2"));
        executor.handle(still).get();
        assertEquals(202, still.response().statusCode());
        assertEquals(1, executor.stats().reloads());
        assertEquals(1, executor.stats().rejectedReloads());
    }

    /**
     * A version's sha256 covers exactly the files it loaded: an unrelated .js file created or
     * touched beside the script is no change; a byte-identical rewrite of an imported module is
     * no change; an edit of an imported module is a new version with a new hash.
     */
    @Test
    void theVersionHashCoversTheScriptAndItsImportsOnly() throws Exception {
        fx.script("routes.js", "export const STATUS = 201;\n");
        Path s = fx.script("main.js", """
                import { STATUS } from './routes.js';
                export function onRequest(req, sip) { sip.reply(STATUS); }
                """);
        ScriptExecutor executor = fx.open(s, new ExecutorSettings(1, 1_000_000, java.time.Duration.ofSeconds(10), 100));
        String v1 = executor.version().sha256();
        assertTrue(!v1.equals(sha256(s)), "with an import, the hash is not the script file's alone");

        fx.script("unrelated.js", "export const X = 1;\n");
        ReloadResult afterUnrelated = executor.reload();
        assertInstanceOf(ReloadResult.Unchanged.class, afterUnrelated, afterUnrelated.toString());
        fx.script("unrelated.js", "export const X = 2;\n");
        assertInstanceOf(ReloadResult.Unchanged.class, executor.reload());
        fx.script("routes.js", "export const STATUS = 201;\n");
        assertInstanceOf(ReloadResult.Unchanged.class, executor.reload(), "a byte-identical rewrite of the import");
        assertEquals(1, executor.version().number());
        assertEquals(v1, executor.version().sha256());

        fx.script("routes.js", "export const STATUS = 202;\n");
        ReloadResult.Loaded loaded = assertInstanceOf(ReloadResult.Loaded.class, executor.reload());
        assertEquals(2, loaded.version().number());
        assertTrue(!loaded.version().sha256().equals(v1), "the changed import changes the hash");
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "imp1"));
        executor.handle(r).get();
        assertEquals(202, r.response().statusCode());

        // Without imports the hash is the file's own SHA-256 (what sha256sum prints).
        fx.script("main.js", "export function onRequest(req, sip) { sip.reply(203); }\n");
        ReloadResult.Loaded plain = assertInstanceOf(ReloadResult.Loaded.class, executor.reload());
        assertEquals(sha256(s), plain.version().sha256());
        fx.script("routes.js", "export const STATUS = 204;\n");
        assertInstanceOf(ReloadResult.Unchanged.class, executor.reload(), "routes.js is no longer imported");
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(file)));
    }
}
