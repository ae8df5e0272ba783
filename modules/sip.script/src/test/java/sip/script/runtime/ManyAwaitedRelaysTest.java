package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.SipResponse;
import sip.router.proxy.Branch;
import sip.router.proxy.RelayOutcome;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Thousands of async handlers awaiting their relays at once: each finishes from its own relay
 * completion (the worker no longer walks every pending handler after each entry, which was
 * quadratic), the code after each {@code await} runs once, and the in-flight count returns to 0.
 */
class ManyAwaitedRelaysTest {

    private static final int REQUESTS = 2_000;

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void twoThousandConcurrentAwaitedRelaysComplete() throws Exception {
        Path s = fx.script("await.js", """
                export async function onRequest(req, sip) {
                  const r = await sip.relay(req, 'sip:a@10.0.0.1');
                  sip.store.incr('resumed:' + r.status);
                }
                """);
        ScriptExecutor executor = fx.open(s, new ExecutorSettings(1, 1_000_000, Duration.ofSeconds(10), REQUESTS));
        List<FakeHosts.Request> requests = new ArrayList<>();
        List<CompletableFuture<HandlerReport>> reports = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "m" + i));
            requests.add(r);
            reports.add(executor.handle(r));
        }
        List<FakeHosts.Relay> relays = new ArrayList<>();
        for (FakeHosts.Request r : requests) {
            relays.add(r.relay());
        }
        assertEquals(REQUESTS, executor.stats().inFlight(), "every handler waits for its relay");
        for (FakeHosts.Relay relay : relays) {
            SipResponse ok = SipResponse.builder(relay.request(), 200).toTag("b").build();
            relay.outcome().complete(new RelayOutcome.Forwarded(ok, new Branch(0, relay.targets().getFirst())));
        }
        CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<HandlerReport> report : reports) {
            assertEquals(HandlerReport.Outcome.ANSWERED, report.get().outcome(), report.get()::toString);
        }
        assertEquals((double) REQUESTS, executor.store().get("resumed:200"));
        assertEquals(0, executor.stats().inFlight());
    }
}
