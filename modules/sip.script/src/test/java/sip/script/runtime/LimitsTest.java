package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void statementLimitStopsAnInfiniteLoop() throws Exception {
        ScriptExecutor executor = fx.open("loop.js", SCRIPT,
                new ExecutorSettings(1, 100_000, Duration.ofSeconds(30), 100));
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "loop1"));
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.STATEMENT_LIMIT, rep.outcome(), rep::toString);
        assertEquals(500, r.response().statusCode());
        assertTrue(fx.host.logged("statement limit exceeded"), fx.host.logs::toString);
        // Located where the limit hit (the loop), as a deadline breach is, not at onRequest's line.
        assertEquals("loop.js", rep.error().orElseThrow().file(), rep::toString);
        assertEquals(3, rep.error().orElseThrow().line(), rep::toString);
        assertTrue(fx.host.logged("loop.js:3:"), fx.host.logs::toString);
        assertNextRequestIsServed();
        assertEquals(1, executor.stats().timeouts());
    }

    @Test
    void deadlineStopsABusyWait() throws Exception {
        // Date.now() loops cost statements too; a huge statement limit leaves the deadline to act.
        ScriptExecutor executor = fx.open("busy.js", SCRIPT,
                new ExecutorSettings(1, Long.MAX_VALUE / 2, Duration.ofSeconds(1), 100));
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.request("MESSAGE", "sip:bob@example.test", "busy1", ""));
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.TIMEOUT, rep.outcome(), rep::toString);
        assertEquals(500, r.response().statusCode());
        assertTrue(fx.host.logged("handler deadline exceeded"), fx.host.logs::toString);
        // Located in the script (the busy loop, lines 6-7), never in the builtin it was stopped in.
        assertEquals("busy.js", rep.error().orElseThrow().file(), rep::toString);
        int line = rep.error().orElseThrow().line();
        assertTrue(line == 6 || line == 7, rep::toString);
        assertNextRequestIsServed();
    }

    @Test
    void deepRecursionIsAnErrorAnd500() throws Exception {
        ScriptExecutor executor = fx.open("deep.js", """
                function down(n) { return down(n + 1) + 1; }
                export function onRequest(req, sip) {
                  if (req.method === 'INVITE') down(0);
                  sip.reply(200);
                }
                """, new ExecutorSettings(1, Long.MAX_VALUE / 2, Duration.ofSeconds(10), 100));
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "deep1"));
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.ERROR, rep.outcome(), rep::toString);
        assertTrue(rep.error().orElseThrow().message().contains("RangeError"), rep::toString);
        assertEquals(500, r.response().statusCode());
        FakeHosts.Request next = new FakeHosts.Request(FakeHosts.request("OPTIONS", "sip:bob@example.test", "deep2", ""));
        executor.handle(next).get();
        assertEquals(200, next.response().statusCode());
    }

    @Test
    void fullQueueIs503WithRetryAfter() throws Exception {
        ScriptExecutor executor = fx.open("busy.js", SCRIPT,
                new ExecutorSettings(1, Long.MAX_VALUE / 2, Duration.ofMillis(1500), 1));
        java.util.List<FakeHosts.Request> sent = new java.util.ArrayList<>();
        java.util.List<java.util.concurrent.CompletableFuture<HandlerReport>> reports = new java.util.ArrayList<>();
        FakeHosts.Request busy = new FakeHosts.Request(FakeHosts.request("MESSAGE", "sip:bob@example.test", "b0", ""));
        reports.add(executor.handle(busy));
        for (int i = 1; i <= 3; i++) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.request("OPTIONS", "sip:bob@example.test", "q" + i, ""));
            sent.add(r);
            reports.add(executor.handle(r));
        }
        int overloaded = 0;
        for (int i = 0; i < sent.size(); i++) {
            HandlerReport rep = reports.get(i + 1).get();
            SipResponseCheck.check(sent.get(i), rep);
            if (rep.outcome() == Outcome.OVERLOADED) {
                overloaded++;
            }
        }
        // One request runs, one waits: at least two of the three later ones found the queue full.
        assertTrue(overloaded >= 2, "overloaded: " + overloaded);
        assertEquals(Outcome.TIMEOUT, reports.get(0).get().outcome());
    }

    /** An overloaded request got 503 with Retry-After; a served one 200. */
    private static final class SipResponseCheck {
        static void check(FakeHosts.Request r, HandlerReport rep) throws InterruptedException {
            var resp = r.response();
            if (rep.outcome() == Outcome.OVERLOADED) {
                assertEquals(503, resp.statusCode());
                assertTrue(resp.header(sip.message.HeaderName.of("Retry-After")).isPresent());
            } else {
                assertEquals(200, resp.statusCode());
            }
        }
    }

    private void assertNextRequestIsServed() throws Exception {
        FakeHosts.Request next = new FakeHosts.Request(FakeHosts.request("OPTIONS", "sip:bob@example.test", "ok1", ""));
        assertEquals(Outcome.ANSWERED, fx.executor().handle(next).get().outcome());
        assertEquals(200, next.response().statusCode());
        assertEquals(1, fx.executor().stats().liveContexts(), "the dead context was replaced by one");
    }
}
