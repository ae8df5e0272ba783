package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.HandlerReport.Outcome;
import sip.script.internal.runtime.ScriptExecutor;

/** A runaway handler is stopped, answered 500, its context replaced; the next request is served. */
class LimitsTest {

    private static final String SCRIPT = """
            export function onRequest(req, sip) {
              if (req.method === 'INVITE') {
                while (true) { }
              }
              if (req.method === 'MESSAGE') {
                const end = Date.now() + 60000;
                while (Date.now() < end) { }
              }
              sip.reply(200);
            }
            """;

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
    void statementLimitStopsAnInfiniteLoop() throws Exception {
        executor = ScriptExecutor.open(FakeHosts.script(dir, "loop.js", SCRIPT),
                new ExecutorSettings(1, 100_000, Duration.ofSeconds(30), 100), host);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "loop1"));
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.STATEMENT_LIMIT, rep.outcome(), rep::toString);
        assertEquals(500, r.response().statusCode());
        assertTrue(host.logged("statement limit exceeded"), host.logs::toString);
        assertTrue(host.logged("loop.js:1 (onRequest): statement limit exceeded"), host.logs::toString);
        assertNextRequestIsServed();
        assertEquals(1, executor.stats().timeouts());
    }

    @Test
    void deadlineStopsABusyWait() throws Exception {
        // Date.now() loops cost statements too; a huge statement limit leaves the deadline to act.
        executor = ScriptExecutor.open(FakeHosts.script(dir, "busy.js", SCRIPT),
                new ExecutorSettings(1, Long.MAX_VALUE / 2, Duration.ofMillis(300), 100), host);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.request("MESSAGE", "sip:bob@example.test", "busy1", ""));
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.TIMEOUT, rep.outcome(), rep::toString);
        assertEquals(500, r.response().statusCode());
        assertTrue(host.logged("handler deadline exceeded"), host.logs::toString);
        assertNextRequestIsServed();
    }

    private void assertNextRequestIsServed() throws Exception {
        FakeHosts.Request next = new FakeHosts.Request(FakeHosts.request("OPTIONS", "sip:bob@example.test", "ok1", ""));
        assertEquals(Outcome.ANSWERED, executor.handle(next).get().outcome());
        assertEquals(200, next.response().statusCode());
        assertEquals(1, executor.stats().liveContexts(), "the dead context was replaced by one");
    }
}
