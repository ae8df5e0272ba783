package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * RFC 3263 §5, where a response goes when its connection is gone: the Via's sent-by as an IP
 * literal directly; a name with a port by A/AAAA; a name without a port by the Via protocol's SRV,
 * else A/AAAA at that protocol's default port. Never NAPTR.
 */
class SentByTest {
    private static Dnsmasq dns;
    private static DnsServerLocator locator;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder().domain("example.test")
                .naptr("client.example.test", 10, 10, "s", "SIP+D2T", "", "_sip._tcp.client.example.test")
                .srv("_sip._udp.client.example.test", "u.client.example.test", 5131, 10, 10)
                .srv("_sip._tcp.client.example.test", "t.client.example.test", 5132, 10, 10)
                .srv("_sips._tcp.client.example.test", "s.client.example.test", 5133, 10, 10)
                .host("u.client.example.test", "127.0.0.121")
                .host("t.client.example.test", "127.0.0.122")
                .host("s.client.example.test", "127.0.0.123")
                .host("client.example.test", "127.0.0.120")
                .host("plain.example.test", "127.0.0.124")
                .ttl(Duration.ofSeconds(60)).start();
        locator = Matrix.locatorOn(dns.address()).addressFamily(sip.dns.AddressFamily.IPV4_ONLY).build();
    }

    @AfterAll
    static void stop() {
        if (locator != null) {
            locator.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void anIpLiteralIsUsedAsItIs() throws Exception {
        long before = locator.stats().queriesSent();
        List<Destination> found = locator.locateSentBy("udp", "127.0.0.1", 5070);
        assertEquals(List.of("udp:127.0.0.1:5070"), targets(found));
        assertNull(found.getFirst().serverName());
        assertEquals(List.of("tcp:127.0.0.1:5060"), targets(locator.locateSentBy("tcp", "127.0.0.1", -1)));
        assertEquals(before, locator.stats().queriesSent(), locator.stats()::toString);
    }

    @Test
    void aNameWithAPortIsLookedUpByAddressOnly() throws Exception {
        assertEquals(List.of("tcp:127.0.0.120:5071"), targets(locator.locateSentBy("tcp", "client.example.test", 5071)));
    }

    @Test
    void aNameWithoutAPortIsLookedUpByTheViaProtocolsSrv() throws Exception {
        assertEquals(List.of("udp:127.0.0.121:5131"), targets(locator.locateSentBy("udp", "client.example.test", -1)));
        assertEquals(List.of("tcp:127.0.0.122:5132"), targets(locator.locateSentBy("tcp", "client.example.test", -1)));
        assertEquals(List.of("tls:127.0.0.123:5133"), targets(locator.locateSentBy("tls", "client.example.test", -1)));
        assertEquals(0, dns.queryCount("client.example.test", "NAPTR"), dns.queryLog()::toString);
    }

    @Test
    void aProtocolNameInUpperCaseIsTheSameProtocol() throws Exception {
        assertEquals(List.of("udp:127.0.0.121:5131"), targets(locator.locateSentBy("UDP", "client.example.test", -1)));
    }

    @Test
    void withoutSrvTheAddressAtTheProtocolsDefaultPortIsUsed() throws Exception {
        assertEquals(List.of("udp:127.0.0.124:5060"), targets(locator.locateSentBy("udp", "plain.example.test", -1)));
        assertEquals(List.of("tls:127.0.0.124:5061"), targets(locator.locateSentBy("tls", "plain.example.test", -1)));
    }

    @Test
    void anUnknownSentByIsNoSuchName() {
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locator.locateSentBy("udp", "gone.example.test", 5060));
        assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, e.reason(), e::getMessage);
        assertEquals("gone.example.test", e.name());
    }
}
