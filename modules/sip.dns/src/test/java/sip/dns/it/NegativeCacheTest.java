package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import sip.dns.DnsStats;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/**
 * Negative caching (RFC 2308): NXDOMAIN and NODATA are kept for min(SOA TTL, SOA MINIMUM), cut to
 * {@code maxNegativeTtl}, and not at all without an SOA. dnsmasq's {@code --local} domain answers
 * without an SOA; its authoritative mode answers with one whose TTL and MINIMUM are both 40 s.
 */
class NegativeCacheTest {
    private static final Duration SOA_TTL = Duration.ofSeconds(40);
    private static final Set<String> UDP = Set.of("udp");

    /** Plain {@code --local} domain: negative answers without an SOA. */
    private static Dnsmasq local;
    /** Authoritative for example.test: negative answers with the zone's SOA. */
    private static Dnsmasq authoritative;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        local = Dnsmasq.builder().domain("example.test").host("v4.example.test", "127.0.0.95")
                .ttl(Duration.ofSeconds(60)).start();
        authoritative = Dnsmasq.builder().domain("example.test")
                .host("v4.example.test", "127.0.0.96")
                .host("aonly.example.test", "127.0.0.97")
                .ttl(SOA_TTL).authoritative().start();
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
        if (authoritative != null) {
            authoritative.close();
        }
    }

    private static DnsServerLocator locator(Dnsmasq server, ManualClock clock, AddressFamily family, Duration maxNegativeTtl) {
        return Matrix.locatorOn(server.address()).addressFamily(family).clock(clock).maxNegativeTtl(maxNegativeTtl).build();
    }

    private static DnsLookupException.Reason failure(DnsServerLocator locator, String uri) {
        return assertThrows(DnsLookupException.class, () -> locator.locate(SipUri.parse(uri), UDP)).reason();
    }

    @Test
    void nxdomainWithoutSoaIsNotCached() throws Exception {
        try (DnsServerLocator locator = locator(local, new ManualClock(), AddressFamily.IPV4_ONLY, Duration.ofMinutes(5))) {
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, failure(locator, "sip:nx1.example.test:5060"));
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, failure(locator, "sip:nx1.example.test:5060"));
            DnsStats stats = locator.stats();
            assertEquals(2, stats.queriesSent(), stats::toString);
            assertEquals(0, stats.negativeHits(), stats::toString);
            assertEquals(2, local.queryCount("nx1.example.test", "A"), local.queryLog()::toString);
        }
    }

    @Test
    void nodataWithoutSoaIsNotCached() throws Exception {
        try (DnsServerLocator locator = locator(local, new ManualClock(), AddressFamily.IPV6_ONLY, Duration.ofMinutes(5))) {
            assertEquals(DnsLookupException.Reason.NO_RECORDS, failure(locator, "sip:v4.example.test:5060"));
            assertEquals(DnsLookupException.Reason.NO_RECORDS, failure(locator, "sip:v4.example.test:5060"));
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(0, locator.stats().negativeHits(), locator.stats()::toString);
        }
    }

    @Test
    void nxdomainWithSoaIsCachedForTheSoaMinimumThenAskedAgain() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(authoritative, clock, AddressFamily.IPV4_ONLY, Duration.ofMinutes(5))) {
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, failure(locator, "sip:nx2.example.test:5060"));
            clock.advance(SOA_TTL.minusSeconds(1));
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, failure(locator, "sip:nx2.example.test:5060"));
            DnsStats stats = locator.stats();
            assertEquals(1, stats.queriesSent(), stats::toString);
            assertEquals(1, stats.negativeHits(), stats::toString);
            assertEquals(1, stats.cacheHits(), stats::toString);
            assertEquals(1, authoritative.queryCount("nx2.example.test", "A"), authoritative.queryLog()::toString);

            clock.advance(Duration.ofSeconds(2));
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, failure(locator, "sip:nx2.example.test:5060"));
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(2, authoritative.queryCount("nx2.example.test", "A"), authoritative.queryLog()::toString);
        }
    }

    @Test
    void nodataWithSoaIsCachedToo() throws Exception {
        try (DnsServerLocator locator = locator(authoritative, new ManualClock(), AddressFamily.IPV6_ONLY, Duration.ofMinutes(5))) {
            assertEquals(DnsLookupException.Reason.NO_RECORDS, failure(locator, "sip:v4.example.test:5060"));
            assertEquals(DnsLookupException.Reason.NO_RECORDS, failure(locator, "sip:v4.example.test:5060"));
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(1, locator.stats().negativeHits(), locator.stats()::toString);
        }
    }

    @Test
    void maxNegativeTtlCutsTheSoaMinimum() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(authoritative, clock, AddressFamily.IPV4_ONLY, Duration.ofSeconds(10))) {
            failure(locator, "sip:nx3.example.test:5060");
            clock.advance(Duration.ofSeconds(9));
            failure(locator, "sip:nx3.example.test:5060");
            assertEquals(1, locator.stats().queriesSent(), locator.stats()::toString);
            clock.advance(Duration.ofSeconds(2));
            failure(locator, "sip:nx3.example.test:5060");
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
        }
    }

    @Test
    void zeroMaxNegativeTtlTurnsNegativeCachingOff() throws Exception {
        try (DnsServerLocator locator = locator(authoritative, new ManualClock(), AddressFamily.IPV4_ONLY, Duration.ZERO)) {
            failure(locator, "sip:nx4.example.test:5060");
            failure(locator, "sip:nx4.example.test:5060");
            assertEquals(2, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(0, locator.stats().negativeHits(), locator.stats()::toString);
        }
    }

    @Test
    void aWarmLookupThroughNegativeNaptrAndSrvSendsNoQuery() throws Exception {
        ManualClock clock = new ManualClock();
        try (DnsServerLocator locator = locator(authoritative, clock, AddressFamily.IPV4_ONLY, Duration.ofMinutes(5))) {
            // NAPTR: NODATA; _sip._udp SRV: NXDOMAIN; A: the address at UDP's default port.
            assertEquals(List.of("udp:127.0.0.97:5060"), targets(locator.locate(SipUri.parse("sip:alice@aonly.example.test"), UDP)));
            long cold = locator.stats().queriesSent();
            assertEquals(3, cold, locator.stats()::toString);
            assertEquals(List.of("udp:127.0.0.97:5060"), targets(locator.locate(SipUri.parse("sip:alice@aonly.example.test"), UDP)));
            assertEquals(cold, locator.stats().queriesSent(), locator.stats()::toString);
            assertEquals(2, locator.stats().negativeHits(), locator.stats()::toString);
        }
    }
}
