package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sip.dns.DnsServerLocator;
import sip.interop.Peers;
import sip.interop.Sipp;
import sip.interop.SippCalls;
import sip.message.Method;
import sip.message.SipUri;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.testkit.Dnsmasq;

/**
 * RFC 3263 §4.3 failover against real processes: example.test's SRV records name three targets,
 * priorities 10, 20, 30. The first is a closed port (TCP: the connection is refused at once;
 * UDP: the request goes nowhere and Timer B or F, 64×T1, ends the attempt), the second a SIPp
 * UAS answering 503 without Retry-After, the third a SIPp UAS answering 200. The UAC sees one
 * transaction ending with the third's 200; each attempt was a transaction of its own (new
 * branch); the two failed targets are block-listed, so the next request goes straight to the
 * third. An INVITE is answered, ACKed and ended with a BYE; an OPTIONS just answered.
 */
class DnsFailoverInteropTest {

    private static final SipUri ALICE = SipUri.parse("sip:alice@example.test");
    private static final Pattern BRANCH = Pattern.compile("(?mi)^Via:[^\\r\\n]*;branch=([^;\\s]+)");

    @TempDir
    Path dir;

    /**
     * UDP's T1 is 150 ms so that the dead target's Timer B (9.6 s) keeps the test bounded, yet SIPp
     * answers long before T1 (a retransmitted INVITE after its final response is "unexpected"
     * to SIPp). Over TCP no request is retransmitted and T1 only sizes Timer B.
     */
    @ParameterizedTest(name = "{1} over {0}: dead target ({2}), 503, 200")
    @CsvSource({"tcp, INVITE, connection refused, 250", "udp, INVITE, Timer B, 150",
            "tcp, OPTIONS, connection refused, 250", "udp, OPTIONS, Timer F, 150"})
    void failsOverToTheThirdTargetAndBlocksTheFailedOnes(String protocol, String method, String deadBecause,
            long t1Millis) throws Exception {
        RequiredPeers.dnsmasq();
        Peers.require("sipp");
        int deadPort = Sipp.freePort(protocol);
        int busyPort = Sipp.freePort(protocol);
        int okPort = Sipp.freePort(protocol);
        String srv = "_sip._" + protocol + ".example.test";
        SipTimers timers = new SipTimers(Duration.ofMillis(t1Millis), Duration.ofSeconds(1), Duration.ofMillis(250));
        SippCalls sipp = new SippCalls(dir);
        boolean invite = method.equals("INVITE");
        try (Dnsmasq dns = Dnsmasq.builder()
                        .domain("example.test")
                        .naptr("example.test", 10, 50, "s", protocol.equals("udp") ? "SIP+D2U" : "SIP+D2T", "", srv)
                        .srv(srv, "dead.example.test", deadPort, 10, 10)
                        .srv(srv, "busy.example.test", busyPort, 20, 10)
                        .srv(srv, "ok.example.test", okPort, 30, 10)
                        .host("dead.example.test", "127.0.0.1")
                        .host("busy.example.test", "127.0.0.1")
                        .host("ok.example.test", "127.0.0.1")
                        .ttl(Duration.ofSeconds(60))
                        .start();
                DnsServerLocator locator = DnsServerLocator.newBuilder().servers(List.of(dns.address())).build();
                LocatingUac uac = new LocatingUac(UserAgent.newBuilder()
                        .name("parley-dns-e2e").timers(timers).serverLocator(locator)
                        .destinationBlockTime(Duration.ofSeconds(60))
                        .build());
                Peers.Started busy = sipp.uas("busy", (invite ? UasScenario.UNAVAILABLE_503
                        : UasScenario.OPTIONS_UNAVAILABLE_503).writeTo(dir), protocol, busyPort, 1);
                Peers.Started ok = sipp.uas("ok", (invite ? UasScenario.ANSWER
                        : UasScenario.OPTIONS_ANSWER).writeTo(dir), protocol, okPort, 2)) {
            long start = System.nanoTime();
            LocatingUac.Exchange first = send(uac, method);
            Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(200, first.status(), "first " + method + ": " + first.describe() + "\n" + uac.userAgent().stats());
            assertEquals(okPort, first.flow().remote().getPort(), "answered by the third target: " + first.flow());
            assertEquals(protocol, first.flow().protocol(), first.flow().toString());
            endCall(uac, first);
            TransactionStats afterFirst = uac.userAgent().stats();
            assertEquals(2, afterFirst.failovers(), "dead → busy → ok: two failovers\n" + afterFirst);
            assertEquals(2, afterFirst.blockedDestinations(), "the dead and the busy target are blocked\n" + afterFirst);
            if (protocol.equals("tcp")) {
                assertEquals(1, afterFirst.transportErrors(), "the refused connection\n" + afterFirst);
                // Load on a shared machine can slow anything, but no timer was waited for.
                assertTrue(firstTook.compareTo(timers.timeout().dividedBy(2)) < 0, "a refused connection took " + firstTook);
            } else {
                // The dead target was tried first and given up by its timer, not skipped.
                assertEquals(1, afterFirst.timeouts(), "Timer B/F of the dead target\n" + afterFirst);
                assertTrue(firstTook.compareTo(timers.timeout()) >= 0 && firstTook.compareTo(timers.timeout().plusSeconds(5)) < 0,
                        "64×T1 is " + timers.timeout() + ", the first " + method + " took " + firstTook);
            }

            // The 503 target saw exactly one request (and for an INVITE the ACK of its 503), and then ended.
            Peers.Run busyRun = busy.await(SippCalls.PEER_TIMEOUT_S);
            String busyWhy = sipp.report("busy", busyRun);
            assertEquals(0, busyRun.exitCode(), busyWhy);
            Sipp.Stats busyStats = sipp.stats("busy", busyRun.output());
            assertEquals(1, busyStats.successful(), busyWhy);
            List<String> busyRequests = requests(sipp.received("busy"), method);
            assertEquals(1, busyRequests.size(), method + "s at the 503 target:\n" + busyRequests);

            // Right after: the blocked targets go last, so the third answers at once.
            start = System.nanoTime();
            LocatingUac.Exchange second = send(uac, method);
            Duration secondTook = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(200, second.status(), "second " + method + ": " + second.describe());
            assertEquals(okPort, second.flow().remote().getPort(), second.flow().toString());
            endCall(uac, second);
            TransactionStats afterSecond = uac.userAgent().stats();
            assertEquals(afterFirst.failovers(), afterSecond.failovers(), "the second " + method + " failed over\n" + afterSecond);
            assertEquals(afterFirst.timeouts(), afterSecond.timeouts(), afterSecond.toString());
            assertEquals(afterFirst.transportErrors(), afterSecond.transportErrors(), afterSecond.toString());
            assertEquals(2, afterSecond.blockedDestinations(), "still blocked: 60 s\n" + afterSecond);
            assertTrue(secondTook.compareTo(timers.timeout().dividedBy(2)) < 0,
                    "the second " + method + " took " + secondTook + " (the first " + firstTook + ")");

            Peers.Run okRun = ok.await(SippCalls.PEER_TIMEOUT_S);
            String okWhy = sipp.report("ok", okRun);
            assertEquals(0, okRun.exitCode(), okWhy);
            assertEquals(2, sipp.stats("ok", okRun.output()).successful(), okWhy);
            List<String> okRequests = requests(sipp.received("ok"), method);
            assertEquals(2, okRequests.size(), method + "s at the third target:\n" + okRequests);
            // One user transaction, but each attempt a client transaction of its own (§4.3).
            assertNotEquals(branch(busyRequests.getFirst()), branch(okRequests.getFirst()),
                    "the attempt at the third target reused the 503 attempt's branch");
        }
    }

    /**
     * A 503 with Retry-After is the answer, not a reason to fail over (RFC 3261 §21.5.4; the rule
     * of issue #7): the UAC gets it, that target alone is blocked, and the next request goes to
     * the next target at once. Over TCP, as nothing here needs a timer.
     */
    @Test
    void a503WithRetryAfterIsTheAnswerAndBlocksOnlyThatTarget() throws Exception {
        RequiredPeers.dnsmasq();
        Peers.require("sipp");
        int busyPort = Sipp.freePort("tcp");
        int okPort = Sipp.freePort("tcp");
        String srv = "_sip._tcp.example.test";
        SipTimers timers = new SipTimers(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(250));
        SippCalls sipp = new SippCalls(dir);
        try (Dnsmasq dns = Dnsmasq.builder()
                        .domain("example.test")
                        .naptr("example.test", 10, 50, "s", "SIP+D2T", "", srv)
                        .srv(srv, "busy.example.test", busyPort, 10, 10)
                        .srv(srv, "ok.example.test", okPort, 20, 10)
                        .host("busy.example.test", "127.0.0.1")
                        .host("ok.example.test", "127.0.0.1")
                        .ttl(Duration.ofSeconds(60))
                        .start();
                DnsServerLocator locator = DnsServerLocator.newBuilder().servers(List.of(dns.address())).build();
                LocatingUac uac = new LocatingUac(UserAgent.newBuilder()
                        .name("parley-dns-e2e").timers(timers).serverLocator(locator).build());
                Peers.Started busy = sipp.uas("busy", UasScenario.UNAVAILABLE_503_RETRY_AFTER.writeTo(dir), "tcp", busyPort, 1);
                Peers.Started ok = sipp.uas("ok", UasScenario.ANSWER.writeTo(dir), "tcp", okPort, 1)) {
            LocatingUac.Exchange first = send(uac, "INVITE");
            assertEquals(503, first.status(), "the 503 with Retry-After is the answer: " + first.describe());
            assertTrue(first.transaction().failure().isEmpty(), "SIPp's 503, not a local one: " + first.describe());
            assertEquals(busyPort, first.flow().remote().getPort(), first.flow().toString());
            assertEquals("30", first.response().header("Retry-After").orElse("").trim(), first.response().toString());
            TransactionStats afterFirst = uac.userAgent().stats();
            assertEquals(0, afterFirst.failovers(), afterFirst.toString());
            assertEquals(1, afterFirst.blockedDestinations(), "the target that said Retry-After\n" + afterFirst);

            Peers.Run busyRun = busy.await(SippCalls.PEER_TIMEOUT_S);
            assertEquals(0, busyRun.exitCode(), sipp.report("busy", busyRun));

            // Blocked for 30 s, so the next request starts at the second target.
            LocatingUac.Exchange second = send(uac, "INVITE");
            assertEquals(200, second.status(), "second INVITE: " + second.describe());
            assertEquals(okPort, second.flow().remote().getPort(), second.flow().toString());
            endCall(uac, second);
            TransactionStats afterSecond = uac.userAgent().stats();
            assertEquals(0, afterSecond.failovers(), "the blocked target went last, so no failover\n" + afterSecond);
            assertEquals(0, afterSecond.transportErrors(), afterSecond.toString());
            Peers.Run okRun = ok.await(SippCalls.PEER_TIMEOUT_S);
            assertEquals(0, okRun.exitCode(), sipp.report("ok", okRun));
        }
    }

    /** A new INVITE (answered 2xx: ACKed) or OPTIONS to sip:alice@example.test. */
    private static LocatingUac.Exchange send(LocatingUac uac, String method) throws Exception {
        String callId = UUID.randomUUID() + "@parley.test";
        return method.equals("INVITE") ? uac.invite(ALICE, callId, 1) : uac.options(ALICE, callId, 1);
    }

    /** The BYE of an answered INVITE; nothing for an OPTIONS. */
    private static void endCall(LocatingUac uac, LocatingUac.Exchange answered) throws Exception {
        if (answered.transaction().request().method().equals(Method.INVITE)) {
            LocatingUac.Exchange bye = uac.bye(answered);
            assertEquals(200, bye.status(), "BYE: " + bye.describe());
        }
    }

    private static List<String> requests(List<String> received, String method) {
        return received.stream().filter(m -> m.startsWith(method + " ")).toList();
    }

    private static String branch(String message) {
        Matcher m = BRANCH.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no Via branch in\n" + message);
        }
        return m.group(1);
    }
}
