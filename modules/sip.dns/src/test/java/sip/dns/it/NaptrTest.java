package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * RFC 3263 §4.1 NAPTR selection: order then preference (dnsmasq hands the records out in another
 * order), filtering to the caller's transports, {@code sips} keeping only {@code SIPS+} services,
 * RFC 7118's {@code D2W} services for WebSocket, and records the rules say to ignore.
 */
class NaptrTest {
    private static Dnsmasq dns;
    private static DnsServerLocator locator;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder()
                .domain("example.test")
                // Order 10 beats 20 whatever the preference; within order 10, preference 20 beats 50.
                .naptr("naptr.example.test", 20, 10, "s", "SIP+D2U", "", "_sip._udp.naptr.example.test")
                .naptr("naptr.example.test", 10, 50, "s", "SIP+D2T", "", "_sip._tcp.naptr.example.test")
                .naptr("naptr.example.test", 10, 20, "s", "SIPS+D2T", "", "_sips._tcp.naptr.example.test")
                .srv("_sip._udp.naptr.example.test", "udp.naptr.example.test", 5070, 10, 10)
                .srv("_sip._tcp.naptr.example.test", "tcp.naptr.example.test", 5071, 10, 10)
                .srv("_sips._tcp.naptr.example.test", "tls.naptr.example.test", 5072, 10, 10)
                .host("udp.naptr.example.test", "127.0.0.11")
                .host("tcp.naptr.example.test", "127.0.0.12")
                .host("tls.naptr.example.test", "127.0.0.13")
                // RFC 7118: WebSocket services.
                .naptr("ws.example.test", 10, 10, "s", "SIP+D2W", "", "_sip._ws.ws.example.test")
                .naptr("ws.example.test", 10, 20, "s", "SIPS+D2W", "", "_sips._ws.ws.example.test")
                .naptr("ws.example.test", 20, 10, "s", "SIP+D2U", "", "_sip._udp.ws.example.test")
                .srv("_sip._ws.ws.example.test", "ws1.ws.example.test", 8080, 10, 10)
                .srv("_sips._ws.ws.example.test", "wss1.ws.example.test", 8443, 10, 10)
                .srv("_sip._udp.ws.example.test", "udp1.ws.example.test", 5073, 10, 10)
                .host("ws1.ws.example.test", "127.0.0.14")
                .host("wss1.ws.example.test", "127.0.0.15")
                .host("udp1.ws.example.test", "127.0.0.16")
                // Only flag "s" with a known service counts; the others point at a UDP SRV that
                // would show up in the result if they were followed.
                // (A terminal "u" record has a regexp and no replacement, which the builder cannot write.)
                .option("--naptr-record=flags.example.test,10,10,u,SIP+D2U,!^.*$!sip:info@udp.flags.example.test!")
                .naptr("flags.example.test", 10, 20, "a", "SIP+D2U", "", "_sip._udp.flags.example.test")
                .naptr("flags.example.test", 15, 10, "s", "SIP+D2X", "", "_sip._udp.flags.example.test")
                .naptr("flags.example.test", 16, 10, "s", "E2U+sip", "", "_sip._udp.flags.example.test")
                .naptr("flags.example.test", 20, 10, "s", "SIP+D2T", "", "_sip._tcp.flags.example.test")
                .srv("_sip._udp.flags.example.test", "udp.flags.example.test", 5075, 10, 10)
                .srv("_sip._tcp.flags.example.test", "tcp.flags.example.test", 5074, 10, 10)
                .host("udp.flags.example.test", "127.0.0.18")
                .host("tcp.flags.example.test", "127.0.0.17")
                // RFC 3403 §4.1: flags and services compare case-insensitively.
                .naptr("case.example.test", 10, 10, "S", "sip+d2t", "", "_sip._tcp.case.example.test")
                .srv("_sip._tcp.case.example.test", "tcp.case.example.test", 5076, 10, 10)
                .host("tcp.case.example.test", "127.0.0.19")
                // The preferred NAPTR names an SRV that does not exist: the next one is used.
                .naptr("hole.example.test", 10, 10, "s", "SIP+D2T", "", "_sip._tcp.hole.example.test")
                .naptr("hole.example.test", 20, 10, "s", "SIP+D2U", "", "_sip._udp.hole.example.test")
                .srv("_sip._udp.hole.example.test", "udp.hole.example.test", 5077, 10, 10)
                .host("udp.hole.example.test", "127.0.0.20")
                // NAPTR chooses TCP, its SRV name has no records: the domain's address over TCP.
                .naptr("nosrv.example.test", 10, 10, "s", "SIP+D2T", "", "_sip._tcp.nosrv.example.test")
                .host("nosrv.example.test", "127.0.0.21")
                .ttl(Duration.ofSeconds(60))
                .start();
        locator = Matrix.locatorOn(dns.address()).build();
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

    private static List<Destination> locate(String uri, String... protocols) throws Exception {
        return locator.locate(SipUri.parse(uri), Set.of(protocols));
    }

    @Test
    void naptrRecordsAreTriedInOrderThenPreference() throws Exception {
        assertEquals(List.of("tls:127.0.0.13:5072", "tcp:127.0.0.12:5071", "udp:127.0.0.11:5070"),
                targets(locate("sip:alice@naptr.example.test", "udp", "tcp", "tls")));
    }

    @Test
    void servicesOfTransportsTheCallerLacksAreDropped() throws Exception {
        assertEquals(List.of("tcp:127.0.0.12:5071", "udp:127.0.0.11:5070"),
                targets(locate("sip:alice@naptr.example.test", "udp", "tcp")));
        assertEquals(List.of("udp:127.0.0.11:5070"), targets(locate("sip:alice@naptr.example.test", "udp")));
        assertEquals(List.of("tls:127.0.0.13:5072"), targets(locate("sip:alice@naptr.example.test", "tls")));
    }

    @Test
    void sipsUriKeepsOnlySipsServices() throws Exception {
        assertEquals(List.of("tls:127.0.0.13:5072"),
                targets(locate("sips:alice@naptr.example.test", "udp", "tcp", "tls", "ws", "wss")));
    }

    @Test
    void everyDestinationNamesTheSipDomainNotTheSrvTarget() throws Exception {
        List<Destination> found = locate("sip:alice@naptr.example.test", "udp", "tcp", "tls");
        assertEquals(3, found.size(), found::toString);
        for (Destination d : found) {
            assertEquals("naptr.example.test", d.serverName(), d::toString);
        }
    }

    @Test
    void webSocketServicesAreUsedWhenTheCallerHasThem() throws Exception {
        assertEquals(List.of("ws:127.0.0.14:8080", "wss:127.0.0.15:8443", "udp:127.0.0.16:5073"),
                targets(locate("sip:bob@ws.example.test", "udp", "ws", "wss")));
    }

    @Test
    void webSocketServicesAreDroppedWhenTheCallerLacksThem() throws Exception {
        assertEquals(List.of("udp:127.0.0.16:5073"), targets(locate("sip:bob@ws.example.test", "udp", "tcp", "tls")));
    }

    @Test
    void sipsUriOverWebSocketKeepsOnlySecureWebSocket() throws Exception {
        assertEquals(List.of("wss:127.0.0.15:8443"),
                targets(locate("sips:bob@ws.example.test", "udp", "tcp", "tls", "ws", "wss")));
    }

    @Test
    void recordsWithOtherFlagsOrUnknownServicesAreIgnored() throws Exception {
        assertEquals(List.of("tcp:127.0.0.17:5074"), targets(locate("sip:carol@flags.example.test", "udp", "tcp")));
    }

    @Test
    void flagsAndServicesCompareCaseInsensitively() throws Exception {
        assertEquals(List.of("tcp:127.0.0.19:5076"), targets(locate("sip:dave@case.example.test", "udp", "tcp")));
    }

    @Test
    void aNaptrWhoseSrvNameHasNoRecordsIsPassedOver() throws Exception {
        assertEquals(List.of("udp:127.0.0.20:5077"), targets(locate("sip:erin@hole.example.test", "udp", "tcp")));
    }

    @Test
    void aNaptrTransportWithoutSrvRecordsUsesTheDomainsAddressAtThatTransportsDefaultPort() throws Exception {
        // RFC 3263 §4.2: no SRV records → A/AAAA of the domain, over the transport already chosen.
        List<Destination> found = locate("sip:frank@nosrv.example.test", "udp", "tcp");
        assertEquals(List.of("tcp:127.0.0.21:5060"), targets(found));
        assertEquals("nosrv.example.test", found.getFirst().serverName());
    }
}
