package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;
import sip.message.SipUri;
import sip.router.Destination;

/**
 * The rules without DNS: a {@code sips} URI never goes over a transport without TLS (fuzz finding
 * D2), and only RFC 3261's four-part dotted IPv4 form is an address (fuzz finding D4).
 */
class SipTransportsTest {
    private static final Set<String> ALL = Set.of("udp", "tcp", "tls", "ws", "wss");
    private final FakeZone zone = new FakeZone();

    private Rfc3263Locator locator() {
        return new Rfc3263Locator(new LocatorConfig(List.of(FakeZone.SERVER), List.of("example.test"),
                Duration.ofMillis(100), Duration.ofSeconds(2), 1000, Duration.ofHours(1), Duration.ofMinutes(5),
                AddressFamily.IPV4_FIRST, InstantSource.system(), new SplittableRandom(1), null), () -> zone);
    }

    @Test
    void sipsKeepsTlsForTcpAndWsAndHasNoTransportForUdp() {
        assertEquals("tls", SipTransports.secureProtocol("tcp", true));
        assertEquals("tls", SipTransports.secureProtocol("tls", true));
        assertEquals("wss", SipTransports.secureProtocol("ws", true));
        assertNull(SipTransports.secureProtocol("udp", true));
        assertNull(SipTransports.secureProtocol("sctp", true));
        assertEquals("udp", SipTransports.secureProtocol("udp", false));
    }

    @Test
    void sipsWithTransportUdpHasNoDestinationAndAsksNothing() throws IOException {
        zone.srv("_sip._udp.example.test", 60, 0, 0, 5060, "s.example.test").a("s.example.test", 60, "192.0.2.1")
                .a("example.test", 60, "192.0.2.2");
        assertEquals(List.of(), locator().locate(SipUri.parse("sips:[::1];transport=udp"), ALL));
        assertEquals(List.of(), locator().locate(SipUri.parse("sips:192.0.2.9;transport=udp"), ALL));
        assertEquals(List.of(), locator().locate(SipUri.parse("sips:example.test;transport=udp"), ALL));
        assertEquals(List.of(), locator().locate(SipUri.parse("sips:example.test:5061;transport=udp"), ALL));
        assertEquals(List.of(), zone.asked, "no query for a URI without a usable transport");
        // the secure transports are still found
        assertEquals(List.of(new Destination("tls", new java.net.InetSocketAddress("192.0.2.9", 5061), null)),
                locator().locate(SipUri.parse("sips:192.0.2.9;transport=tcp"), ALL));
        assertEquals("wss", locator().locate(SipUri.parse("sips:192.0.2.9;transport=ws"), ALL).getFirst().protocol());
    }

    @Test
    void onlyTheFourPartDottedFormIsAnIpv4Literal() {
        assertEquals(InetAddress.ofLiteral("1.2.3.4"), SipTransports.literal("1.2.3.4"));
        assertEquals(InetAddress.ofLiteral("::1"), SipTransports.literal("[::1]"));
        assertEquals(InetAddress.ofLiteral("::1"), SipTransports.literal("::1"));
        for (String name : List.of("1.2.3", "1", "16909060", "1.2", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.",
                "1234.1.1.1", "[1.2.3.4]", "example.test", "")) {
            assertNull(SipTransports.literal(name), name);
        }
        assertTrue(SipTransports.dottedQuad("255.255.255.255"));
        assertFalse(SipTransports.dottedQuad("1.2.3.4."));
    }

    @Test
    void shortDigitFormsAreLookedUpAsNames() {
        // the zone knows none of them: NXDOMAIN, never the address inet_aton would make
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locator().locateSentBy("udp", "1.2.3", 5060));
        assertEquals(Reason.NO_SUCH_NAME, e.reason());
        e = assertThrows(DnsLookupException.class,
                () -> locator().locate(SipUri.parse("sip:example.test;maddr=16909060"), Set.of("udp")));
        assertEquals(Reason.NO_SUCH_NAME, e.reason());
    }
}
