package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.script.ReloadResult;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * A fresh context's first call is slow (realm set-up, the binding's first host calls, all in the
 * interpreter): every worker makes and warms its context for a version before the version takes
 * traffic, and a context's first handler entry gets the load allowance (10 s) instead of the
 * handler deadline.
 */
@Timeout(120)
class WarmContextTest {

    private static final int WORKERS = 3;

    @TempDir
    Path dir;

    @Test
    void everyWorkerHasItsContextWhenOpenAndReloadReturn() throws Exception {
        Path s = FakeHosts.script(dir, "s.js", "export function onRequest(req, sip) { sip.reply(200); }\n");
        ExecutorSettings settings = new ExecutorSettings(WORKERS, 1_000_000, Duration.ofSeconds(30), 100);
        try (FakeHosts.Host host = new FakeHosts.Host(); ScriptExecutor x = ScriptExecutor.open(s, settings, host)) {
            // No polling: open() returns once each worker evaluated the module in its own context.
            assertEquals(WORKERS, x.stats().liveContexts(), x.stats().toString());

            Files.writeString(s, "export function onRequest(req, sip) { sip.reply(202); }\n");
            assertInstanceOf(ReloadResult.Loaded.class, x.reload());
            // The new version's contexts exist before it serves (the old ones close when idle).
            assertEquals(true, x.stats().liveContexts() >= WORKERS, x.stats().toString());
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "w1"));
            assertEquals(HandlerReport.Outcome.ANSWERED, x.handle(r).get().outcome());
            assertEquals(202, r.response().statusCode());
        }
    }

    /**
     * A handler that takes 800 ms of wall clock (a busy wait: no statement limit here) under a
     * 300 ms deadline: its first entry in a context is allowed the load allowance and answers, the
     * second entry in the same context is held to the deadline and stopped.
     */
    @Test
    void aContextsFirstHandlerEntryHasTheLoadAllowance() throws Exception {
        Path s = FakeHosts.script(dir, "slow.js", """
                export function onRequest(req, sip) {
                  const until = Date.now() + 800;
                  while (Date.now() < until) { }
                  sip.reply(200);
                }
                """);
        ExecutorSettings settings = new ExecutorSettings(1, Long.MAX_VALUE, Duration.ofMillis(300), 100);
        try (FakeHosts.Host host = new FakeHosts.Host(); ScriptExecutor x = ScriptExecutor.open(s, settings, host)) {
            FakeHosts.Request first = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "first"));
            HandlerReport r1 = x.handle(first).get();
            assertEquals(HandlerReport.Outcome.ANSWERED, r1.outcome(), () -> r1 + " " + host.logs);
            assertEquals(200, first.response().statusCode());

            FakeHosts.Request second = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "second"));
            HandlerReport r2 = x.handle(second).get();
            assertEquals(HandlerReport.Outcome.TIMEOUT, r2.outcome(), () -> r2 + " " + host.logs);
            assertEquals(500, second.response().statusCode());
        }
    }
}
