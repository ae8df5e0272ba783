package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/**
 * Some queries of a chain lost on the way (a {@link StubDnsServer} relays to dnsmasq and drops the
 * chosen ones): the lookup timeout bounds the whole chain and names the lookup it was waiting for;
 * and an answer already in hand is not thrown away because a sibling query (AAAA beside A, another
 * transport's SRV) is lost — as it is not when that sibling fails with SERVFAIL.
 */
class LostQueryTest {
    private static final Duration QUERY = Duration.ofMillis(250);
    private static final Duration LOOKUP = Duration.ofMillis(1_000);
    private static final Duration SLACK = Duration.ofMillis(1_000);

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder().domain("example.test")
                .naptr("chain.example.test", 10, 10, "s", "SIP+D2U", "", "_sip._udp.chain.example.test")
                .srv("_sip._udp.chain.example.test", "sip.chain.example.test", 5140, 10, 10)
                .host("sip.chain.example.test", "127.0.0.130")
                .host("dual.example.test", "127.0.0.131", "::1")
                .srv("_sip._udp.two.example.test", "u.two.example.test", 5141, 10, 10)
                .srv("_sip._tcp.two.example.test", "t.two.example.test", 5142, 10, 10)
                .host("u.two.example.test", "127.0.0.132")
                .host("t.two.example.test", "127.0.0.133")
                .host("lone.example.test", "127.0.0.134")
                .ttl(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    private static DnsServerLocator.Builder via(StubDnsServer relay) {
        return Matrix.locatorOn(relay.address()).queryTimeout(QUERY).lookupTimeout(LOOKUP);
    }

    @Test
    void aLostSrvQueryTimesTheWholeChainOutAndIsNamed() throws Exception {
        try (StubDnsServer relay = StubDnsServer.relayLosing(dns.address(), q -> q.startsWith("SRV "));
             DnsServerLocator locator = via(relay).build()) {
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:alice@chain.example.test"), Set.of("udp")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(DnsLookupException.Reason.TIMEOUT, e.reason(), e::getMessage);
            assertTrue(e.getMessage().contains("_sip._udp.chain.example.test"), e::getMessage);
            assertTrue(took.compareTo(LOOKUP.plus(SLACK)) < 0, () -> "took " + took);
            assertEquals(1, relay.count("NAPTR chain.example.test"), relay.questions()::toString);
        }
    }

    @Test
    void aLostAaaaQueryDoesNotHideTheAAnswer() throws Exception {
        try (StubDnsServer relay = StubDnsServer.relayLosing(dns.address(), q -> q.startsWith("AAAA "));
             DnsServerLocator locator = via(relay).addressFamily(AddressFamily.IPV4_FIRST).build()) {
            long start = System.nanoTime();
            List<String> found = targets(locator.locate(SipUri.parse("sip:dual.example.test:5060"), Set.of("udp")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(List.of("udp:127.0.0.131:5060"), found);
            assertTrue(took.compareTo(LOOKUP.plus(SLACK)) < 0, () -> "took " + took);
        }
    }

    @Test
    void aLostSrvQueryOfOneTransportDoesNotHideTheOthers() throws Exception {
        try (StubDnsServer relay = StubDnsServer.relayLosing(dns.address(), q -> q.equals("SRV _sip._udp.two.example.test"));
             DnsServerLocator locator = via(relay).addressFamily(AddressFamily.IPV4_ONLY).build()) {
            List<String> found = targets(locator.locate(SipUri.parse("sip:bob@two.example.test"), Set.of("udp", "tcp")));
            assertEquals(List.of("tcp:127.0.0.133:5142"), found);
        }
    }

    @Test
    void aFailedAaaaQueryDoesNotHideTheAAnswer() throws Exception {
        try (StubDnsServer relay = StubDnsServer.relayFailing(dns.address(), q -> q.startsWith("AAAA "));
             DnsServerLocator locator = via(relay).addressFamily(AddressFamily.IPV4_FIRST).build()) {
            assertEquals(List.of("udp:127.0.0.131:5060"),
                    targets(locator.locate(SipUri.parse("sip:dual.example.test:5060"), Set.of("udp"))));
        }
    }

    @Test
    void aFailedSrvQueryOfOneTransportDoesNotHideTheOthers() throws Exception {
        try (StubDnsServer relay = StubDnsServer.relayFailing(dns.address(), q -> q.equals("SRV _sip._udp.two.example.test"));
             DnsServerLocator locator = via(relay).addressFamily(AddressFamily.IPV4_ONLY).build()) {
            assertEquals(List.of("tcp:127.0.0.133:5142"),
                    targets(locator.locate(SipUri.parse("sip:bob@two.example.test"), Set.of("udp", "tcp"))));
        }
    }

    @Test
    void theTimeoutNamesTheQueryStillUnanswered() throws Exception {
        // _sip._udp is lost; _sip._tcp (asked after it) is answered NXDOMAIN at once.
        try (StubDnsServer relay = StubDnsServer.relayLosing(dns.address(), q -> q.equals("SRV _sip._udp.lone.example.test"));
             DnsServerLocator locator = via(relay).addressFamily(AddressFamily.IPV4_ONLY).build()) {
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:carol@lone.example.test"), Set.of("udp", "tcp")));
            assertEquals(DnsLookupException.Reason.TIMEOUT, e.reason(), e::getMessage);
            assertTrue(e.getMessage().contains("_sip._udp.lone.example.test"), e::getMessage);
        }
    }
}
