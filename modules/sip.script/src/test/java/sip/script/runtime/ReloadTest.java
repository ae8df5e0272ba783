package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @TempDir
    Path dir;
    private final FakeHosts.Host host = new FakeHosts.Host();
    private ScriptExecutor executor;

    @AfterEach
    void close() {
        executor.close();
        assertEquals(0, executor.stats().liveContexts());
        assertEquals(0, executor.stats().inFlight());
        host.close();
    }

    @Test
    void newVersionSwapsInWhileInFlightRequestsFinishOnTheOldAndABrokenEditIsRejected() throws Exception {
        Path s = FakeHosts.script(dir, "proxy.js", """
                export async function onRequest(req, sip) {
                  const r = await sip.relay(req, 'sip:a@10.0.0.1');
                  sip.store.set('v1 saw', r.status);
                }
                """);
        executor = ScriptExecutor.open(s, new ExecutorSettings(2, 1_000_000, java.time.Duration.ofSeconds(10), 100), host);
        assertEquals(1, executor.version().number());
        FakeHosts.Request inFlight = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "old1"));
        CompletableFuture<HandlerReport> oldReport = executor.handle(inFlight);
        FakeHosts.Relay relay = inFlight.relay();

        FakeHosts.script(dir, "proxy.js", "export function onRequest(req, sip) { sip.reply(202); }\n");
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

        FakeHosts.script(dir, "proxy.js", "export function onRequest(req, sip) {\n  sip.reply(200;\n}\n");
        ReloadResult.Rejected rejected = assertInstanceOf(ReloadResult.Rejected.class, executor.reload());
        assertEquals(ScriptError.Kind.SYNTAX, rejected.error().kind());
        assertEquals("proxy.js", rejected.error().file());
        assertEquals(2, rejected.error().line());
        assertTrue(rejected.error().toString().startsWith("proxy.js:2:"), rejected.error()::toString);
        assertEquals(2, rejected.kept().number());
        assertTrue(host.logged("reload rejected"), host.logs::toString);

        FakeHosts.Request still = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "new2"));
        executor.handle(still).get();
        assertEquals(202, still.response().statusCode());
        assertEquals(1, executor.stats().reloads());
        assertEquals(1, executor.stats().rejectedReloads());
    }
}
