package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/** The cache holds at most {@code maxCacheEntries} record sets: expired ones go first, then the oldest; 0 turns it off. */
class CacheBoundTest {
    private static final int NAMES = 40;

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        Dnsmasq.Builder records = Dnsmasq.builder().domain("example.test");
        for (int i = 0; i < NAMES; i++) {
            records.host("n" + i + ".example.test", "127.0.1." + (i + 1));
        }
        for (int i = 1; i <= 4; i++) {
            records.host("long" + i + ".example.test", "127.0.2." + i);
        }
        records.host("short.example.test", Duration.ofSeconds(5), "127.0.2.10");
        dns = records.ttl(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    /** IPv4 only and names with a port: one A record set, one cache entry, per name. */
    private static DnsServerLocator locator(int maxEntries, ManualClock clock) {
        return Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY).maxCacheEntries(maxEntries)
                .clock(clock).build();
    }

    private static void locate(DnsServerLocator locator, String host) throws Exception {
        locator.locate(SipUri.parse("sip:" + host + ".example.test:5060"), Set.of("udp"));
    }

    @Test
    void manyNamesNeverGrowTheCachePastItsBoundAndTheOldestGoFirst() throws Exception {
        try (DnsServerLocator locator = locator(8, new ManualClock())) {
            for (int i = 0; i < NAMES; i++) {
                locate(locator, "n" + i);
                assertTrue(locator.stats().cacheEntries() <= 8, locator.stats()::toString);
            }
            assertEquals(8, locator.stats().cacheEntries(), locator.stats()::toString);
            assertEquals(NAMES, locator.stats().queriesSent(), locator.stats()::toString);
            locate(locator, "n" + (NAMES - 1));
            assertEquals(NAMES, locator.stats().queriesSent(), () -> "the newest entry stays: " + locator.stats());
            locate(locator, "n0");
            assertEquals(NAMES + 1, locator.stats().queriesSent(), () -> "the oldest entry went: " + locator.stats());
        }
    }

    @Test
    void anExpiredEntryIsEvictedBeforeTheOldestLiveOne() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(4, clock)) {
            locate(locator, "long1");   // oldest, live for 60 s
            locate(locator, "short");   // live for 5 s
            locate(locator, "long2");
            locate(locator, "long3");
            clock.advance(Duration.ofSeconds(10));
            locate(locator, "long4");   // full: "short" has expired and must make the room
            assertEquals(5, locator.stats().queriesSent(), locator.stats()::toString);
            assertTrue(locator.stats().cacheEntries() <= 4, locator.stats()::toString);
            locate(locator, "long1");
            assertEquals(5, locator.stats().queriesSent(), () -> "long1 was evicted while an expired entry was kept: " + locator.stats());
        }
    }

    @Test
    void zeroEntriesTurnsCachingOff() throws Exception {
        try (DnsServerLocator locator = locator(0, new ManualClock())) {
            for (int i = 0; i < 3; i++) {
                locate(locator, "n1");
            }
            assertEquals(3, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(0, locator.stats().cacheEntries(), locator.stats()::toString);
            assertEquals(0, locator.stats().cacheHits(), locator.stats()::toString);
        }
    }
}
