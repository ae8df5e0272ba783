package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.dns.DnsServerLocator;
import sip.dns.DnsStats;
import sip.interop.Peers;
import sip.interop.Sipp;
import sip.interop.SippCalls;
import sip.message.SipUri;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.testkit.Dnsmasq;

/**
 * RFC 3263 end to end: a Parley UAC sends to {@code sip:alice@example.test} and only DNS says
 * where that is. dnsmasq serves NAPTR → SRV → A for example.test; the SRV of the transport the
 * NAPTR records put first points at a SIPp UAS on 127.0.0.1, the other transport's at a port
 * nothing listens on, so a locator that ignored NAPTR order would not reach SIPp first (and the
 * "no timeouts, no transport errors" asserts below would catch the detour). The OPTIONS and the
 * INVITE are located; the ACK and BYE go to SIPp's Contact, an IP address.
 */
class DnsLocatedCallInteropTest {

    /**
     * T1 250 ms: SIPp answers well within it, so nothing is retransmitted on loopback (SIPp's
     * scenarios treat a retransmitted INVITE after their 200 as unexpected).
     */
    private static final SipTimers TIMERS =
            new SipTimers(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(250));
    private static final SipUri ALICE = SipUri.parse("sip:alice@example.test");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "NAPTR SIP+D2{0} first: OPTIONS and a call reach SIPp over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void reachesSippThroughNaptrSrvAndA(String protocol) throws Exception {
        RequiredPeers.dnsmasq();
        Peers.require("sipp");
        String other = protocol.equals("udp") ? "tcp" : "udp";
        int sippPort = Sipp.freePort(protocol);
        int deadPort = Sipp.freePort(other);
        SippCalls sipp = new SippCalls(dir);
        try (Dnsmasq dns = Dnsmasq.builder()
                        .domain("example.test")
                        .naptr("example.test", 10, 50, "s", naptrService(protocol), "", "_sip._" + protocol + ".example.test")
                        .naptr("example.test", 20, 50, "s", naptrService(other), "", "_sip._" + other + ".example.test")
                        .srv("_sip._" + protocol + ".example.test", "uas.example.test", sippPort, 10, 10)
                        .srv("_sip._" + other + ".example.test", "uas.example.test", deadPort, 10, 10)
                        .host("uas.example.test", "127.0.0.1")
                        .ttl(Duration.ofSeconds(60))
                        .start();
                DnsServerLocator locator = DnsServerLocator.newBuilder().servers(List.of(dns.address())).build();
                LocatingUac uac = new LocatingUac(UserAgent.newBuilder()
                        .name("parley-dns-e2e").timers(TIMERS).serverLocator(locator).build());
                Peers.Started uas = sipp.uas("uas", UasScenario.OPTIONS_THEN_CALL.writeTo(dir), protocol, sippPort, 1)) {
            String callId = UUID.randomUUID() + "@parley.test";

            LocatingUac.Exchange options = uac.options(ALICE, callId, 1);
            assertEquals(200, options.status(), "OPTIONS: " + options.describe());
            assertEquals(protocol, options.flow().protocol(), options.flow().toString());
            assertEquals(sippPort, options.flow().remote().getPort(), options.flow().toString());

            LocatingUac.Exchange invite = uac.invite(ALICE, callId, 2);
            assertEquals(200, invite.status(), "INVITE: " + invite.describe());
            assertEquals(protocol, invite.flow().protocol(), invite.flow().toString());
            assertEquals(sippPort, invite.flow().remote().getPort(), invite.flow().toString());
            LocatingUac.Exchange bye = uac.bye(invite);
            assertEquals(200, bye.status(), "BYE: " + bye.describe());

            // SIPp ends after its one call: the whole scenario ran, in order, nothing unexpected.
            Peers.Run run = uas.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uas", run);
            assertEquals(0, run.exitCode(), why);
            Sipp.Stats stats = sipp.stats("uas", run.output());
            assertEquals(1, stats.successful(), why);
            assertEquals(0, stats.failed(), why);

            // What SIPp received: the located requests addressed to the domain, over the transport.
            List<String> received = sipp.received("uas");
            List<String> located = received.stream()
                    .filter(m -> m.startsWith("OPTIONS ") || m.startsWith("INVITE ")).toList();
            assertEquals(2, located.size(), "one OPTIONS and one INVITE reached SIPp:\n" + received);
            String via = "Via: SIP/2.0/" + protocol.toUpperCase(Locale.ROOT);
            for (String m : located) {
                assertTrue(m.contains(" sip:alice@example.test SIP/2.0"), "Request-URI kept the domain:\n" + m);
                assertTrue(m.contains(via), "sent over " + protocol + ":\n" + m);
            }

            TransactionStats parley = uac.userAgent().stats();
            assertEquals(0, parley.timeouts(), "no attempt timed out\n" + parley);
            assertEquals(0, parley.transportErrors(), "no attempt failed\n" + parley);
            DnsStats dnsStats = locator.stats();
            assertTrue(dnsStats.queriesSent() >= 3, "NAPTR, SRV and A queries reached dnsmasq: " + dnsStats);
            // The INVITE was located from the cache the OPTIONS filled (records of TTL 60 s).
            assertEquals(1, dns.queryCount("example.test", "NAPTR"), String.join("\n", dns.queryLog()));
            assertEquals(1, dns.queryCount("_sip._" + protocol + ".example.test", "SRV"), String.join("\n", dns.queryLog()));
            assertTrue(dnsStats.cacheHits() >= 2, "NAPTR, SRV and A from the cache for the INVITE: " + dnsStats);
            assertEquals(0, dnsStats.timeouts(), dnsStats.toString());
            assertEquals(0, dnsStats.failures(), dnsStats.toString());
        }
    }

    private static String naptrService(String protocol) {
        return protocol.equals("udp") ? "SIP+D2U" : "SIP+D2T";
    }
}
