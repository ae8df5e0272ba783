package sip.dns.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import sip.dns.DnsServerLocator;
import sip.dns.DnsStats;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/** What every class of the matrix shares: the dnsmasq precondition, a locator on one server, and a compact view of results. */
final class Matrix {
    private Matrix() {
    }

    /** Skips without dnsmasq, unless PARLEY_REQUIRE_PEERS=1 makes a missing peer a failure (as in CI). */
    static void requireDnsmasq() {
        if (Dnsmasq.isAvailable()) {
            return;
        }
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail("dnsmasq is not installed and PARLEY_REQUIRE_PEERS=1");
        }
        assumeTrue(false, "dnsmasq is not installed");
    }

    /**
     * A locator that asks {@code server} only: no system resolver, no search list, and timeouts
     * short enough that a broken case fails fast instead of waiting the 6 s default.
     */
    static DnsServerLocator.Builder locatorOn(InetSocketAddress server) {
        return DnsServerLocator.newBuilder()
                .servers(List.of(server))
                .searchDomains(List.of())
                .queryTimeout(Duration.ofMillis(1_000))
                .lookupTimeout(Duration.ofMillis(3_000));
    }

    /** {@code protocol:ip:port} per destination, in order: what an assertion compares. */
    static List<String> targets(List<Destination> destinations) {
        return destinations.stream()
                .map(d -> d.protocol() + ":" + d.address().getAddress().getHostAddress() + ":" + d.address().getPort())
                .toList();
    }

    /** Polls the locator's counters until {@code condition} holds, failing after 5 s: no sleeping as synchronisation. */
    static void await(DnsServerLocator locator, Predicate<DnsStats> condition) {
        await(locator, condition, Duration.ofSeconds(5));
    }

    /** Polls the locator's counters until {@code condition} holds, failing after {@code bound}. */
    static void await(DnsServerLocator locator, Predicate<DnsStats> condition, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.test(locator.stats())) {
            if (System.nanoTime() > deadline) {
                fail("not reached within " + bound + ": " + locator.stats());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
