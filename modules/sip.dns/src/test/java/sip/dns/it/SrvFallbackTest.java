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
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * RFC 3263 §4.1/§4.2 when NAPTR gives nothing usable: SRV per supported transport in the order
 * udp, tcp, tls, ws, wss; a target "." (RFC 2782: service decidedly not offered); and no SRV at all
 * → A/AAAA at the transport's default port.
 */
class SrvFallbackTest {
    private static Dnsmasq dns;
    private static DnsServerLocator locator;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder()
                .domain("example.test")
                // No NAPTR: one SRV per transport.
                .srv("_sip._udp.srvonly.example.test", "u.srvonly.example.test", 5080, 10, 10)
                .srv("_sip._tcp.srvonly.example.test", "t.srvonly.example.test", 5081, 10, 10)
                .srv("_sips._tcp.srvonly.example.test", "s.srvonly.example.test", 5082, 10, 10)
                .srv("_sip._ws.srvonly.example.test", "w.srvonly.example.test", 5083, 10, 10)
                .srv("_sips._ws.srvonly.example.test", "x.srvonly.example.test", 5084, 10, 10)
                .host("u.srvonly.example.test", "127.0.0.21")
                .host("t.srvonly.example.test", "127.0.0.22")
                .host("s.srvonly.example.test", "127.0.0.23")
                .host("w.srvonly.example.test", "127.0.0.24")
                .host("x.srvonly.example.test", "127.0.0.25")
                // NAPTR for UDP only: unusable for a TCP-only caller and for sips.
                .naptr("unusable.example.test", 10, 10, "s", "SIP+D2U", "", "_sip._udp.unusable.example.test")
                .srv("_sip._udp.unusable.example.test", "u.unusable.example.test", 5085, 10, 10)
                .srv("_sip._tcp.unusable.example.test", "t.unusable.example.test", 5086, 10, 10)
                .srv("_sips._tcp.unusable.example.test", "s.unusable.example.test", 5087, 10, 10)
                .host("u.unusable.example.test", "127.0.0.26")
                .host("t.unusable.example.test", "127.0.0.27")
                .host("s.unusable.example.test", "127.0.0.28")
                // UDP decidedly not offered, TCP is; the domain's own A record must not be used.
                .srvUnavailable("_sip._udp.dot.example.test")
                .srv("_sip._tcp.dot.example.test", "t.dot.example.test", 5088, 10, 10)
                .host("t.dot.example.test", "127.0.0.29")
                .host("dot.example.test", "127.0.0.30")
                .srvUnavailable("_sip._udp.dotall.example.test")
                .srvUnavailable("_sip._tcp.dotall.example.test")
                .host("dotall.example.test", "127.0.0.31")
                // Nothing but an address.
                .host("aonly.example.test", "127.0.0.32")
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
    void withoutNaptrEverySupportedTransportsSrvContributesInTransportOrder() throws Exception {
        List<Destination> found = locate("sip:alice@srvonly.example.test", "wss", "ws", "tls", "tcp", "udp");
        assertEquals(List.of("udp:127.0.0.21:5080", "tcp:127.0.0.22:5081", "tls:127.0.0.23:5082",
                "ws:127.0.0.24:5083", "wss:127.0.0.25:5084"), targets(found));
        found.forEach(d -> assertEquals("srvonly.example.test", d.serverName(), d::toString));
    }

    @Test
    void withoutNaptrOnlyTheCallersTransportsAreAsked() throws Exception {
        assertEquals(List.of("tcp:127.0.0.22:5081", "ws:127.0.0.24:5083"),
                targets(locate("sip:alice@srvonly.example.test", "tcp", "ws")));
    }

    @Test
    void withoutNaptrSipsUsesOnlySipsSrvNames() throws Exception {
        assertEquals(List.of("tls:127.0.0.23:5082", "wss:127.0.0.25:5084"),
                targets(locate("sips:alice@srvonly.example.test", "udp", "tcp", "tls", "ws", "wss")));
    }

    @Test
    void tlsIsLookedUpAsSipsOverTcpNeverAsTls() throws Exception {
        locate("sip:alice@srvonly.example.test", "tls");
        assertEquals(List.of(), dns.queryLog().stream().filter(l -> l.contains("._tls.")).toList(),
                "RFC 3263 names TLS _sips._tcp; _sip._tls / _sips._tls are a known peer bug");
    }

    @Test
    void naptrWithoutTheCallersTransportFallsBackToSrv() throws Exception {
        assertEquals(List.of("tcp:127.0.0.27:5086"), targets(locate("sip:bob@unusable.example.test", "tcp")));
    }

    @Test
    void usableNaptrIsNotMixedWithSrvOfOtherTransports() throws Exception {
        assertEquals(List.of("udp:127.0.0.26:5085"), targets(locate("sip:bob@unusable.example.test", "udp", "tcp")));
    }

    @Test
    void sipsWithOnlySipNaptrFallsBackToSipsSrv() throws Exception {
        assertEquals(List.of("tls:127.0.0.28:5087"),
                targets(locate("sips:bob@unusable.example.test", "udp", "tcp", "tls")));
    }

    @Test
    void srvTargetDotRemovesThatTransportOnly() throws Exception {
        assertEquals(List.of("tcp:127.0.0.29:5088"), targets(locate("sip:carol@dot.example.test", "udp", "tcp")));
    }

    @Test
    void srvTargetDotIsNotAnInvitationToUseTheDomainsAddress() {
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locate("sip:carol@dot.example.test;transport=udp", "udp", "tcp"));
        assertEquals(DnsLookupException.Reason.NO_RECORDS, e.reason(), e::getMessage);
        assertEquals("_sip._udp.dot.example.test", e.name());
        assertEquals("SRV", e.type());
    }

    @Test
    void whenEveryTransportSaysDotThereIsNoAddressFallback() {
        // RFC 2782: "." means the service is decidedly not available: the A record must not be used.
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locate("sip:carol@dotall.example.test", "udp", "tcp"));
        assertEquals(DnsLookupException.Reason.NO_RECORDS, e.reason(), e::getMessage);
    }

    @Test
    void noSrvFallsBackToTheAddressAtUdpsDefaultPort() throws Exception {
        List<Destination> found = locate("sip:dave@aonly.example.test", "udp", "tcp");
        assertEquals(List.of("udp:127.0.0.32:5060"), targets(found));
        assertEquals("aonly.example.test", found.getFirst().serverName());
    }

    @Test
    void noSrvWithoutUdpFallsBackToTcp() throws Exception {
        assertEquals(List.of("tcp:127.0.0.32:5060"), targets(locate("sip:dave@aonly.example.test", "tcp")));
    }

    @Test
    void noSrvForSipsFallsBackToTheAddressAtTlsDefaultPort() throws Exception {
        assertEquals(List.of("tls:127.0.0.32:5061"), targets(locate("sips:dave@aonly.example.test", "udp", "tcp", "tls")));
    }

    @Test
    void sipsWithoutTlsHasNowhereToGo() throws Exception {
        assertEquals(List.of(), targets(locate("sips:dave@aonly.example.test", "udp", "tcp")));
    }

    @Test
    void fallbackToAddressRecordsComesOnlyAfterNaptrAndSrvWereAsked() throws Exception {
        locate("sip:erin@aonly.example.test", "udp", "tcp");
        assertTrue(dns.queryCount("aonly.example.test", "NAPTR") >= 1, dns.queryLog()::toString);
        assertTrue(dns.queryCount("_sip._udp.aonly.example.test", "SRV") >= 1, dns.queryLog()::toString);
        assertTrue(dns.queryCount("_sip._tcp.aonly.example.test", "SRV") >= 1, dns.queryLog()::toString);
    }
}
