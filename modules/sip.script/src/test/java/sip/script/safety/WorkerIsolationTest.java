package sip.script.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.message.SipResponse;
import sip.script.ReloadResult;
import sip.script.ScriptError;
import sip.script.ScriptStats;

/**
 * Runaway handlers occupy some workers; requests that come meanwhile are answered by the others.
 * Two runaways (loops without end, stopped only by a long wall-clock deadline: the statement
 * limit is set out of reach) hold two of four workers; each tells the test it runs by a store
 * entry. Then normal requests, one after another, each answered 200 while both runaways still
 * run (their 500s come only at the deadline, far later than a normal answer takes on any
 * machine), and afterwards the runaways get 500 and the runtime counts both as timeouts.
 */
@Timeout(180)
class WorkerIsolationTest {

    private static final int WORKERS = 4;
    private static final int RUNAWAYS = 2;
    private static final int NORMAL = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path root;

    @Test
    void runawaysOnSomeWorkersDoNotStopNormalRequestsOnOthers() throws Exception {
        String script = """
                export function onRequest(req, sip) {
                  if (req.uri.user === 'runaway') {
                    sip.store.set('running:' + req.callId, true);
                    for (;;) {}
                  }
                  sip.reply(200, 'OK');
                }
                """;
        try (ScriptedServer server = ScriptedServer.start(root, script,
                b -> b.workers(WORKERS).statementLimit(Long.MAX_VALUE).handlerDeadline(DEADLINE))) {
            List<CompletableFuture<SipResponse>> runaways = new ArrayList<>();
            for (int i = 0; i < RUNAWAYS; i++) {
                runaways.add(server.request("runaway"));
            }
            server.awaitStats("both runaways running", s -> s.storeEntries() == RUNAWAYS);

            for (int i = 0; i < NORMAL; i++) {
                SipResponse r = server.send("normal-" + i);
                assertEquals(200, r.statusCode(), "normal request " + i + ": " + r);
                for (CompletableFuture<SipResponse> runaway : runaways) {
                    // A runaway ends only at its deadline, so a normal answer after that end waited
                    // for the runaway's worker while two others were idle.
                    assertFalse(runaway.isDone(), "normal request " + i + " was answered only after a runaway ended at its "
                            + DEADLINE.toSeconds() + " s deadline: it waited behind the runaway's worker\n"
                            + server.stats() + "\nthe runaway's answer: " + runaway.getNow(null));
                }
            }
            // The last 200 can reach the client before its handler's bookkeeping ends: wait for
            // the count to settle at the runaways (it never drops below them while they run).
            server.awaitStats("only the runaways in flight", st -> st.inFlight() == RUNAWAYS);
            for (CompletableFuture<SipResponse> runaway : runaways) {
                assertFalse(runaway.isDone(), "a runaway ended early: " + runaway.getNow(null));
            }

            for (CompletableFuture<SipResponse> runaway : runaways) {
                SipResponse r = runaway.get(ScriptedServer.ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
                assertEquals(500, r.statusCode(), r.toString());
            }
            ScriptStats s = server.awaitStats("nothing in flight", st -> st.inFlight() == 0 && st.liveContexts() <= WORKERS);
            assertEquals(RUNAWAYS, s.timeouts(), s.toString());
            assertTrue(s.handled() >= NORMAL, "every normal request counted as handled\n" + s);
            assertEquals(200, server.send("after").statusCode(), "the replaced contexts serve");

            ScriptStats closed = server.closeAndStats();
            assertEquals(0, closed.liveContexts(), closed.toString());
            assertEquals(0, closed.inFlight(), closed.toString());
            assertEquals(0, closed.storeEntries(), closed.toString());
            assertTrue(closed.handled() >= NORMAL + RUNAWAYS + 1L, closed.toString());
        }
    }

    /**
     * An edit whose top level never ends: the reload compiles and evaluates it on the caller's
     * thread until the deadline stops it, and the workers keep serving the running version all the
     * while; then the edit is rejected with a TIMEOUT and version 1 still serves.
     */
    @Test
    void reloadOfARunawayScriptDoesNotStopServing() throws Exception {
        String serving = "export function onRequest(req, sip) { sip.reply(200, 'OK'); }\n";
        try (ScriptedServer server = ScriptedServer.start(root, serving,
                b -> b.workers(2).statementLimit(Long.MAX_VALUE).handlerDeadline(DEADLINE))) {
            Files.writeString(server.runtime.version().file(),
                    "for (;;) {}\nexport function onRequest(req, sip) { sip.reply(202); }\n", StandardCharsets.UTF_8);
            CompletableFuture<ReloadResult> reload = CompletableFuture.supplyAsync(server.runtime::reload,
                    command -> Thread.ofPlatform().name("reload").start(command));

            for (int i = 0; i < NORMAL; i++) {
                assertEquals(200, server.send("during-reload-" + i).statusCode(), "request " + i + " during the reload");
            }
            assertFalse(reload.isDone(), "the reload ended before its deadline: " + reload.getNow(null));

            ReloadResult result = reload.get(ScriptedServer.ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
            ReloadResult.Rejected rejected = assertInstanceOf(ReloadResult.Rejected.class, result, result.toString());
            assertEquals(ScriptError.Kind.TIMEOUT, rejected.error().kind(), rejected.error().toString());
            assertEquals(1, server.runtime.version().number());
            assertEquals(200, server.send("after-reload").statusCode());

            ScriptStats closed = server.closeAndStats();
            assertEquals(0, closed.liveContexts(), closed.toString());
            assertEquals(0, closed.inFlight(), closed.toString());
            assertEquals(1, closed.rejectedReloads(), closed.toString());
        }
    }
}
