package sip.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/** The locator against a real dnsmasq: the RFC 3263 chain end to end over DNS wire traffic. */
class DnsServerLocatorTest {
    private static final Set<String> ALL = Set.of("udp", "tcp", "tls", "ws", "wss");
    private static Dnsmasq dns;

    @BeforeAll
    static void startDnsmasq() throws IOException {
        assumeTrue("1".equals(System.getenv("PARLEY_REQUIRE_PEERS")) || Dnsmasq.isAvailable(), "dnsmasq not installed");
        dns = Dnsmasq.builder().domain("example.test")
                .naptr("example.test", 10, 50, "s", "SIP+D2T", "", "_sip._tcp.example.test")
                .naptr("example.test", 20, 50, "s", "SIP+D2U", "", "_sip._udp.example.test")
                .srv("_sip._tcp.example.test", "sip1.example.test", 5070, 10, 60)
                .srv("_sip._udp.example.test", "sip2.example.test", 5080, 10, 60)
                .host("sip1.example.test", "127.0.0.1", "::1")
                .host("sip2.example.test", "127.0.0.2")
                .host("plain.example.test", "127.0.0.3")
                .ttl(Duration.ofSeconds(300))
                .start();
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dns != null) {
            dns.close();
        }
    }

    private static DnsServerLocator.Builder locator() {
        return DnsServerLocator.newBuilder().servers(List.of(dns.address())).searchDomains(List.of())
                .lookupTimeout(Duration.ofSeconds(3));
    }

    @Test
    void naptrThenSrvThenAddresses() throws IOException {
        try (DnsServerLocator locator = locator().build()) {
            List<Destination> found = locator.locate(SipUri.parse("sip:alice@example.test"), ALL);
            assertEquals(List.of(
                    new Destination("tcp", new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 5070), "example.test"),
                    new Destination("tcp", new InetSocketAddress(InetAddress.ofLiteral("::1"), 5070), "example.test"),
                    new Destination("udp", new InetSocketAddress(InetAddress.ofLiteral("127.0.0.2"), 5080), "example.test")),
                    found);
            DnsStats stats = locator.stats();
            assertTrue(stats.queriesSent() >= 3, stats.toString());
            assertEquals(0, stats.inFlight());
        }
    }

    @Test
    void aSecondLocateTakesNaptrAndSrvFromTheCache() throws IOException {
        try (DnsServerLocator locator = locator().build()) {
            SipUri uri = SipUri.parse("sip:bob@example.test");
            List<Destination> first = locator.locate(uri, ALL);
            int naptr = dns.queryCount("example.test", "NAPTR");
            int srv = dns.queryCount("_sip._tcp.example.test", "SRV");
            int sip1 = dns.queryCount("sip1.example.test", "A");
            assertEquals(first, locator.locate(uri, ALL));
            assertEquals(naptr, dns.queryCount("example.test", "NAPTR"));
            assertEquals(srv, dns.queryCount("_sip._tcp.example.test", "SRV"));
            // The first SRV answer carried sip1's A and AAAA in its additional section, used for that
            // lookup only; the cached SRV set has no additional records, so sip1 is asked for now.
            assertEquals(sip1 + 1, dns.queryCount("sip1.example.test", "A"));
        }
    }

    @Test
    void aWarmChainSendsNoQueryWhenEveryAnswerIsCacheable() throws IOException {
        // Authoritative: NODATA (sip2 has no AAAA) carries an SOA, so it is cached as well.
        try (Dnsmasq auth = Dnsmasq.builder().domain("example.test")
                .srv("_sip._udp.example.test", "sip2.example.test", 5080, 10, 60)
                .host("sip2.example.test", "127.0.0.2").ttl(Duration.ofSeconds(300)).authoritative().start();
             DnsServerLocator locator = DnsServerLocator.newBuilder().servers(List.of(auth.address()))
                     .searchDomains(List.of()).build()) {
            SipUri uri = SipUri.parse("sip:example.test");
            List<Destination> first = locator.locate(uri, Set.of("udp"));
            assertEquals(5080, first.getFirst().address().getPort());
            long sent = locator.stats().queriesSent();
            int logged = auth.queryLog().size();
            assertEquals(first, locator.locate(uri, Set.of("udp")));
            assertEquals(sent, locator.stats().queriesSent());
            assertEquals(logged, auth.queryLog().size());
            assertTrue(locator.stats().negativeHits() >= 2, locator.stats().toString()); // NAPTR and AAAA NODATA
        }
    }

    @Test
    void concurrentLocatesOfOneNameSendOneQueryPerRecordSet() throws Exception {
        try (Dnsmasq fresh = Dnsmasq.builder().domain("example.test")
                .srv("_sip._udp.example.test", "sip1.example.test", 5080, 10, 60)
                .host("sip1.example.test", "127.0.0.1").ttl(Duration.ofSeconds(300)).authoritative().start();
             DnsServerLocator locator = DnsServerLocator.newBuilder().servers(List.of(fresh.address()))
                     .searchDomains(List.of()).build();
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            SipUri uri = SipUri.parse("sip:example.test");
            List<java.util.concurrent.Future<List<Destination>>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(threads.submit(() -> locator.locate(uri, Set.of("udp"))));
            }
            for (var call : calls) {
                assertEquals(5080, call.get(10, java.util.concurrent.TimeUnit.SECONDS).getFirst().address().getPort());
            }
            // Each record set was asked for once: later callers joined the flight or hit the cache.
            assertEquals(1, fresh.queryCount("example.test", "NAPTR"));
            assertEquals(1, fresh.queryCount("_sip._udp.example.test", "SRV"));
            DnsStats stats = locator.stats();
            assertEquals(4, stats.queriesSent(), stats.toString());   // NAPTR, SRV, A, AAAA
            assertEquals(4, fresh.queryLog().size());
            // every other of the 32 × 4 lookups joined a flight or found the answer cached
            assertEquals(32 * 4 - 4, stats.sharedLookups() + stats.cacheHits(), stats.toString());
        }
    }

    @Test
    void anExpiredAnswerIsAskedForAgain() throws IOException {
        MovableClock clock = new MovableClock();
        try (DnsServerLocator locator = locator().clock(clock).build()) {
            SipUri uri = SipUri.parse("sip:plain.example.test:5060");
            int before = dns.queryCount("plain.example.test", "A");
            locator.locate(uri, ALL);
            clock.advance(Duration.ofSeconds(299));
            locator.locate(uri, ALL);
            assertEquals(before + 1, dns.queryCount("plain.example.test", "A"));
            clock.advance(Duration.ofSeconds(1));   // the 300 s TTL is over
            locator.locate(uri, ALL);
            assertEquals(before + 2, dns.queryCount("plain.example.test", "A"));
        }
    }

    /** A clock the test moves. */
    private static final class MovableClock implements java.time.InstantSource {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void noSuchNameIsTyped() {
        try (DnsServerLocator locator = locator().build()) {
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:nobody@nope.example.test"), ALL));
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, e.reason());
            assertEquals("nope.example.test", e.name());
            assertTrue(e.getMessage().startsWith("DNS NO_SUCH_NAME for nope.example.test"), e.getMessage());
        }
    }

    @Test
    void noSrvFallsBackToAddressesAtTheDefaultPort() throws IOException {
        try (DnsServerLocator locator = locator().build()) {
            assertEquals(List.of(new Destination("udp",
                    new InetSocketAddress(InetAddress.ofLiteral("127.0.0.3"), 5060), "plain.example.test")),
                    locator.locate(SipUri.parse("sip:plain.example.test"), ALL));
        }
    }

    @Test
    void anIpLiteralNeedsNoDns() throws IOException {
        try (DnsServerLocator locator = DnsServerLocator.newBuilder()
                .servers(List.of(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 9))).build()) {
            Destination d = locator.locate(SipUri.parse("sips:192.0.2.1"), ALL).getFirst();
            assertEquals("tls", d.protocol());
            assertEquals(5061, d.address().getPort());
            assertNull(d.serverName());
            assertEquals(0, locator.stats().queriesSent());
        }
    }

    @Test
    void aServerThatIsNotThereFailsCleanlyWithinTheLookupTimeout() throws IOException {
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
            closedPort = probe.getLocalPort();
        }
        try (DnsServerLocator locator = DnsServerLocator.newBuilder()
                .servers(List.of(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), closedPort)))
                .searchDomains(List.of()).queryTimeout(Duration.ofMillis(200)).lookupTimeout(Duration.ofMillis(800))
                .build()) {
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:example.test"), ALL));
            long millis = (System.nanoTime() - start) / 1_000_000;
            // Linux answers with ICMP port unreachable: SERVER_FAILURE at once; where ICMP is
            // filtered the attempts time out instead.
            assertTrue(e.reason() == DnsLookupException.Reason.SERVER_FAILURE
                    || e.reason() == DnsLookupException.Reason.TIMEOUT, e.getMessage());
            assertTrue(millis < 3000, millis + " ms");
        }
    }

    @Test
    void aSilentServerTimesOutWithinTheLookupTimeout() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
             DnsServerLocator locator = DnsServerLocator.newBuilder()
                     .servers(List.of((InetSocketAddress) silent.getLocalSocketAddress())).searchDomains(List.of())
                     .queryTimeout(Duration.ofMillis(200)).lookupTimeout(Duration.ofMillis(600)).build()) {
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:example.test"), ALL));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(DnsLookupException.Reason.TIMEOUT, e.reason());
            assertTrue(millis >= 550 && millis < 3000, millis + " ms");
        }
    }
}
