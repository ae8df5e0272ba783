package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.dns.DnsStats;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/**
 * Positive caching: an answer is kept for its TTL on the locator's clock (a {@link ManualClock}
 * here, so nothing waits), then asked again; {@code maxTtl} cuts a long TTL; TTL 0 is never kept.
 * "Asked again" is read twice: from the locator's {@link DnsStats#queriesSent()} and from
 * dnsmasq's own query log. Each test uses its own names, so the log counts are its own.
 */
class CacheTtlTest {
    private static final Set<String> UDP = Set.of("udp");

    private static Dnsmasq dns;
    /** A second server that serves everything with TTL 0 (dnsmasq's default). */
    private static Dnsmasq zeroTtl;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        Dnsmasq.Builder records = Dnsmasq.builder().domain("example.test");
        for (String n : List.of("hit", "expiry", "cap", "clear", "zero")) {
            records.host(n + ".example.test", "127.0.0.91");
        }
        records.naptr("chain.example.test", 10, 10, "s", "SIP+D2U", "", "_sip._udp.chain.example.test")
                .srv("_sip._udp.chain.example.test", "sip.chain.example.test", 5120, 10, 10)
                .host("sip.chain.example.test", "127.0.0.92");
        // One RRset whose records have different TTLs (dnsmasq serves them so): kept for the shortest.
        records.host("mixed.example.test", Duration.ofSeconds(60), "127.0.0.94")
                .host("mixed.example.test", Duration.ofSeconds(10), "127.0.0.95")
                .host("casename.example.test", "127.0.0.96");
        dns = records.ttl(Duration.ofSeconds(30)).start();
        zeroTtl = Dnsmasq.builder().domain("example.test").host("zero.example.test", "127.0.0.93").start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
        if (zeroTtl != null) {
            zeroTtl.close();
        }
    }

    /** IPv4 only: dnsmasq's NODATA for AAAA has no SOA, so it would never be cached and blur the counts. */
    private static DnsServerLocator locator(Dnsmasq server, ManualClock clock, Duration maxTtl) {
        return Matrix.locatorOn(server.address()).addressFamily(AddressFamily.IPV4_ONLY).clock(clock).maxTtl(maxTtl).build();
    }

    private static List<String> locate(DnsServerLocator locator, String uri) throws Exception {
        return targets(locator.locate(SipUri.parse(uri), UDP));
    }

    @Test
    void aSecondLookupWithinTheTtlIsAnsweredFromTheCache() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(dns, clock, Duration.ofHours(1))) {
            assertEquals(List.of("udp:127.0.0.91:5060"), locate(locator, "sip:hit.example.test:5060"));
            clock.advance(Duration.ofSeconds(29));
            assertEquals(List.of("udp:127.0.0.91:5060"), locate(locator, "sip:hit.example.test:5060"));
            DnsStats stats = locator.stats();
            assertEquals(1, stats.queriesSent(), stats::toString);
            assertEquals(1, stats.cacheHits(), stats::toString);
            assertEquals(1, stats.cacheEntries(), stats::toString);
            assertEquals(1, dns.queryCount("hit.example.test", "A"), dns.queryLog()::toString);
        }
    }

    @Test
    void pastTheTtlTheNameIsAskedAgain() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(dns, clock, Duration.ofHours(1))) {
            locate(locator, "sip:expiry.example.test:5060");
            clock.advance(Duration.ofSeconds(31));
            assertEquals(List.of("udp:127.0.0.91:5060"), locate(locator, "sip:expiry.example.test:5060"));
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(2, dns.queryCount("expiry.example.test", "A"), dns.queryLog()::toString);
            // ...and the fresh answer is cached for a full TTL again.
            clock.advance(Duration.ofSeconds(29));
            locate(locator, "sip:expiry.example.test:5060");
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
        }
    }

    @Test
    void maxTtlCutsALongerTtl() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(dns, clock, Duration.ofSeconds(10))) {
            locate(locator, "sip:cap.example.test:5060");
            clock.advance(Duration.ofSeconds(9));
            locate(locator, "sip:cap.example.test:5060");
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
            clock.advance(Duration.ofSeconds(2));
            locate(locator, "sip:cap.example.test:5060");
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(2, dns.queryCount("cap.example.test", "A"), dns.queryLog()::toString);
        }
    }

    @Test
    void clearCacheForgetsEveryAnswer() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(dns, clock, Duration.ofHours(1))) {
            locate(locator, "sip:clear.example.test:5060");
            locator.clearCache();
            assertEquals(0, locator.stats().cacheEntries(), locator.stats()::toString);
            locate(locator, "sip:clear.example.test:5060");
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(2, dns.queryCount("clear.example.test", "A"), dns.queryLog()::toString);
        }
    }

    @Test
    void aZeroTtlAnswerIsNeverCached() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(zeroTtl, clock, Duration.ofHours(1))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of("udp:127.0.0.93:5060"), locate(locator, "sip:zero.example.test:5060"));
            }
            DnsStats stats = locator.stats();
            assertEquals(3, stats.queriesSent(), stats::toString);
            assertEquals(0, stats.cacheHits(), stats::toString);
            assertEquals(0, stats.cacheEntries(), stats::toString);
            assertEquals(3, zeroTtl.queryCount("zero.example.test", "A"), zeroTtl.queryLog()::toString);
        }
    }

    @Test
    void aWholeNaptrSrvAddressChainIsServedFromTheCacheThenRefreshedPastItsTtl() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(dns, clock, Duration.ofHours(1))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of("udp:127.0.0.92:5120"), locate(locator, "sip:alice@chain.example.test"));
            }
            // However the first calls got the target's address (its own A query, or the SRV
            // answer's additional section, which is not cached), by now all three are cached.
            long warm = locator.stats().queriesSent();
            assertEquals(List.of("udp:127.0.0.92:5120"), locate(locator, "sip:alice@chain.example.test"));
            assertEquals(warm, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(1, dns.queryCount("chain.example.test", "NAPTR"), dns.queryLog()::toString);
            assertEquals(1, dns.queryCount("_sip._udp.chain.example.test", "SRV"), dns.queryLog()::toString);
            assertTrue(dns.queryCount("sip.chain.example.test", "A") <= 1, dns.queryLog()::toString);

            clock.advance(Duration.ofSeconds(31));
            assertEquals(List.of("udp:127.0.0.92:5120"), locate(locator, "sip:alice@chain.example.test"));
            assertEquals(2, dns.queryCount("chain.example.test", "NAPTR"), dns.queryLog()::toString);
            assertEquals(2, dns.queryCount("_sip._udp.chain.example.test", "SRV"), dns.queryLog()::toString);
        }
    }

    @Test
    void anRrsetIsKeptForTheShortestTtlOfItsRecords() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(dns, clock, Duration.ofHours(1))) {
            assertEquals(Set.of("udp:127.0.0.94:5060", "udp:127.0.0.95:5060"),
                    Set.copyOf(locate(locator, "sip:mixed.example.test:5060")));
            clock.advance(Duration.ofSeconds(9));
            locate(locator, "sip:mixed.example.test:5060");
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
            clock.advance(Duration.ofSeconds(2));
            locate(locator, "sip:mixed.example.test:5060");
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
        }
    }

    @Test
    void namesDifferingOnlyInCaseShareOneCacheEntry() throws Exception {
        try (DnsServerLocator locator = locator(dns, new ManualClock(), Duration.ofHours(1))) {
            assertEquals(List.of("udp:127.0.0.96:5060"), locate(locator, "sip:CaseName.Example.TEST:5060"));
            assertEquals(List.of("udp:127.0.0.96:5060"), locate(locator, "sip:casename.example.test:5060"));
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(1, locator.stats().cacheHits(), locator.stats()::toString);
        }
    }
}
