package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.dns.DnsStats;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * Single-flight: concurrent lookups of one (name, type) share one query. To be sure the lookups
 * overlap, the query goes through a {@link StubDnsServer} relay that holds it until every caller
 * has joined; a second test fires many callers straight at dnsmasq and reads its query log.
 */
class SingleFlightTest {
    private static final int CALLERS = 16;
    private static final Duration BOUND = Duration.ofSeconds(5);

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder().domain("example.test")
                .host("held.example.test", "127.0.0.101")
                .host("burst.example.test", "127.0.0.102")
                .host("uncached.example.test", "127.0.0.103")
                .ttl(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void callersOfAColdNameWaitingTogetherShareOneQuery() throws Exception {
        try (StubDnsServer relay = StubDnsServer.holdingRelay(dns.address());
             DnsServerLocator locator = Matrix.locatorOn(relay.address()).addressFamily(AddressFamily.IPV4_ONLY)
                     .queryTimeout(BOUND).lookupTimeout(BOUND).build();
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Destination>>> results = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                results.add(callers.submit(() -> locator.locate(SipUri.parse("sip:held.example.test:5060"), Set.of("udp"))));
            }
            // Every caller but the first joins the query the first one sent, which the relay holds.
            Matrix.await(locator, s -> s.sharedLookups() == CALLERS - 1);
            relay.release();
            for (Future<List<Destination>> r : results) {
                assertEquals(List.of("udp:127.0.0.101:5060"), targets(r.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)));
            }
            assertEquals(1, relay.count("A held.example.test"), relay.questions()::toString);
            assertEquals(1, dns.queryCount("held.example.test", "A"), dns.queryLog()::toString);
            DnsStats stats = locator.stats();
            assertEquals(1, stats.queriesSent(), stats::toString);
            assertEquals(CALLERS - 1, stats.sharedLookups(), stats::toString);
            Matrix.await(locator, s -> s.inFlight() == 0);
        }
    }

    @Test
    void aBurstOfCallersOfAColdNameSendsOneQuery() throws Exception {
        int burst = 64;
        try (DnsServerLocator locator = Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY).build();
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Destination>>> results = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                results.add(callers.submit(() -> {
                    go.await();
                    return locator.locate(SipUri.parse("sip:burst.example.test:5060"), Set.of("udp"));
                }));
            }
            go.countDown();
            for (Future<List<Destination>> r : results) {
                assertEquals(List.of("udp:127.0.0.102:5060"), targets(r.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)));
            }
            DnsStats stats = locator.stats();
            assertEquals(1, stats.queriesSent(), stats::toString);
            // Each later caller either joined the query in flight or found its answer cached.
            assertEquals(burst - 1, stats.sharedLookups() + stats.cacheHits(), stats::toString);
            assertEquals(1, dns.queryCount("burst.example.test", "A"), dns.queryLog()::toString);
        }
    }

    @Test
    void queriesAreSharedEvenWithTheCacheOff() throws Exception {
        try (StubDnsServer relay = StubDnsServer.holdingRelay(dns.address());
             DnsServerLocator locator = Matrix.locatorOn(relay.address()).addressFamily(AddressFamily.IPV4_ONLY)
                     .maxCacheEntries(0).queryTimeout(BOUND).lookupTimeout(BOUND).build();
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Destination>>> results = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                results.add(callers.submit(() -> locator.locate(SipUri.parse("sip:uncached.example.test:5060"), Set.of("udp"))));
            }
            Matrix.await(locator, s -> s.sharedLookups() == CALLERS - 1);
            relay.release();
            for (Future<List<Destination>> r : results) {
                assertEquals(List.of("udp:127.0.0.103:5060"), targets(r.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)));
            }
            assertEquals(1, relay.count("A uncached.example.test"), relay.questions()::toString);
            assertEquals(0, locator.stats().cacheEntries(), locator.stats()::toString);
        }
    }
}
