package sip.fuzz.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;

/**
 * Findings of the DNS fuzz targets ({@link HostileAnswersFuzzTest}, {@link SrvOrderFuzzTest},
 * {@link SentByFuzzTest}), each kept as a plain regression test now that it is fixed: D1 and D3 in
 * {@code sip.dns}'s own fixes (its UDP exchange keeps {@code queryTimeout}; SRV port 0 is skipped
 * like target "."), D2 and D4 in {@code sip.dns}'s {@code SipTransports} and {@code sip.router}'s
 * {@code JdkServerLocator}. The properties check the fixed behaviour, without step-arounds. A new
 * finding goes here {@code @Disabled} with its number until fixed.
 */
class DnsFindingsTest {

    /**
     * D1 (fixed): {@code queryTimeout} below dnsjava's selector tick (about 1 s) was not kept.
     * With two servers, the first silent, {@code queryTimeout} 200 ms and {@code lookupTimeout}
     * 1 s, the locator makes ⌈1000 / 200⌉ = 5 attempts moving on to the next server after each
     * 200 ms: the second server answers within the second. With dnsjava's NIO client the first
     * attempt lasted about a second (its selector's {@code select(1000)} tick) and the call ended
     * in TIMEOUT without asking the second server; and no query may stay in flight after the call.
     */
    @Test
    void d1SecondServerAnswersWithinLookupTimeout() throws IOException {
        try (HostileResponder silent = HostileResponder.start(); HostileResponder answering = HostileResponder.start()) {
            answering.serve(FuzzedZone.wellBehaved(false).address("example.test", new byte[] {127, 0, 0, 7}, 60));
            try (DnsServerLocator locator = DnsServerLocator.newBuilder()
                    .servers(List.of(silent.address(), answering.address()))
                    .searchDomains(List.of())
                    .queryTimeout(Duration.ofMillis(200))
                    .lookupTimeout(Duration.ofSeconds(1))
                    .addressFamily(AddressFamily.IPV4_ONLY)
                    .build()) {
                List<Destination> found = locator.locate(SipUri.parse("sip:example.test:5060"), Set.of("udp"));
                assertEquals(List.of(new Destination("udp", new InetSocketAddress("127.0.0.7", 5060), "example.test")), found);
                LocatorContract.awaitNoFlights("D1", locator);
            }
        }
    }

    /**
     * D2 (fixed): a {@code sips} URI with {@code transport=udp} was located over UDP (IP literal
     * here; a name went to {@code _sip._udp} SRV records likewise). A SIPS URI asks for TLS on
     * every hop (RFC 3261 §19.1.2, §26.2.2; RFC 5630 §3.1.3 names {@code sips} with
     * {@code transport=udp} as not to be used): there is no destination, and nothing is asked.
     */
    @Test
    void d2SipsNeverOverUdp() throws IOException {
        try (HostileResponder server = HostileResponder.start()) {
            server.serve(FuzzedZone.wellBehaved(false)
                    .srv("_sip._udp.example.test", 10, 10, 5060, "s1.example.test", 60)
                    .address("s1.example.test", new byte[] {127, 0, 0, 1}, 60)
                    .address("example.test", new byte[] {127, 0, 0, 2}, 60));
            try (DnsServerLocator locator = LocatorContract.locator(server.address(), AddressFamily.IPV4_ONLY, null)) {
                Set<String> all = Set.of("udp", "tcp", "tls", "ws", "wss");
                for (String uri : List.of("sips:[::1];transport=udp", "sips:127.0.0.1;transport=udp",
                        "sips:example.test;transport=udp", "sips:example.test:5061;transport=udp")) {
                    assertEquals(List.of(), locator.locate(SipUri.parse(uri), all), uri);
                }
                assertEquals(0, locator.stats().queriesSent(), "asked DNS for a URI without a usable transport");
                assertEquals(List.of(new Destination("tls", new InetSocketAddress("127.0.0.1", 5061), null)),
                        locator.locate(SipUri.parse("sips:127.0.0.1;transport=tcp"), all));
            }
        }
    }

    /**
     * D3 (fixed): an SRV record with port 0 became a destination at port 0. No SIP server
     * listens there (a datagram to port 0 cannot even be sent on Linux); the record is skipped
     * like target "." is, leaving the other targets, or NO_RECORDS.
     */
    @Test
    void d3SrvPortZeroIsNoDestination() throws IOException {
        try (HostileResponder server = HostileResponder.start()) {
            server.serve(FuzzedZone.wellBehaved(false)
                    .srv("_sip._udp.example.test", 10, 10, 0, "s1.example.test", 60)
                    .address("s1.example.test", new byte[] {127, 0, 0, 1}, 60));
            try (DnsServerLocator locator = LocatorContract.locator(server.address(), AddressFamily.IPV4_ONLY, null)) {
                DnsLookupException e = assertThrows(DnsLookupException.class,
                        () -> locator.locate(SipUri.parse("sip:example.test;transport=udp"), Set.of("udp")));
                assertEquals(DnsLookupException.Reason.NO_RECORDS, e.reason(), e.getMessage());
            }
        }
        try (HostileResponder server = HostileResponder.start()) {
            server.serve(FuzzedZone.wellBehaved(false)
                    .srv("_sip._udp.example.test", 10, 10, 0, "s1.example.test", 60)
                    .srv("_sip._udp.example.test", 20, 10, 5070, "s2.example.test", 60)
                    .address("s1.example.test", new byte[] {127, 0, 0, 1}, 60)
                    .address("s2.example.test", new byte[] {127, 0, 0, 2}, 60));
            try (DnsServerLocator locator = LocatorContract.locator(server.address(), AddressFamily.IPV4_ONLY, null)) {
                assertEquals(List.of(new Destination("udp", new InetSocketAddress("127.0.0.2", 5070), "example.test")),
                        locator.locate(SipUri.parse("sip:example.test;transport=udp"), Set.of("udp")));
            }
        }
    }

    /**
     * D4 (fixed): a host of digits and dots that is no RFC 3261 {@code IPv4address} (exactly
     * four decimal parts) was taken as the address inet_aton makes of it: sent-by {@code "1.2.3"}
     * went to 1.2.0.3, {@code "1"} to 0.0.0.1, {@code maddr=16909060} to 1.2.3.4 ({@code
     * InetAddress.ofLiteral} accepts the BSD short forms). Such a host is looked up as the name it
     * is written as: here NO_SUCH_NAME, never an address the peer never wrote.
     */
    @Test
    void d4ShortDigitFormsAreNoAddresses() throws IOException {
        try (HostileResponder server = HostileResponder.start()) {
            server.serve(FuzzedZone.wellBehaved(false));   // knows no name: NXDOMAIN for everything
            try (DnsServerLocator locator = LocatorContract.locator(server.address(), AddressFamily.IPV4_ONLY, null)) {
                assertNoSuchName(() -> locator.locateSentBy("udp", "1.2.3", 5060));
                assertNoSuchName(() -> locator.locateSentBy("tcp", "1", -1));
                assertNoSuchName(() -> locator.locate(SipUri.parse("sip:example.test;maddr=16909060"), Set.of("udp")));
                assertTrue(locator.stats().queriesSent() > 0, "the short forms are looked up as names");
            }
        }
    }

    private static void assertNoSuchName(org.junit.jupiter.api.function.Executable call) {
        DnsLookupException e = assertThrows(DnsLookupException.class, call);
        assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, e.reason(), e.getMessage());
    }
}
