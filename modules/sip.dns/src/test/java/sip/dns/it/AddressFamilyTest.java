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
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/** A and AAAA records (RFC 3263 §4.2) and the {@link AddressFamily} preferences, on names with a port and on SRV targets. */
class AddressFamilyTest {
    private static final String V4 = "udp:127.0.0.71:5099";
    private static final String V6 = "udp:0:0:0:0:0:0:0:1:5099";

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder()
                .domain("example.test")
                .host("dual.example.test", "127.0.0.71", "::1")
                .host("v6.example.test", "::1")
                .host("v4.example.test", "127.0.0.72")
                .host("two.example.test", "127.0.0.73")
                .host("two.example.test", "127.0.0.74")
                .srv("_sip._udp.dualsrv.example.test", "dual.example.test", 5095, 10, 10)
                .ttl(Duration.ofSeconds(60))
                .start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    private static DnsServerLocator locator(AddressFamily family) {
        return Matrix.locatorOn(dns.address()).addressFamily(family).build();
    }

    private static List<Destination> locate(AddressFamily family, String uri) throws Exception {
        try (DnsServerLocator locator = locator(family)) {
            return locator.locate(SipUri.parse(uri), Set.of("udp", "tcp"));
        }
    }

    @Test
    void ipv4FirstPutsTheAAddressBeforeTheAaaaAddress() throws Exception {
        assertEquals(List.of(V4, V6), targets(locate(AddressFamily.IPV4_FIRST, "sip:dual.example.test:5099")));
    }

    @Test
    void ipv6FirstPutsTheAaaaAddressBeforeTheAAddress() throws Exception {
        assertEquals(List.of(V6, V4), targets(locate(AddressFamily.IPV6_FIRST, "sip:dual.example.test:5099")));
    }

    @Test
    void ipv4OnlyAsksForAOnly() throws Exception {
        try (DnsServerLocator locator = locator(AddressFamily.IPV4_ONLY)) {
            assertEquals(List.of(V4), targets(locator.locate(SipUri.parse("sip:dual.example.test:5099"), Set.of("udp"))));
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
        }
    }

    @Test
    void ipv6OnlyAsksForAaaaOnly() throws Exception {
        try (DnsServerLocator locator = locator(AddressFamily.IPV6_ONLY)) {
            assertEquals(List.of(V6), targets(locator.locate(SipUri.parse("sip:dual.example.test:5099"), Set.of("udp"))));
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
        }
    }

    @Test
    void anIpv6OnlyHostIsReachedWhenIpv4IsMerelyPreferred() throws Exception {
        assertEquals(List.of(V6), targets(locate(AddressFamily.IPV4_FIRST, "sip:v6.example.test:5099")));
    }

    @Test
    void anIpv6OnlyHostHasNoRecordsForAnIpv4OnlyLocator() {
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locate(AddressFamily.IPV4_ONLY, "sip:v6.example.test:5099"));
        assertEquals(DnsLookupException.Reason.NO_RECORDS, e.reason(), e::getMessage);
        assertEquals("v6.example.test", e.name());
        assertEquals("A", e.type());
    }

    @Test
    void anIpv4OnlyHostIsReachedWhenIpv6IsPreferred() throws Exception {
        assertEquals(List.of("udp:127.0.0.72:5099"), targets(locate(AddressFamily.IPV6_FIRST, "sip:v4.example.test:5099")));
    }

    @Test
    void everyAddressOfAHostIsOneDestination() throws Exception {
        List<String> found = targets(locate(AddressFamily.IPV4_FIRST, "sip:two.example.test:5099"));
        assertEquals(2, found.size(), found::toString);
        assertEquals(Set.of("udp:127.0.0.73:5099", "udp:127.0.0.74:5099"), Set.copyOf(found));
    }

    @Test
    void srvTargetsGetBothFamiliesAtTheSrvPortInPreferenceOrder() throws Exception {
        assertEquals(List.of("udp:127.0.0.71:5095", "udp:0:0:0:0:0:0:0:1:5095"),
                targets(locate(AddressFamily.IPV4_FIRST, "sip:dualsrv.example.test;transport=udp")));
        assertEquals(List.of("udp:0:0:0:0:0:0:0:1:5095", "udp:127.0.0.71:5095"),
                targets(locate(AddressFamily.IPV6_FIRST, "sip:dualsrv.example.test;transport=udp")));
    }

    @Test
    void anUnknownHostIsNoSuchName() {
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locate(AddressFamily.IPV4_FIRST, "sip:missing.example.test:5099"));
        assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, e.reason(), e::getMessage);
        assertEquals("missing.example.test", e.name());
        assertTrue(e.getMessage().startsWith("DNS NO_SUCH_NAME for missing.example.test "), e::getMessage);
    }
}
