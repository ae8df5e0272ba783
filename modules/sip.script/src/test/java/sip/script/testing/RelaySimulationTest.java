package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.message.SipRequest;
import sip.router.proxy.Forking;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.script.internal.testing.OfflineRequestHost;
import sip.script.internal.testing.RelaySimulation;
import sip.transport.spi.Flow;

/** The offline proxy: branch order, failover through the hook, the response chosen, the copies forwarded. */
class RelaySimulationTest {

    private final SipRequest invite = new SyntheticRequest("INVITE", "sip:bob@example.test").build();
    private final OfflineRequestHost host = new OfflineRequestHost(invite,
            new Flow("udp", new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("127.0.0.1", 5062)));

    private Relay run(List<String> targets, RelayOptions options, Map<String, Integer> answers) {
        OfflineRequestHost.PendingRelay p = new OfflineRequestHost.PendingRelay(invite,
                targets.stream().map(Target::parse).toList(), options, new CompletableFuture<>());
        Relay relay = RelaySimulation.run(p, t -> answers.getOrDefault(t, 200), host);
        RelayOutcome outcome = p.result().getNow(null);
        if (relay.branches().isEmpty()) {
            assertInstanceOf(RelayOutcome.Answered.class, outcome);
        } else {
            assertEquals(relay.upstream().orElseThrow().statusCode(),
                    assertInstanceOf(RelayOutcome.Forwarded.class, outcome).response().statusCode());
        }
        return relay;
    }

    @Test
    void parallelFirstSuccessDecidesAndCancelsTheOthers() {
        Relay r = run(List.of("sip:a@10.0.0.1", "sip:b@10.0.0.2", "sip:c@10.0.0.3"), RelayOptions.defaults(),
                Map.of("sip:a@10.0.0.1", 486));
        assertEquals(List.of("sip:a@10.0.0.1 -> 486", "sip:b@10.0.0.2 -> 200", "sip:c@10.0.0.3 -> 487"),
                r.branches().stream().map(Relay.Branch::toString).toList());
        assertEquals(200, r.upstream().orElseThrow().statusCode());
        assertEquals(200, host.sent().getLast().statusCode(), "the 200 went upstream");
        assertEquals("parallel", r.forking());
        assertTrue(r.recordRoute(), "the proxy's default is to record-route");
    }

    @Test
    void serialFailoverThroughOnFailureStopsAtSuccess() {
        List<Integer> failures = new ArrayList<>();
        RelayOptions options = RelayOptions.newBuilder().forking(Forking.SEQUENTIAL).recordRoute(false)
                .branchTimeout(Duration.ofSeconds(2))
                .onBranchFailure((b, res) -> {
                    failures.add(res.statusCode());
                    return b.index() == 0 ? List.of(Target.parse("sip:backup@10.0.0.9")) : List.of();
                }).build();
        Relay r = run(List.of("sip:a@10.0.0.1", "sip:b@10.0.0.2"), options, Map.of("sip:a@10.0.0.1", 503));
        assertEquals(List.of("sip:a@10.0.0.1", "sip:backup@10.0.0.9"), r.branchTargets(),
                "the backup comes before the waiting target in a serial relay, which stops at its 200");
        assertEquals(List.of(503), failures);
        assertEquals(200, r.upstream().orElseThrow().statusCode());
        assertEquals(Duration.ofSeconds(2), r.branchTimeout().orElseThrow());
        assertFalse(r.recordRoute());
    }

    @Test
    void allFailedTheLowestClassGoesUpAndA503BecomesA500() {
        Relay r = run(List.of("sip:a@10.0.0.1", "sip:b@10.0.0.2"), RelayOptions.defaults(),
                Map.of("sip:a@10.0.0.1", 503, "sip:b@10.0.0.2", 486));
        assertEquals(486, r.upstream().orElseThrow().statusCode());

        Relay onlyUnavailable = run(List.of("sip:a@10.0.0.1"), RelayOptions.defaults(), Map.of("sip:a@10.0.0.1", 503));
        assertEquals(500, onlyUnavailable.upstream().orElseThrow().statusCode(), "RFC 3261 §16.7 item 6");
    }

    @Test
    void aSixHundredDecides() {
        Relay r = run(List.of("sip:a@10.0.0.1", "sip:b@10.0.0.2"),
                RelayOptions.newBuilder().forking(Forking.SEQUENTIAL).build(), Map.of("sip:a@10.0.0.1", 603));
        assertEquals(List.of("sip:a@10.0.0.1"), r.branchTargets());
        assertEquals(603, r.upstream().orElseThrow().statusCode());
    }

    @Test
    void noTargetsIs480() {
        Relay r = run(List.of(), RelayOptions.defaults(), Map.of());
        assertTrue(r.branches().isEmpty());
        assertEquals(480, r.upstream().orElseThrow().statusCode());
    }

    @Test
    void maxBranchesBoundsFailover() {
        RelayOptions options = RelayOptions.newBuilder().maxBranches(2)
                .onBranchFailure((b, res) -> List.of(Target.parse("sip:again@10.0.0." + (b.index() + 5)))).build();
        Relay r = run(List.of("sip:a@10.0.0.1"), options, Map.of("sip:a@10.0.0.1", 503, "sip:again@10.0.0.5", 503));
        assertEquals(2, r.branches().size());
    }

    @Test
    void aBadSimulatedAnswerFailsTheTestButStillSettlesTheRelay() {
        OfflineRequestHost.PendingRelay p = new OfflineRequestHost.PendingRelay(invite,
                List.of(Target.parse("sip:a@10.0.0.1")), RelayOptions.defaults(), new CompletableFuture<>());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RelaySimulation.run(p, t -> 180, host));
        assertEquals("onRelay answered 180 for sip:a@10.0.0.1: a branch ends with a final status, 200..699, or ScriptTester.NO_ANSWER", e.getMessage());
        assertInstanceOf(RelayOutcome.NotSent.class, p.result().getNow(null));
    }

    @Test
    void theBranchCopyIsWhatAProxyForwards() {
        Relay r = run(List.of("sip:bob@10.0.0.2:5070"), RelayOptions.defaults(), Map.of());
        SipRequest copy = r.branches().getFirst().request();
        assertEquals("sip:bob@10.0.0.2:5070", copy.requestUri().toString());
        assertEquals(69, copy.maxForwards().getAsInt());
        assertEquals("sip:127.0.0.1:5060;lr", copy.first(HeaderType.RECORD_ROUTE).orElseThrow().uri().toString());
        assertEquals(2, copy.vias().size(), "the proxy's Via on top of the client's");
    }
}
