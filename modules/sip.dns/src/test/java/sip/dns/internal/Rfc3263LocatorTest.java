package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;
import sip.message.SipUri;
import sip.router.Destination;

/** The RFC 3263 rules over an in-memory zone: which questions are asked, what comes out. */
class Rfc3263LocatorTest {
    private static final Set<String> ALL = Set.of("udp", "tcp", "tls", "ws", "wss");
    private final FakeZone zone = new FakeZone();

    private Rfc3263Locator locator(AddressFamily family, List<String> search, Duration lookupTimeout) {
        return new Rfc3263Locator(new LocatorConfig(List.of(FakeZone.SERVER), search, Duration.ofMillis(100),
                lookupTimeout, 1000, Duration.ofHours(1), Duration.ofMinutes(5), family, InstantSource.system(),
                new SplittableRandom(1), null), () -> zone);
    }

    private Rfc3263Locator locator() {
        return locator(AddressFamily.IPV4_FIRST, List.of(), Duration.ofSeconds(2));
    }

    private static List<String> show(List<Destination> destinations) {
        return destinations.stream().map(Destination::toString).toList();
    }

    @Test
    void naptrRecordsInOrderFilteredToTheCallersTransports() throws IOException {
        zone.naptr("example.test", 60, 10, 10, "s", "SIPS+D2T", "_sips._tcp.example.test")
                .naptr("example.test", 60, 20, 10, "s", "SIP+D2U", "_sip._udp.example.test")
                .naptr("example.test", 60, 15, 10, "s", "SIP+D2T", "_sip._tcp.example.test")
                .srv("_sips._tcp.example.test", 60, 0, 0, 5061, "tls.example.test")
                .srv("_sip._tcp.example.test", 60, 0, 0, 5060, "tcp.example.test")
                .srv("_sip._udp.example.test", 60, 0, 0, 5060, "udp.example.test")
                .a("tls.example.test", 60, "192.0.2.1").a("tcp.example.test", 60, "192.0.2.2")
                .a("udp.example.test", 60, "192.0.2.3");
        assertEquals(List.of("tls:192.0.2.1:5061 (example.test)", "tcp:192.0.2.2:5060 (example.test)",
                "udp:192.0.2.3:5060 (example.test)"), show(locator().locate(SipUri.parse("sip:example.test"), ALL)));
        assertEquals(List.of("udp:192.0.2.3:5060 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test"), Set.of("udp"))));
        // sips: SIPS+ services only
        assertEquals(List.of("tls:192.0.2.1:5061 (example.test)"),
                show(locator().locate(SipUri.parse("sips:example.test"), ALL)));
    }

    @Test
    void aNaptrWhoseSrvNameHasNoRecordsFallsBackToTheDomainsAddressesOverItsTransport() throws IOException {
        zone.naptr("example.test", 60, 10, 10, "s", "SIP+D2T", "_sip._tcp.example.test")
                .a("example.test", 60, "192.0.2.1");
        assertEquals(List.of("tcp:192.0.2.1:5060 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test"), ALL)));
        assertEquals(0, zone.count("_sip._udp.example.test", Type.SRV));   // NAPTR chose: no per-transport SRV
    }

    @Test
    void withoutNaptrEveryTransportsSrvContributesInTransportOrder() throws IOException {
        zone.srv("_sip._tcp.example.test", 60, 0, 0, 5070, "b.example.test")
                .srv("_sip._udp.example.test", 60, 0, 0, 5080, "a.example.test")
                .srv("_sips._ws.example.test", 60, 0, 0, 443, "c.example.test")
                .a("a.example.test", 60, "192.0.2.1").a("b.example.test", 60, "192.0.2.2")
                .a("c.example.test", 60, "192.0.2.3");
        assertEquals(List.of("udp:192.0.2.1:5080 (example.test)", "tcp:192.0.2.2:5070 (example.test)",
                "wss:192.0.2.3:443 (example.test)"), show(locator().locate(SipUri.parse("sip:example.test"), ALL)));
        for (String srv : List.of("_sip._udp", "_sip._tcp", "_sips._tcp", "_sip._ws", "_sips._ws")) {
            assertEquals(1, zone.count(srv + ".example.test", Type.SRV), srv);
        }
    }

    @Test
    void aSipsUriAsksOnlyTheSipsServices() throws IOException {
        zone.srv("_sip._udp.example.test", 60, 0, 0, 5080, "a.example.test").a("a.example.test", 60, "192.0.2.1");
        // no SIPS SRV: the domain's own address at the TLS port
        zone.a("example.test", 60, "192.0.2.9");
        assertEquals(List.of("tls:192.0.2.9:5061 (example.test)"),
                show(locator().locate(SipUri.parse("sips:example.test"), ALL)));
        assertEquals(0, zone.count("_sip._udp.example.test", Type.SRV));
        assertEquals(0, zone.count("_sip._tcp.example.test", Type.SRV));
        assertEquals(1, zone.count("_sips._tcp.example.test", Type.SRV));
        assertEquals(1, zone.count("_sips._ws.example.test", Type.SRV));
    }

    @Test
    void noSrvMeansTheAddressesAtTheDefaultPort() throws IOException {
        zone.a("example.test", 60, "192.0.2.1", "2001:db8::1");
        assertEquals(List.of("udp:192.0.2.1:5060 (example.test)", "udp:2001:db8:0:0:0:0:0:1:5060 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test"), ALL)));
        assertEquals(List.of("udp:2001:db8:0:0:0:0:0:1:5060 (example.test)", "udp:192.0.2.1:5060 (example.test)"),
                show(locator(AddressFamily.IPV6_FIRST, List.of(), Duration.ofSeconds(2))
                        .locate(SipUri.parse("sip:example.test"), ALL)));
    }

    @Test
    void addressFamilyOnlyAsksForThatFamily() throws IOException {
        zone.a("example.test", 60, "192.0.2.1", "2001:db8::1");
        assertEquals(List.of("udp:2001:db8:0:0:0:0:0:1:5060 (example.test)"),
                show(locator(AddressFamily.IPV6_ONLY, List.of(), Duration.ofSeconds(2))
                        .locate(SipUri.parse("sip:example.test:5060"), ALL)));
        assertEquals(0, zone.count("example.test", Type.A));
    }

    @Test
    void transportParameterAsksOnlyThatTransportsSrv() throws IOException {
        zone.naptr("example.test", 60, 10, 10, "s", "SIP+D2U", "_sip._udp.example.test")
                .srv("_sip._tcp.example.test", 60, 0, 0, 5090, "t.example.test").a("t.example.test", 60, "192.0.2.5");
        assertEquals(List.of("tcp:192.0.2.5:5090 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test;transport=tcp"), ALL)));
        assertEquals(0, zone.count("example.test", Type.NAPTR));
        // sips + transport=tcp is TLS: _sips._tcp, and without it the domain at 5061
        zone.a("example.test", 60, "192.0.2.9");
        assertEquals(List.of("tls:192.0.2.9:5061 (example.test)"),
                show(locator().locate(SipUri.parse("sips:example.test;transport=tcp"), ALL)));
        assertEquals(1, zone.count("_sips._tcp.example.test", Type.SRV));
        // a transport the caller lacks: nothing, without a query
        int asked = zone.asked.size();
        assertEquals(List.of(), locator().locate(SipUri.parse("sip:example.test;transport=ws"), Set.of("udp")));
        assertEquals(asked, zone.asked.size());
    }

    @Test
    void anExplicitPortAsksOnlyForAddresses() throws IOException {
        zone.naptr("example.test", 60, 10, 10, "s", "SIP+D2U", "_sip._udp.example.test")
                .a("example.test", 60, "192.0.2.1");
        assertEquals(List.of("tcp:192.0.2.1:5099 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test:5099;transport=tcp"), ALL)));
        assertEquals(List.of(Type.A, Type.AAAA), zone.asked.stream().map(Question::type).toList());
    }

    @Test
    void maddrIsLocatedInsteadOfTheHost() throws IOException {
        zone.a("proxy.example.test", 60, "192.0.2.8");
        assertEquals(List.of("udp:192.0.2.8:5062 (proxy.example.test)"),
                show(locator().locate(SipUri.parse("sip:bob@example.test:5062;maddr=proxy.example.test"), ALL)));
        assertEquals(List.of("udp:192.0.2.77:5060"),
                show(locator().locate(SipUri.parse("sip:bob@example.test;maddr=192.0.2.77"), ALL)));
        assertEquals(0, zone.count("example.test", Type.NAPTR));
    }

    @Test
    void ipLiteralsNeedNoQuery() throws IOException {
        assertEquals(List.of("tcp:2001:db8:0:0:0:0:0:5:5060"),
                show(locator().locate(SipUri.parse("sip:[2001:db8::5];transport=tcp"), ALL)));
        assertEquals(List.of("wss:192.0.2.1:443"),
                show(locator().locate(SipUri.parse("sips:192.0.2.1;transport=ws"), ALL)));
        assertTrue(zone.asked.isEmpty());
    }

    @Test
    void aDotTargetMeansTheServiceIsNotOffered() {
        zone.srv("_sip._udp.example.test", 60, 0, 0, 0, ".").a("example.test", 60, "192.0.2.1");
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locator().locate(SipUri.parse("sip:example.test;transport=udp"), ALL));
        assertEquals(Reason.NO_RECORDS, e.reason());
        assertEquals(0, zone.count("example.test", Type.A));   // no fall-back to the domain's address
    }

    @Test
    void targetsWithoutAddressesAreSkippedAndTheOthersKept() throws IOException {
        zone.srv("_sip._udp.example.test", 60, 1, 0, 5060, "gone.example.test")
                .srv("_sip._udp.example.test", 60, 2, 0, 5060, "b.example.test")
                .a("b.example.test", 60, "192.0.2.2");
        assertEquals(List.of("udp:192.0.2.2:5060 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test;transport=udp"), ALL)));
    }

    @Test
    void aFailedAaaaDoesNotHideTheA() throws IOException {
        zone.a("example.test", 60, "192.0.2.1").rcode("example.test", Type.AAAA, Rcode.SERVFAIL);
        assertEquals(List.of("udp:192.0.2.1:5060 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test:5060"), ALL)));
    }

    @Test
    void aNaptrQueryThatFailsIsNoUsableNaptrSoSrvIsAsked() throws IOException {
        // RFC 3263 §4.1 "no usable NAPTR"; servers and middleboxes that choke on NAPTR are common
        zone.rcode("example.test", Type.NAPTR, Rcode.NOTIMP)
                .srv("_sip._tcp.example.test", 60, 0, 0, 5070, "s.example.test").a("s.example.test", 60, "192.0.2.9");
        assertEquals(List.of("tcp:192.0.2.9:5070 (example.test)"),
                show(locator(AddressFamily.IPV4_ONLY, List.of(), Duration.ofSeconds(2))
                        .locate(SipUri.parse("sip:example.test"), ALL)));
        assertEquals(1, zone.count("_sip._udp.example.test", Type.SRV));
    }

    @Test
    void srvRecordsWithPortZeroAreIgnored() throws IOException {
        zone.srv("_sip._udp.example.test", 60, 0, 50, 0, "zero.example.test")
                .srv("_sip._udp.example.test", 60, 5, 10, 5062, "good.example.test")
                .a("zero.example.test", 60, "192.0.2.7").a("good.example.test", 60, "192.0.2.8");
        assertEquals(List.of("udp:192.0.2.8:5062 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test;transport=udp"), ALL)));
        assertEquals(0, zone.count("zero.example.test", Type.A));
        // a set of port-0 records only offers nothing: like target ".", no fall-back to A
        zone.srv("_sip._tcp.only.example.test", 60, 0, 0, 0, "zero.example.test").a("only.example.test", 60, "192.0.2.9");
        assertEquals(Reason.NO_RECORDS, assertThrows(DnsLookupException.class,
                () -> locator().locate(SipUri.parse("sip:only.example.test;transport=tcp"), ALL)).reason());
    }

    @Test
    void anNxdomainForTheNaptrAnswersTheOtherTypesOfTheNameWithoutQueries() throws IOException {
        // RFC 2308 §5: the name does not exist, whatever the type (the SRV names are other names)
        zone.soa(60, 60);
        Rfc3263Locator locator = locator(AddressFamily.IPV4_FIRST, List.of(), Duration.ofSeconds(2));
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locator.locate(SipUri.parse("sip:gone.example.test"), Set.of("udp")));
        assertEquals(Reason.NO_SUCH_NAME, e.reason());
        assertEquals(1, zone.count("gone.example.test", Type.NAPTR));
        assertEquals(1, zone.count("_sip._udp.gone.example.test", Type.SRV));
        assertEquals(0, zone.count("gone.example.test", Type.A));
        assertEquals(0, zone.count("gone.example.test", Type.AAAA));
        assertEquals(2, locator.stats().negativeHits());
    }

    @Test
    void errorsAreTyped() {
        DnsLookupException nx = assertThrows(DnsLookupException.class,
                () -> locator().locate(SipUri.parse("sip:nope.example.test"), ALL));
        assertEquals(Reason.NO_SUCH_NAME, nx.reason());
        assertEquals("nope.example.test", nx.name());
        assertEquals("A/AAAA", nx.type());
        zone.rcode("bad.example.test", Type.A, Rcode.SERVFAIL).rcode("bad.example.test", Type.AAAA, Rcode.SERVFAIL);
        assertEquals(Reason.SERVER_FAILURE, assertThrows(DnsLookupException.class,
                () -> locator().locate(SipUri.parse("sip:bad.example.test:5060"), ALL)).reason());
        zone.rcode("ref.example.test", Type.A, Rcode.REFUSED).rcode("ref.example.test", Type.AAAA, Rcode.REFUSED);
        assertEquals(Reason.REFUSED, assertThrows(DnsLookupException.class,
                () -> locator().locate(SipUri.parse("sip:ref.example.test:5060"), ALL)).reason());
        zone.a("v4.example.test", 60, "192.0.2.1");
        assertEquals(Reason.NO_RECORDS, assertThrows(DnsLookupException.class,
                () -> locator(AddressFamily.IPV6_ONLY, List.of(), Duration.ofSeconds(2))
                        .locate(SipUri.parse("sip:v4.example.test:5060"), ALL)).reason());
    }

    @Test
    void anUnansweredQueryEndsInTimeoutNamingWhatItWaitedFor() {
        zone.silent("example.test", Type.NAPTR);
        long start = System.nanoTime();
        // A hang guard, not a speed check: a loaded machine may be slow, a lookup must not hang.
        DnsLookupException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                DnsLookupException.class, () -> locator(AddressFamily.IPV4_FIRST, List.of(), Duration.ofMillis(300))
                        .locate(SipUri.parse("sip:example.test"), ALL)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("waiting for example.test NAPTR"), e.getMessage());
        assertTrue(millis >= 300, () -> "gave up before its lookup timeout: " + millis + " ms");
    }

    @Test
    void everySrvTargetsAddressesAreAskedForEvenWithAnAdditionalSection() throws IOException {
        // the additional section may hold part of an RRset only (servers cut it without TC)
        zone.addAdditional = true;
        zone.srv("_sip._udp.example.test", 60, 0, 0, 5060, "s.example.test").a("s.example.test", 60, "192.0.2.1", "2001:db8::1");
        Rfc3263Locator locator = locator();
        SipUri uri = SipUri.parse("sip:example.test;transport=udp");
        List<Destination> first = locator.locate(uri, ALL);
        assertEquals(2, first.size());
        assertEquals(1, zone.count("s.example.test", Type.A));
        assertEquals(1, zone.count("s.example.test", Type.AAAA));
        assertEquals(first, locator.locate(uri, ALL));     // all from the cache
        assertEquals(1, zone.count("s.example.test", Type.A));
    }

    @Test
    void searchDomainsQualifyADotlessName() throws IOException {
        zone.a("sipserver.example.test", 60, "192.0.2.4");
        assertEquals(List.of("udp:192.0.2.4:5060 (sipserver.example.test)"),
                show(locator(AddressFamily.IPV4_FIRST, List.of("other.test", "example.test"), Duration.ofSeconds(2))
                        .locate(SipUri.parse("sip:sipserver:5060"), ALL)));
        assertEquals(1, zone.count("sipserver.other.test", Type.A));
        assertEquals(0, zone.count("sipserver", Type.A));
    }

    @Test
    void duplicatesAreDropped() throws IOException {
        zone.srv("_sip._udp.example.test", 60, 0, 0, 5060, "a.example.test")
                .srv("_sip._udp.example.test", 60, 0, 1, 5060, "a.example.test")
                .a("a.example.test", 60, "192.0.2.1");
        assertEquals(List.of("udp:192.0.2.1:5060 (example.test)"),
                show(locator().locate(SipUri.parse("sip:example.test;transport=udp"), ALL)));
    }

    @Test
    void atMost32RecordsPerAnswerAndAtMost64Destinations() throws IOException {
        for (String target : List.of("t1", "t2", "t3")) {
            zone.srv("_sip._udp.example.test", 60, 0, 0, 5060, target + ".example.test");
            for (int i = 1; i <= 40; i++) {
                zone.a(target + ".example.test", 60, "10.0." + target.charAt(1) + "." + i);
            }
        }
        assertEquals(32, locator().locate(SipUri.parse("sip:t1.example.test:5060"), ALL).size());
        assertEquals(64, locator().locate(SipUri.parse("sip:example.test;transport=udp"), ALL).size());
    }

    @Test
    void sentByWithoutPortAsksTheProtocolsSrv() throws IOException {
        zone.srv("_sips._tcp.example.test", 60, 0, 0, 5071, "s.example.test").a("s.example.test", 60, "192.0.2.3")
                .a("example.test", 60, "192.0.2.9");
        Rfc3263Locator locator = locator();
        assertEquals(List.of("tls:192.0.2.3:5071 (example.test)"), show(locator.locateSentBy("TLS", "example.test", -1)));
        assertEquals(List.of("tls:192.0.2.9:5099 (example.test)"), show(locator.locateSentBy("tls", "example.test", 5099)));
        assertEquals(List.of("udp:192.0.2.9:5060 (example.test)"), show(locator.locateSentBy("udp", "example.test", -1)));
        assertEquals(List.of("tcp:192.0.2.200:5060"), show(locator.locateSentBy("tcp", "192.0.2.200", -1)));
        assertEquals(0, zone.count("example.test", Type.NAPTR));
    }

    @Test
    void noUsableTransportMeansNoQuery() throws IOException {
        assertEquals(List.of(), locator().locate(SipUri.parse("sips:example.test"), Set.of("udp", "tcp")));
        assertEquals(List.of(), locator().locate(SipUri.parse("sip:example.test"), Set.of()));
        assertTrue(zone.asked.isEmpty());
    }

    @Test
    void closedLocatorRefuses() {
        Rfc3263Locator locator = locator();
        locator.close();
        IOException e = assertThrows(IOException.class, () -> locator.locate(SipUri.parse("sip:example.test"), ALL));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
