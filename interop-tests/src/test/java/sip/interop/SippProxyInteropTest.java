package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.Target;

/**
 * SIPp UAC → Parley proxy → SIPp UAS(es), whole calls on loopback. The UAC follows the
 * Record-Route set of the 200 ({@code uac-rr-transactions.xml}: the team's
 * {@code ../shared/bench/sipp/uac-rr.xml} matching responses by transaction, with 100 ms between
 * ACK and BYE until the proxy keeps their order, see {@link #ackAndByeKeepTheirOrderOverTcp}), so its ACK
 * and BYE cross the proxy again: the proxy's counters say so (one stateful relay for the INVITE
 * and one for the BYE, one stateless forward for the ACK, per call). Also: crossing transports
 * (a double Record-Route), parallel forking (best response; CANCEL of the branch that lost),
 * CANCEL from the caller, and 10 % loss. After each run every context, branch and transaction of
 * the proxy ends.
 */
class SippProxyInteropTest {

    private static final int CALLS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "UAC over {0}, UAS over {1}")
    @CsvSource({"udp, udp", "tcp, tcp", "udp, tcp", "tcp, udp"})
    void callsCrossTheProxy(String uacTransport, String uasTransport) throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort(uasTransport);
        try (RelayingProxy proxy = RelayingProxy.to("sip:service@127.0.0.1:" + uasPort + ";transport=" + uasTransport);
             Peers.Started uas = sipp.uas("uas", sipp.scenario("uas-answer.xml"), uasTransport, uasPort, CALLS)) {
            Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-rr-transactions.xml"), uacTransport, proxy.port(), CALLS);
            Peers.Run uasRun = uas.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("uas", uasRun)
                    + "\nACKs after their BYE at the UAS: " + sipp.acksAfterBye("uas");

            assertEquals(0, uac.exitCode(), why);
            assertEquals(0, uasRun.exitCode(), why);
            assertEquals(CALLS, sipp.stats("uac", uac.output()).successful(), why);
            assertEquals(CALLS, sipp.stats("uas", uasRun.output()).successful(), why);

            // The UAS saw the proxy's Record-Route: one entry, two when the call changes transport
            // (RFC 5658), each with lr; and the ACK and BYE came with the proxy's Via on top.
            String invite = first(sipp.received("uas"), "INVITE ");
            int recordRoutes = recordRoutes(invite);
            assertEquals(uacTransport.equals(uasTransport) ? 1 : 2, recordRoutes, invite);
            assertTrue(invite.contains(";lr"), invite);
            String bye = first(sipp.received("uas"), "BYE ");
            assertTrue(bye.contains("Via: SIP/2.0/" + uasTransport.toUpperCase(java.util.Locale.ROOT)), bye);
            assertEquals(2, vias(bye), "the BYE crossed the proxy\n" + bye);

            ProxyStats stats = proxy.stats();
            assertEquals(2L * CALLS, stats.relayed(), "an INVITE and a BYE relayed per call\n" + stats);
            assertEquals(2L * CALLS, stats.succeeded(), stats.toString());
            assertEquals(CALLS, stats.statelessForwarded(), "one ACK per call forwarded\n" + stats);
            assertEquals(0, stats.failed(), stats.toString());
            assertIdle(proxy);
        }
    }

    /**
     * The team's reference pair as it is, {@code uac-rr.xml} → proxy → {@code uas-200.xml}, over
     * TCP: the UAC sends its ACK and BYE back to back on one connection, and SIPp's UAS fails a
     * call whose ACK comes after the BYE. So the proxy must keep the order of a flow's messages
     * (it once forwarded the stateless ACK on a thread of its own, and one or two of 20 ACKs left
     * after the BYE sent 1 ms behind them). The other tests here use a UAS that takes the ACK in
     * either order.
     */
    @Test
    void ackAndByeKeepTheirOrderOverTcp() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort("tcp");
        try (RelayingProxy proxy = RelayingProxy.to("sip:service@127.0.0.1:" + uasPort + ";transport=tcp");
             Peers.Started uas = sipp.uas("uas", SippCalls.sharedBench("sipp/uas-200.xml"), "tcp", uasPort, CALLS)) {
            Peers.Run uac = sipp.uac("uac", SippCalls.sharedBench("sipp/uac-rr.xml"), "tcp", proxy.port(), CALLS);
            Peers.Run uasRun = uas.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("uas", uasRun);
            assertEquals(0, sipp.acksAfterBye("uas"), "ACKs forwarded after the BYE that followed them\n" + why);
            assertEquals(0, uasRun.exitCode(), why);
            assertEquals(CALLS, sipp.stats("uas", uasRun.output()).successful(), why);
            assertEquals(0, uac.exitCode(), why);
            assertIdle(proxy);
        }
    }

    /** Parallel forking: one target busy at once, the other answering 200 ms later; the 200 wins. */
    @Test
    void forkedCallCompletesWhenOneTargetIsBusy() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int busyPort = Sipp.freePort("udp");
        int answerPort = Sipp.freePort("udp");
        List<Target> targets = List.of(Target.parse("sip:busy@127.0.0.1:" + busyPort),
                Target.parse("sip:answer@127.0.0.1:" + answerPort));
        try (RelayingProxy proxy = new RelayingProxy(r -> targets, RelayOptions.defaults());
             Peers.Started busy = sipp.uas("busy", sipp.scenario("uas-busy.xml"), "udp", busyPort, CALLS);
             Peers.Started answer = sipp.uas("answer", sipp.scenario("uas-answer.xml"), "udp", answerPort, CALLS,
                     "-d", "200")) {
            Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-rr-transactions.xml"), "udp", proxy.port(), CALLS);
            Peers.Run busyRun = busy.await(SippCalls.PEER_TIMEOUT_S);
            Peers.Run answerRun = answer.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("busy", busyRun) + "\n" + sipp.report("answer", answerRun);

            assertEquals(0, uac.exitCode(), why);
            assertEquals(CALLS, sipp.stats("uac", uac.output()).successful(), why);
            // Every 486 was ACKed by the proxy, every answered call ended with its BYE.
            assertEquals(CALLS, sipp.stats("busy", busyRun.output()).successful(), why);
            assertEquals(CALLS, sipp.stats("answer", answerRun.output()).successful(), why);
            // No 486 reached the caller.
            assertTrue(sipp.received("uac").stream().noneMatch(m -> m.startsWith("SIP/2.0 486")), why);

            ProxyStats stats = proxy.stats();
            assertEquals(2L * CALLS, stats.relayed(), stats.toString());
            assertEquals(2L * CALLS, stats.succeeded(), stats.toString());
            assertIdle(proxy);
        }
    }

    /**
     * Parallel forking: both targets ring, one answers 500 ms later; the proxy cancels the other
     * (RFC 3261 §16.7 item 10), which answers the CANCEL 200 and its INVITE 487.
     */
    @Test
    void forkedCallCancelsTheTargetThatKeepsRinging() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int ringingPort = Sipp.freePort("udp");
        int answerPort = Sipp.freePort("udp");
        List<Target> targets = List.of(Target.parse("sip:ringing@127.0.0.1:" + ringingPort),
                Target.parse("sip:answer@127.0.0.1:" + answerPort));
        try (RelayingProxy proxy = new RelayingProxy(r -> targets, RelayOptions.defaults());
             Peers.Started ringing = sipp.uas("ringing", sipp.scenario("uas-ring-cancelled.xml"), "udp", ringingPort, CALLS);
             Peers.Started answer = sipp.uas("answer", sipp.scenario("uas-ring-answer.xml"), "udp", answerPort, CALLS,
                     "-d", "500")) {
            Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-rr-transactions.xml"), "udp", proxy.port(), CALLS);
            Peers.Run ringingRun = ringing.await(SippCalls.PEER_TIMEOUT_S);
            Peers.Run answerRun = answer.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("ringing", ringingRun) + "\n" + sipp.report("answer", answerRun);

            assertEquals(0, uac.exitCode(), why);
            assertEquals(CALLS, sipp.stats("uac", uac.output()).successful(), why);
            assertEquals(0, ringingRun.exitCode(), why);
            assertEquals(CALLS, sipp.stats("ringing", ringingRun.output()).successful(), "every ringing branch cancelled\n" + why);
            assertEquals(CALLS, sipp.stats("answer", answerRun.output()).successful(), why);
            assertEquals(CALLS, sipp.received("ringing").stream().filter(m -> m.startsWith("CANCEL ")).count(), why);
            assertTrue(sipp.received("uac").stream().noneMatch(m -> m.startsWith("SIP/2.0 487")), why);
            assertIdle(proxy);
        }
    }

    /** The caller cancels while it rings: the proxy answers the CANCEL, cancels the branch, and the UAS's 487 comes back. */
    @Test
    void cancelFromTheCallerReachesTheCallee() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort("udp");
        try (RelayingProxy proxy = RelayingProxy.to("sip:service@127.0.0.1:" + uasPort);
             Peers.Started uas = sipp.uas("uas", sipp.scenario("uas-ring-cancelled.xml"), "udp", uasPort, CALLS)) {
            Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-cancel.xml"), "udp", proxy.port(), CALLS);
            Peers.Run uasRun = uas.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("uas", uasRun);

            assertEquals(0, uac.exitCode(), why);
            assertEquals(0, uasRun.exitCode(), why);
            assertEquals(CALLS, sipp.stats("uac", uac.output()).successful(), why);
            assertEquals(CALLS, sipp.stats("uas", uasRun.output()).successful(), why);
            // The 487 the caller got is the UAS's, with its To tag, not one the proxy made up.
            String terminated = first(sipp.received("uac"), "SIP/2.0 487");
            assertTrue(terminated.contains("SIPpTag01"), terminated);

            ProxyStats stats = proxy.stats();
            assertEquals(CALLS, stats.relayed(), stats.toString());
            assertEquals(CALLS, stats.failed(), stats.toString());
            assertIdle(proxy);
        }
    }

    /**
     * 10 % loss: the UAC loses 10 % of what it sends and receives ({@code -lost 10}), the UAS 10 %
     * of what it receives (see uas-answer-losing.xml for why not of what it sends). Every call
     * still completes, through retransmissions on every hop.
     */
    @Test
    void callsCompleteWithTenPercentLoss() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort("udp");
        int calls = 50;
        try (RelayingProxy proxy = RelayingProxy.to("sip:service@127.0.0.1:" + uasPort);
             Peers.Started uas = sipp.uas("uas", sipp.scenario("uas-answer-losing.xml"), "udp", uasPort, calls)) {
            Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-rr-transactions.xml"), "udp", proxy.port(), calls,
                    "-lost", "10");
            Peers.Run uasRun = uas.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("uas", uasRun);

            Sipp.Stats uacStats = sipp.stats("uac", uac.output());
            assertEquals(0, uac.exitCode(), why);
            assertEquals(calls, uacStats.successful(), why);
            assertEquals(0, uacStats.failed(), why);
            assertEquals(calls, sipp.stats("uas", uasRun.output()).successful(), why);
            assertTrue(uacStats.retransmissions() > 0, "10 % loss and no retransmission by the UAC\n" + why);

            ProxyStats stats = proxy.stats();
            assertTrue(stats.relayed() >= 2L * calls, stats.toString());
            assertTrue(stats.succeeded() >= 2L * calls, stats.toString());
            assertIdle(proxy);
        }
    }

    static void assertIdle(RelayingProxy proxy) throws InterruptedException {
        RelayingProxy.Idle idle = proxy.awaitIdle();
        assertTrue(idle.isIdle(), "still live after " + RelayingProxy.IDLE_WITHIN.toSeconds() + " s: " + idle);
        assertEquals(0, idle.transactions().transportErrors(), idle.toString());
        assertEquals(0, idle.transactions().malformedDropped(), idle.toString());
    }

    static String first(List<String> messages, String start) {
        return messages.stream().filter(m -> m.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + start.trim() + " among " + messages.size() + " messages"));
    }

    /** Record-Route values in a message, whether on separate lines or comma-separated. */
    static int recordRoutes(String message) {
        return (int) message.lines().filter(l -> l.regionMatches(true, 0, "Record-Route:", 0, 13))
                .mapToLong(l -> l.split(">\\s*,").length).sum();
    }

    /** Via values in a message, whether on separate lines or comma-separated. */
    static int vias(String message) {
        return (int) message.lines().filter(l -> l.regionMatches(true, 0, "Via:", 0, 4) || l.startsWith("v:"))
                .mapToLong(l -> l.split(",\\s*SIP/2\\.0/").length).sum();
    }
}
