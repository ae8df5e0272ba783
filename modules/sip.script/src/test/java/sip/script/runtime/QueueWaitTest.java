package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.HeaderName;
import sip.message.SipResponse;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.HandlerReport.Outcome;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * The queue is bounded in time as well as size: with the one worker held inside a handler (its
 * {@code sip.reply} blocks in the fake host until the test lets go) and the queue's clock moved
 * by hand, a request that waited longer than {@code maxQueueWait} gets {@code 503} with
 * {@code Retry-After} without running the script, one whose transaction ended while queued is
 * dropped unanswered, and a fresh one behind them still runs.
 */
@Timeout(60)
class QueueWaitTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(2);

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();
    private final AtomicLong ticker = new AtomicLong();

    private ScriptExecutor open() throws Exception {
        return fx.open("q.js", """
                export function onRequest(req, sip) {
                  sip.store.incr('runs:' + req.callId);
                  sip.reply(200);
                }
                """, FakeHosts.SETTINGS.withQueueWait(MAX_WAIT, ticker::get));
    }

    /** A request whose handler holds the only worker inside sip.reply until {@code release}. */
    private FakeHosts.Request holding(CountDownLatch entered, CountDownLatch release) {
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "busy"));
        r.beforeRespond = () -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return r;
    }

    private boolean ran(ScriptExecutor x, String callId) {
        return x.store().get("runs:" + callId) != null;
    }

    @Test
    void aRequestThatWaitedTooLongIs503WithoutRunningTheScript() throws Exception {
        ScriptExecutor x = open();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeHosts.Request busy = holding(entered, release);
        CompletableFuture<HandlerReport> busyDone = x.handle(busy);
        assertTrue(entered.await(30, TimeUnit.SECONDS), "the worker is inside the first handler");

        FakeHosts.Request stale = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "stale"));
        CompletableFuture<HandlerReport> staleDone = x.handle(stale);
        ticker.addAndGet(MAX_WAIT.plusMillis(1).toNanos());
        FakeHosts.Request fresh = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "fresh"));
        CompletableFuture<HandlerReport> freshDone = x.handle(fresh);
        release.countDown();

        assertEquals(Outcome.ANSWERED, busyDone.get(30, TimeUnit.SECONDS).outcome());
        assertEquals(Outcome.OVERLOADED, staleDone.get(30, TimeUnit.SECONDS).outcome());
        SipResponse r = stale.response();
        assertEquals(503, r.statusCode(), r::toString);
        assertEquals("1", r.header(HeaderName.of("Retry-After")).orElseThrow());
        assertEquals(false, ran(x, "stale"), "the script did not run for the stale request");
        assertEquals(Outcome.ANSWERED, freshDone.get(30, TimeUnit.SECONDS).outcome(), "waited 0 on the queue's clock");
        assertEquals(200, fresh.response().statusCode());
        assertTrue(ran(x, "fresh"));
    }

    @Test
    void aRequestAtTheLimitStillRuns() throws Exception {
        ScriptExecutor x = open();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<HandlerReport> busyDone = x.handle(holding(entered, release));
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        FakeHosts.Request waited = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "waited"));
        CompletableFuture<HandlerReport> done = x.handle(waited);
        ticker.addAndGet(MAX_WAIT.toNanos());
        release.countDown();
        busyDone.get(30, TimeUnit.SECONDS);
        assertEquals(Outcome.ANSWERED, done.get(30, TimeUnit.SECONDS).outcome());
        assertEquals(200, waited.response().statusCode());
    }

    @Test
    void aQueuedRequestWhoseTransactionEndedIsDroppedUnanswered() throws Exception {
        ScriptExecutor x = open();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<HandlerReport> busyDone = x.handle(holding(entered, release));
        assertTrue(entered.await(30, TimeUnit.SECONDS));

        FakeHosts.Request gone = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "gone"));
        CompletableFuture<HandlerReport> goneDone = x.handle(gone);
        FakeHosts.Request next = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "next"));
        CompletableFuture<HandlerReport> nextDone = x.handle(next);
        gone.transactionEnded = true; // its client cancelled (or the UA's handler timeout answered it)
        release.countDown();

        busyDone.get(30, TimeUnit.SECONDS);
        assertEquals(Outcome.ABANDONED, goneDone.get(30, TimeUnit.SECONDS).outcome());
        assertTrue(gone.responses.isEmpty(), () -> "nothing sent: " + gone.responses);
        assertEquals(false, ran(x, "gone"), "the script did not run");
        assertEquals(Outcome.ANSWERED, nextDone.get(30, TimeUnit.SECONDS).outcome());
        assertTrue(ran(x, "next"));
        assertEquals(0, x.stats().inFlight());
    }

    @Test
    void theDefaultWaitIsTwoSecondsOrTheDeadline() {
        assertEquals(Duration.ofSeconds(2), ExecutorSettings.defaultQueueWait(Duration.ofMillis(500)));
        assertEquals(Duration.ofSeconds(10), ExecutorSettings.defaultQueueWait(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(10), FakeHosts.SETTINGS.maxQueueWait());
    }
}
