package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.proxy.Branch;
import sip.router.proxy.RelayOutcome;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Per-request cost of the runtime: a proxy-like onRequest (a few property reads, a lookup-free
 * relay whose Promise resolves at once) through one worker against in-memory hosts. Not a unit
 * test: run with {@code -Dparley.measure=true}; prints ns per request after warm-up.
 */
@EnabledIfSystemProperty(named = "parley.measure", matches = "true")
class OverheadMeasurement {

    @TempDir
    Path dir;

    @Test
    void replyOverhead() throws Exception {
        measure("reply", FakeHosts.script(dir, "reply.js", "export function onRequest(req, sip) { sip.reply(200); }\n"));
    }

    @Test
    void relayNotAwaitedOverhead() throws Exception {
        later = true;
        measure("relay-not-awaited", FakeHosts.script(dir, "proxy.js", """
                export function onRequest(req, sip) {
                  if (req.method !== 'INVITE' || req.maxForwards < 1) return sip.reply(483);
                  sip.relay(req, 'sip:' + req.uri.user + '@10.0.0.2:5060', { recordRoute: true });
                }
                """));
    }

    /** Complete relays after the handlers finished, as a real network does. */
    private boolean later;

    @Test
    void relayOverhead() throws Exception {
        measure("relay", FakeHosts.script(dir, "relay.js", """
                export async function onRequest(req, sip) {
                  if (req.method !== 'INVITE' || req.maxForwards < 1) return sip.reply(483);
                  const user = req.uri.user;
                  const r = await sip.relay(req, 'sip:' + user + '@10.0.0.2:5060', { recordRoute: true });
                  if (r.status >= 300) sip.log.debug('failed', r.status);
                }
                """));
    }

    private void measure(String what, Path s) throws Exception {
        SipRequest invite = FakeHosts.invite("sip:bob@example.test", "m1");
        SipResponse ok = SipResponse.builder(invite, 200).toTag("x").build();
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, new ExecutorSettings(1, 1_000_000, java.time.Duration.ofSeconds(10), 100_000), host)) {
            int rounds = Integer.getInteger("parley.measure.rounds", 8);
            for (int round = 0; round < rounds; round++) {
                int n = 20_000;
                long t0 = System.nanoTime();
                long proc0 = processCpu();
                List<CompletableFuture<HandlerReport>> all = new ArrayList<>(n);
                List<FakeHosts.Request> open = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    FakeHosts.Request r = new FakeHosts.Request(invite);
                    if (later) {
                        open.add(r);
                    } else {
                        r.autoAnswer = relay -> new RelayOutcome.Forwarded(ok, new Branch(0, relay.targets().get(0)));
                    }
                    all.add(x.handle(r));
                    if (all.size() >= 5_000) {
                        drain(all);
                        complete(open, ok);
                    }
                }
                drain(all);
                complete(open, ok);
                long ns = (System.nanoTime() - t0) / n;
                System.out.printf("parley-measure " + what + " engine=%s round=%d wall-ns/request=%d process-cpu-ns/request=%d%n",
                        x.stats().workers() > 0 ? engineName() : "?", round, ns, (processCpu() - proc0) / n);
            }
        }
    }

    private static String engineName() {
        try (org.graalvm.polyglot.Engine e = org.graalvm.polyglot.Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false").build()) {
            return e.getImplementationName().replace(' ', '-');
        }
    }

    /** CPU time of this process (all threads: caller, worker, JIT compilers), load-independent unlike wall time. */
    private static long processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static void complete(List<FakeHosts.Request> open, SipResponse ok) throws Exception {
        for (FakeHosts.Request r : open) {
            FakeHosts.Relay relay = r.relay();
            relay.outcome().complete(new RelayOutcome.Forwarded(ok, new Branch(0, relay.targets().get(0))));
        }
        open.clear();
    }

    private static void drain(List<CompletableFuture<HandlerReport>> all) throws Exception {
        for (CompletableFuture<HandlerReport> f : all) {
            assertEquals(HandlerReport.Outcome.ANSWERED, f.get().outcome());
        }
        all.clear();
    }
}
