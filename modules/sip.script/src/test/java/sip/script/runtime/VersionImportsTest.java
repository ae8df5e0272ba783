package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.router.UserAgent;
import sip.script.ReloadResult;
import sip.script.ScriptRuntime;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport.Outcome;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * A version owns the bytes of the modules it imported: every context of version N — the warm
 * ones, one replaced after a limit breach, one made later — runs version N's modules, whatever
 * sits on disk now. Only a reload makes a version that sees an edit.
 */
class VersionImportsTest {

    /** Spins on {@code X-Spin}, else answers with the imported module's status. */
    private static final String MAIN = """
            import { answer } from './%s';
            export function onRequest(req, sip) {
              if (req.header('X-Spin') !== null) { for (;;) {} }
              sip.reply(answer());
            }
            """;

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void aContextReplacedAfterAStatementLimitBreachRunsTheKeptVersionsImportNotARejectedEdit() throws Exception {
        fx.script("lib.js", "export function answer() { return 202; }\n");
        Path main = fx.script("main.js", MAIN.formatted("lib.js"));
        ScriptExecutor executor = fx.open(main, new ExecutorSettings(1, 200_000, Duration.ofSeconds(10), 100));
        assertEquals(202, status("r1", ""));
        String v1 = executor.version().sha256();

        fx.script("lib.js", "export function answer( { return 486; }\n");
        assertInstanceOf(ReloadResult.Rejected.class, executor.reload());
        assertEquals(1, executor.version().number());

        FakeHosts.Request spin = new FakeHosts.Request(FakeHosts.request("INVITE", "sip:bob@example.test", "r2", "X-Spin: 1\n"));
        assertEquals(Outcome.STATEMENT_LIMIT, executor.handle(spin).get().outcome());
        assertEquals(500, spin.response().statusCode());

        assertEquals(202, status("r3", ""), "the new context runs version 1's lib.js: " + fx.host.logs);
        assertEquals(1, executor.version().number());
        assertEquals(v1, executor.version().sha256());
    }

    /**
     * The same after a deadline breach, with the import in a subdirectory and then deleted: a
     * version never needs its files again once it read them.
     */
    @Test
    void aContextReplacedAfterADeadlineBreachRunsTheKeptVersionsNestedImportAfterItWasDeleted() throws Exception {
        Path lib = Files.createDirectories(fx.dir().resolve("lib"));
        FakeHosts.script(lib, "answer.js", "export function answer() { return 202; }\n");
        Path main = fx.script("main.js", MAIN.formatted("lib/answer.js"));
        ScriptExecutor executor = fx.open(main, new ExecutorSettings(1, Long.MAX_VALUE, Duration.ofSeconds(1), 100));
        assertEquals(202, status("d1", ""));

        FakeHosts.script(lib, "answer.js", "export function answer() { return 486 }}\n");
        assertInstanceOf(ReloadResult.Rejected.class, executor.reload());
        Files.delete(lib.resolve("answer.js"));
        assertInstanceOf(ReloadResult.Rejected.class, executor.reload());

        FakeHosts.Request spin = new FakeHosts.Request(FakeHosts.request("INVITE", "sip:bob@example.test", "d2", "X-Spin: 1\n"));
        assertEquals(Outcome.TIMEOUT, executor.handle(spin).get().outcome());
        assertEquals(500, spin.response().statusCode());

        assertEquals(202, status("d3", ""), "the new context runs version 1's lib/answer.js: " + fx.host.logs);
        assertEquals(1, executor.version().number());
    }

    /** An edit of a module in a subdirectory is part of the version's hash: reload loads it, and it answers. */
    @Test
    void anEditOfANestedImportIsANewVersion() throws Exception {
        Path lib = Files.createDirectories(fx.dir().resolve("lib"));
        FakeHosts.script(lib, "answer.js", "export function answer() { return 202; }\n");
        Path main = fx.script("main.js", MAIN.formatted("lib/answer.js"));
        ScriptExecutor executor = fx.open(main, new ExecutorSettings(1, 1_000_000, Duration.ofSeconds(10), 100));
        String v1 = executor.version().sha256();

        FakeHosts.script(lib, "answer.js", "export function answer() { return 203; }\n");
        ReloadResult.Loaded loaded = assertInstanceOf(ReloadResult.Loaded.class, executor.reload());
        assertEquals(2, loaded.version().number());
        assertNotEquals(v1, loaded.version().sha256());
        assertEquals(203, status("n1", ""));
        assertInstanceOf(ReloadResult.Unchanged.class, executor.reload());
    }

    /** The runtime's watcher sees an edit of a module in a subdirectory and reloads. */
    @Test
    void theWatcherReloadsOnAnEditOfANestedImport() throws Exception {
        Path lib = Files.createDirectories(fx.dir().resolve("lib"));
        FakeHosts.script(lib, "answer.js", "export function answer() { return 202; }\n");
        Path main = fx.script("main.js", MAIN.formatted("lib/answer.js"));
        BlockingQueue<ReloadResult> reloads = new LinkedBlockingQueue<>();
        try (UserAgent ua = UserAgent.newBuilder().name("watch").closeTimeout(Duration.ZERO).build();
             ScriptRuntime rt = ScriptRuntime.newBuilder(main).userAgent(ua).workers(1).watch(true)
                     .handlerDeadline(Duration.ofSeconds(10)).onReload(reloads::add).build()) {
            FakeHosts.script(lib, "answer.js", "export function answer() { return 203; }\n");
            // A save seen half-written (truncated, then written) may be rejected first: wait for the load.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            ReloadResult r = null;
            while (!(r instanceof ReloadResult.Loaded) && System.nanoTime() < deadline) {
                r = reloads.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            ReloadResult.Loaded loaded = assertInstanceOf(ReloadResult.Loaded.class, r, String.valueOf(r));
            assertEquals(2, loaded.version().number());
            assertEquals(2, rt.version().number());
        }
    }

    private int status(String callId, String extra) throws Exception {
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.request("INVITE", "sip:bob@example.test", callId, extra));
        fx.executor().handle(r).get();
        return r.response().statusCode();
    }
}
