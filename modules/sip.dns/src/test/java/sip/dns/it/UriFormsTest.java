package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * How the URI's form picks the lookups (RFC 3263 §4.1/§4.2): an explicit port means A/AAAA only,
 * {@code transport=} means SRV for that transport only, {@code maddr} replaces the host, an IP
 * literal needs no DNS at all, and a dotless name goes through the search list.
 */
class UriFormsTest {
    private static final Set<String> ALL = Set.of("udp", "tcp", "tls", "ws", "wss");

    private static Dnsmasq dns;
    private static DnsServerLocator locator;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder()
                .domain("example.test")
                // NAPTR says UDP; each transport= must go to its own SRV instead.
                .naptr("forms.example.test", 10, 10, "s", "SIP+D2U", "", "_sip._udp.forms.example.test")
                .srv("_sip._udp.forms.example.test", "u.forms.example.test", 5101, 10, 10)
                .srv("_sip._tcp.forms.example.test", "t.forms.example.test", 5102, 10, 10)
                .srv("_sips._tcp.forms.example.test", "s.forms.example.test", 5103, 10, 10)
                .srv("_sip._ws.forms.example.test", "w.forms.example.test", 5104, 10, 10)
                .srv("_sips._ws.forms.example.test", "x.forms.example.test", 5105, 10, 10)
                .host("u.forms.example.test", "127.0.0.81")
                .host("t.forms.example.test", "127.0.0.82")
                .host("s.forms.example.test", "127.0.0.83")
                .host("w.forms.example.test", "127.0.0.84")
                .host("x.forms.example.test", "127.0.0.85")
                .host("forms.example.test", "127.0.0.80")
                // Used only by the explicit-port test: NAPTR and SRV that must not be asked for.
                .naptr("portonly.example.test", 10, 10, "s", "SIP+D2T", "", "_sip._tcp.portonly.example.test")
                .srv("_sip._udp.portonly.example.test", "u.forms.example.test", 5101, 10, 10)
                .srv("_sip._tcp.portonly.example.test", "t.forms.example.test", 5102, 10, 10)
                .host("portonly.example.test", "127.0.0.87")
                // An address only.
                .host("plain.example.test", "127.0.0.86")
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

    private static List<String> locate(String uri, Set<String> protocols) throws Exception {
        return targets(locator.locate(SipUri.parse(uri), protocols));
    }

    @Test
    void anExplicitPortMeansAddressRecordsOnly() throws Exception {
        assertEquals(List.of("udp:127.0.0.87:5199"), locate("sip:alice@portonly.example.test:5199", Set.of("udp", "tcp")));
        assertEquals(List.of("tls:127.0.0.87:5199"), locate("sips:alice@portonly.example.test:5199", ALL));
        assertEquals(List.of("tcp:127.0.0.87:5199"), locate("sip:alice@portonly.example.test:5199;transport=tcp", ALL));
        assertEquals(0, dns.queryCount("portonly.example.test", "NAPTR"), dns.queryLog()::toString);
        assertEquals(0, dns.queryLog().stream().filter(l -> l.contains("[SRV]") && l.contains("portonly")).count(),
                dns.queryLog()::toString);
        assertTrue(dns.queryCount("portonly.example.test", "A") >= 1, dns.queryLog()::toString);
    }

    @Test
    void transportParameterAsksThatTransportsSrvAndIgnoresNaptr() throws Exception {
        assertEquals(List.of("tcp:127.0.0.82:5102"), locate("sip:bob@forms.example.test;transport=tcp", ALL));
        assertEquals(List.of("udp:127.0.0.81:5101"), locate("sip:bob@forms.example.test;transport=udp", ALL));
        assertEquals(List.of("tls:127.0.0.83:5103"), locate("sip:bob@forms.example.test;transport=tls", ALL));
        assertEquals(List.of("ws:127.0.0.84:5104"), locate("sip:bob@forms.example.test;transport=ws", ALL));
        assertEquals(List.of("wss:127.0.0.85:5105"), locate("sip:bob@forms.example.test;transport=wss", ALL));
    }

    @Test
    void sipsWithTransportTcpIsTlsThroughSipsOverTcp() throws Exception {
        assertEquals(List.of("tls:127.0.0.83:5103"), locate("sips:bob@forms.example.test;transport=tcp", ALL));
    }

    @Test
    void transportParameterTheCallerLacksGivesNothing() throws Exception {
        assertEquals(List.of(), locate("sip:bob@forms.example.test;transport=tcp", Set.of("udp")));
        assertEquals(List.of(), locate("sip:bob@forms.example.test;transport=sctp", ALL));
    }

    @Test
    void transportParameterWithoutSrvFallsBackToTheAddressAtTheDefaultPort() throws Exception {
        assertEquals(List.of("tcp:127.0.0.86:5060"), locate("sip:carol@plain.example.test;transport=tcp", ALL));
        assertEquals(List.of("tls:127.0.0.86:5061"), locate("sip:carol@plain.example.test;transport=tls", ALL));
    }

    @Test
    void webSocketTransportsWithoutSrvUseTheirOwnDefaultPorts() throws Exception {
        // RFC 7118 §5 / RFC 6455: 80 for ws, 443 for wss (the providers are not on this test's module path).
        assertEquals(List.of("ws:127.0.0.86:80"), locate("sip:carol@plain.example.test;transport=ws", ALL));
        assertEquals(List.of("wss:127.0.0.86:443"), locate("sip:carol@plain.example.test;transport=wss", ALL));
    }

    @Test
    void maddrIsLocatedInsteadOfTheHost() throws Exception {
        List<Destination> found = locator.locate(
                SipUri.parse("sip:dave@nowhere.example.test;maddr=forms.example.test"), Set.of("udp", "tcp"));
        assertEquals(List.of("udp:127.0.0.81:5101"), targets(found));
        assertEquals("forms.example.test", found.getFirst().serverName());
        assertEquals(0, dns.queryLog().stream().filter(l -> l.contains("nowhere.example.test")).count(),
                dns.queryLog()::toString);
    }

    @Test
    void maddrKeepsTheUrisPortAndTransportRules() throws Exception {
        assertEquals(List.of("udp:127.0.0.86:5177"), locate("sip:dave@nowhere2.example.test:5177;maddr=plain.example.test", ALL));
        assertEquals(List.of("tcp:127.0.0.82:5102"),
                locate("sip:dave@nowhere2.example.test;maddr=forms.example.test;transport=tcp", ALL));
    }

    @Test
    void ipLiteralsNeedNoDnsAtAll() throws Exception {
        try (StubDnsServer silent = StubDnsServer.silent();
             DnsServerLocator direct = Matrix.locatorOn(silent.address()).build()) {
            List<Destination> v4 = direct.locate(SipUri.parse("sip:eve@127.0.0.1:5099"), ALL);
            assertEquals(List.of("udp:127.0.0.1:5099"), targets(v4));
            assertNull(v4.getFirst().serverName());
            assertEquals(List.of("udp:0:0:0:0:0:0:0:1:5060"), targets(direct.locate(SipUri.parse("sip:eve@[::1]"), ALL)));
            assertEquals(List.of("tls:127.0.0.1:5061"), targets(direct.locate(SipUri.parse("sips:eve@127.0.0.1"), ALL)));
            assertEquals(List.of("tcp:127.0.0.1:5060"),
                    targets(direct.locate(SipUri.parse("sip:eve@127.0.0.1;transport=tcp"), ALL)));
            assertEquals(List.of("udp:127.0.0.9:5060"),
                    targets(direct.locate(SipUri.parse("sip:eve@nowhere.example.test;maddr=127.0.0.9"), ALL)));
            assertEquals(0, direct.stats().queriesSent(), direct.stats()::toString);
            assertEquals(0, direct.stats().cacheEntries(), direct.stats()::toString);
            assertEquals(List.of(), silent.questions());
        }
    }

    @Test
    void aDotlessNameGoesThroughTheSearchList() throws Exception {
        try (DnsServerLocator searching = Matrix.locatorOn(dns.address()).searchDomains(List.of("example.test")).build()) {
            assertEquals(List.of("udp:127.0.0.86:5060"),
                    targets(searching.locate(SipUri.parse("sip:frank@plain"), Set.of("udp", "tcp"))));
        }
    }

    @Test
    void aCallerWithoutTransportsGetsNoDestination() throws Exception {
        assertEquals(List.of(), locate("sip:grace@forms.example.test", Set.of()));
        assertEquals(List.of(), locate("sip:grace@127.0.0.1", Set.of()));
        assertEquals(List.of(), locate("sip:grace@forms.example.test:5060", Set.of()));
    }
}
