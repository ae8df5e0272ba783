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
    void relayOverhead() throws Exception {
        Path s = FakeHosts.script(dir, "relay.js", """
                export async function onRequest(req, sip) {
                  if (req.method !== 'INVITE' || req.maxForwards < 1) return sip.reply(483);
                  const user = req.uri.user;
                  const r = await sip.relay(req, 'sip:' + user + '@10.0.0.2:5060', { recordRoute: true });
                  if (r.status >= 300) sip.log.debug('failed', r.status);
                }
                """);
        SipRequest invite = FakeHosts.invite("sip:bob@example.test", "m1");
        SipResponse ok = SipResponse.builder(invite, 200).toTag("x").build();
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, new ExecutorSettings(1, 1_000_000, java.time.Duration.ofSeconds(10), 100_000), host)) {
            for (int round = 0; round < 8; round++) {
                int n = 20_000;
                long t0 = System.nanoTime();
                List<CompletableFuture<HandlerReport>> all = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    FakeHosts.Request r = new FakeHosts.Request(invite);
                    r.autoAnswer = relay -> new RelayOutcome.Forwarded(ok, new Branch(0, relay.targets().get(0)));
                    all.add(x.handle(r));
                    if (all.size() >= 5_000) {
                        drain(all);
                    }
                }
                drain(all);
                long ns = (System.nanoTime() - t0) / n;
                System.out.printf("parley-measure engine=%s round=%d ns/request=%d%n",
                        org.graalvm.polyglot.Engine.create().getImplementationName(), round, ns);
            }
        }
    }

    private static void drain(List<CompletableFuture<HandlerReport>> all) throws Exception {
        for (CompletableFuture<HandlerReport> f : all) {
            assertEquals(HandlerReport.Outcome.ANSWERED, f.get().outcome());
        }
        all.clear();
    }
}
