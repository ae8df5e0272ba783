package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/**
 * RFC 2782 target selection: priority ascending, weighted random order within a priority (checked
 * statistically over many draws against the binomial spread), every target kept as a fall-back.
 */
class SrvSelectionTest {
    /** Draws per statistical check; each record's count must lie within {@link #SIGMAS} binomial sd of n·p. */
    private static final int DRAWS = 3_000;
    /** 5 sd: a correct implementation fails one check in ~1.7 million runs; a wrong split of a few percent fails always. */
    private static final double SIGMAS = 5;

    private static final String PRIO = "sip:alice@prio.example.test;transport=udp";
    private static final String WEIGHTS = "sip:alice@weights.example.test;transport=udp";
    private static final String ZERO = "sip:alice@zero.example.test;transport=udp";
    private static final String W10 = "udp:127.0.0.51:5001";
    private static final String W30 = "udp:127.0.0.52:5002";
    private static final String W60 = "udp:127.0.0.53:5003";
    private static final String BACKUP = "udp:127.0.0.54:5004";

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder()
                .domain("example.test")
                // Priorities given out of order: 30, 10, 20.
                .srv("_sip._udp.prio.example.test", "c.prio.example.test", 5093, 30, 10)
                .srv("_sip._udp.prio.example.test", "a.prio.example.test", 5091, 10, 10)
                .srv("_sip._udp.prio.example.test", "b.prio.example.test", 5092, 20, 10)
                .host("a.prio.example.test", "127.0.0.41")
                .host("b.prio.example.test", "127.0.0.42")
                .host("c.prio.example.test", "127.0.0.43")
                // Weights 10/30/60 at priority 10, and a priority-20 backup that is always last.
                .srv("_sip._udp.weights.example.test", "w10.weights.example.test", 5001, 10, 10)
                .srv("_sip._udp.weights.example.test", "w30.weights.example.test", 5002, 10, 30)
                .srv("_sip._udp.weights.example.test", "w60.weights.example.test", 5003, 10, 60)
                .srv("_sip._udp.weights.example.test", "backup.weights.example.test", 5004, 20, 0)
                .host("w10.weights.example.test", "127.0.0.51")
                .host("w30.weights.example.test", "127.0.0.52")
                .host("w60.weights.example.test", "127.0.0.53")
                .host("backup.weights.example.test", "127.0.0.54")
                // Weight 0 beside weight 100: RFC 2782 gives it a small chance (1/101) to come first.
                .srv("_sip._udp.zero.example.test", "z0.zero.example.test", 5010, 10, 0)
                .srv("_sip._udp.zero.example.test", "z100.zero.example.test", 5011, 10, 100)
                .host("z0.zero.example.test", "127.0.0.61")
                .host("z100.zero.example.test", "127.0.0.62")
                .ttl(Duration.ofSeconds(600))
                .start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void lowerPriorityComesFirstAndEveryTargetIsKeptAsFallback() throws Exception {
        try (DnsServerLocator locator = Matrix.locatorOn(dns.address()).build()) {
            for (int i = 0; i < 50; i++) {
                assertEquals(List.of("udp:127.0.0.41:5091", "udp:127.0.0.42:5092", "udp:127.0.0.43:5093"),
                        targets(locator.locate(SipUri.parse(PRIO), Set.of("udp"))));
            }
        }
    }

    @Test
    void priorityOrderHoldsOnTheSrvFallbackPathToo() throws Exception {
        try (DnsServerLocator locator = Matrix.locatorOn(dns.address()).build()) {
            assertEquals(List.of("udp:127.0.0.41:5091", "udp:127.0.0.42:5092", "udp:127.0.0.43:5093"),
                    targets(locator.locate(SipUri.parse("sip:alice@prio.example.test"), Set.of("udp", "tcp"))));
        }
    }

    @Test
    void weightsSplitTheFirstAndSecondPlaceAsRfc2782DrawsWithASeededRandom() throws Exception {
        List<List<String>> orders = draws(new Random(20_261_127L), WEIGHTS);
        assertWeightSplit(orders);
    }

    @Test
    void weightsSplitTheFirstAndSecondPlaceAsRfc2782DrawsWithTheDefaultRandom() throws Exception {
        List<List<String>> orders = draws(null, WEIGHTS);
        assertWeightSplit(orders);
    }

    @Test
    void concurrentCallersShareTheDefaultRandomSafely() throws Exception {
        int callers = 8;
        int each = DRAWS / callers;
        try (DnsServerLocator locator = Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<List<String>>>> parts = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                parts.add(pool.submit(() -> {
                    List<List<String>> orders = new ArrayList<>(each);
                    for (int i = 0; i < each; i++) {
                        orders.add(targets(locator.locate(SipUri.parse(WEIGHTS), Set.of("udp"))));
                    }
                    return orders;
                }));
            }
            List<List<String>> orders = new ArrayList<>();
            for (Future<List<List<String>>> p : parts) {
                orders.addAll(p.get(10, TimeUnit.SECONDS));
            }
            assertWeightSplit(orders);
        }
    }

    @Test
    void theSameSeedGivesTheSameOrders() throws Exception {
        // dnsmasq rotates the records of an RRset from one answer to the next, so two locators
        // get them in different orders: a seeded locator is reproducible only if it puts the
        // records of a priority into a canonical order before drawing.
        List<List<String>> first = draws(new Random(7), WEIGHTS);
        List<List<String>> second = draws(new Random(7), WEIGHTS);
        for (int i = 0; i < DRAWS; i++) {
            int at = i;
            assertEquals(first.get(i), second.get(i), () -> "draw " + at + " of two locators seeded alike");
        }
    }

    @Test
    void weightZeroIsFirstWithTheSmallChanceRfc2782Gives() throws Exception {
        List<List<String>> orders = draws(new Random(99), ZERO);
        long zeroFirst = orders.stream().filter(o -> o.getFirst().equals("udp:127.0.0.61:5010")).count();
        // RFC 2782: running sums 0 (weight 0 first) and 100; uniform draw in [0, 100] → 1/101.
        assertWithinBinomial(zeroFirst, 1.0 / 101, "weight-0 target first");
        orders.forEach(o -> assertEquals(2, o.size(), o::toString));
    }

    /** {@link #DRAWS} locate() calls, one locator (so the record sets come from its cache). */
    private static List<List<String>> draws(RandomGenerator random, String uri) throws Exception {
        // IPv4 only: dnsmasq's NODATA for AAAA carries no SOA, so it is (rightly) never cached
        // and would be asked again on every call.
        DnsServerLocator.Builder builder = Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY);
        if (random != null) {
            builder.random(random);
        }
        List<List<String>> orders = new ArrayList<>(DRAWS);
        try (DnsServerLocator locator = builder.build()) {
            for (int i = 0; i < DRAWS; i++) {
                orders.add(targets(locator.locate(SipUri.parse(uri), Set.of("udp"))));
            }
            // The weights are drawn per call from the cached record set, not per query: one SRV
            // and one A query per target in all.
            assertTrue(locator.stats().queriesSent() <= 5, locator.stats()::toString);
        }
        return orders;
    }

    private static void assertWeightSplit(List<List<String>> orders) {
        assertEquals(DRAWS, orders.size());
        Map<String, Long> first = new HashMap<>();
        Map<String, Long> second = new HashMap<>();
        for (List<String> order : orders) {
            assertEquals(4, order.size(), order::toString);
            assertEquals(BACKUP, order.getLast(), "priority 20 after every priority-10 target");
            assertEquals(Set.of(W10, W30, W60), Set.copyOf(order.subList(0, 3)), order::toString);
            first.merge(order.get(0), 1L, Long::sum);
            second.merge(order.get(1), 1L, Long::sum);
        }
        assertWithinBinomial(first.getOrDefault(W10, 0L), 0.1, "weight 10 first");
        assertWithinBinomial(first.getOrDefault(W30, 0L), 0.3, "weight 30 first");
        assertWithinBinomial(first.getOrDefault(W60, 0L), 0.6, "weight 60 first");
        // Second place: the draw continues over the remaining weights (RFC 2782), e.g. weight 10
        // is second with 0.3·10/70 + 0.6·10/40.
        assertWithinBinomial(second.getOrDefault(W10, 0L), 0.3 * 10 / 70 + 0.6 * 10 / 40, "weight 10 second");
        assertWithinBinomial(second.getOrDefault(W30, 0L), 0.1 * 30 / 90 + 0.6 * 30 / 40, "weight 30 second");
        assertWithinBinomial(second.getOrDefault(W60, 0L), 0.1 * 60 / 90 + 0.3 * 60 / 70, "weight 60 second");
    }

    private static void assertWithinBinomial(long count, double p, String what) {
        double mean = DRAWS * p;
        double sd = Math.sqrt(DRAWS * p * (1 - p));
        double tolerance = SIGMAS * sd;
        assertTrue(Math.abs(count - mean) <= tolerance,
                () -> what + ": " + count + " of " + DRAWS + ", expected " + Math.round(mean) + " ± "
                        + Math.round(tolerance) + " (" + SIGMAS + " sd)");
    }
}
