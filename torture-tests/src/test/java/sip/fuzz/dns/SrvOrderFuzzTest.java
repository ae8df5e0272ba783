package sip.fuzz.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;

/**
 * RFC 2782 order through real records: a fuzzer-chosen SRV record set (priorities and weights
 * at and between the edges, weight 0 included; targets with one, two or no addresses, shared
 * addresses, exact duplicate records, target {@code "."}; address records in the additional
 * section or not) served by a well-behaved {@link HostileResponder}, reached through
 * {@code transport=udp}, {@code sips;transport=tcp}, the SRV-per-transport fall-back without
 * NAPTR, or {@code locateSentBy} without a port. Whatever the weighted draws: every
 * destination is an address of a target of the set at that record's port, each (address, port)
 * exactly once, all of them (up to 64; past 64 at least all of the lower priorities), and a
 * lower priority's destinations all come before a higher one's. Without any address the call
 * fails with a {@link DnsLookupException}.
 */
class SrvOrderFuzzTest {
    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 150);
    /** The records of one answer the locator uses (sip.dns's documented limit). */
    private static final int RECORDS_USED = 32;

    @RegisterExtension
    static final ClassResponder responder = new ClassResponder();

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void srvOrder(FuzzedDataProvider data) {
        SeededRuns.fuzz(responder, data, SrvOrderFuzzTest::run);
    }

    @Test
    void srvOrderSeeded() {
        SeededRuns.seeded(responder, FIRST_SEED, SEEDS, SrvOrderFuzzTest::run,
                Set.of("found", "NO_RECORDS", "NO_SUCH_NAME"));
    }

    /** One SRV record as served. */
    private record Srv(int priority, int weight, int port, String target) {
    }

    /** How the SRV name is reached: the call, its SRV name and the protocol of its destinations. */
    private record Way(String srvName, String protocol, String description) {
    }

    private static final List<String> TARGETS = List.of("t1.example.test", "t2.example.test", "t3.example.test",
            "t4.example.test", "t5.example.test", "t6.example.test");

    /** @return {@link LocatorContract#label} of the outcome */
    static String run(Draws d) {
        int way = d.between(0, 3);
        Way w = switch (way) {
            case 0 -> new Way("_sip._udp.example.test", "udp", "sip:example.test;transport=udp");
            case 1 -> new Way("_sips._tcp.example.test", "tls", "sips:example.test;transport=tcp");
            case 2 -> new Way("_sip._tcp.example.test", "tcp", "sip:example.test (no NAPTR)");
            default -> new Way("_sip._udp.example.test", "udp", "locateSentBy(udp, example.test, -1)");
        };
        AddressFamily family = d.pick(List.of(AddressFamily.values()));
        FuzzedZone zone = FuzzedZone.wellBehaved(d.bool());
        Map<String, List<InetAddress>> addresses = new HashMap<>();
        for (String target : TARGETS) {
            List<InetAddress> mine = new ArrayList<>();
            int v4 = d.pickOf(0, 1, 1, 2);
            int v6 = d.pickOf(0, 0, 1, 2);
            for (int i = 0; i < v4; i++) {
                // a pool of five: targets share addresses, a target may repeat one
                mine.add(address(new byte[] {127, 0, 1, (byte) d.between(1, 5)}));
            }
            for (int i = 0; i < v6; i++) {
                byte[] a = new byte[16];
                a[0] = (byte) 0xfd;
                a[15] = (byte) d.between(1, 3);
                mine.add(address(a));
            }
            for (InetAddress a : mine) {
                zone.address(target, a.getAddress(), 60);
            }
            addresses.put(target, mine);
        }
        List<Srv> set = new ArrayList<>();
        int n = d.between(1, 40);
        for (int i = 0; i < n; i++) {
            if (i > 0 && d.percent(15)) {
                Srv same = set.get(d.between(0, i - 1));   // the same target and port again
                set.add(new Srv(d.bool() ? same.priority() : priority(d), weight(d), same.port(), same.target()));
            } else {
                set.add(new Srv(priority(d), weight(d), 10_000 + i, d.percent(8) ? "" : d.pick(TARGETS)));
            }
        }
        for (Srv s : set) {
            zone.srv(w.srvName(), s.priority(), s.weight(), s.port(), s.target(), 60);
        }
        responder.serve(zone);
        SplittableRandom draws = new SplittableRandom(d.between(0, Integer.MAX_VALUE));
        String what = w.description() + " " + family + " over " + set + " with " + addresses;
        LocatorContract.Outcome outcome;
        try (DnsServerLocator locator = LocatorContract.locator(responder.address(), family, draws)) {
            Callable<List<Destination>> call = switch (way) {
                case 0, 1 -> () -> locator.locate(SipUri.parse(w.description()), Set.of(w.protocol()));
                case 2 -> () -> locator.locate(SipUri.parse("sip:example.test"), Set.of("tcp"));
                default -> () -> locator.locateSentBy("udp", "example.test", -1);
            };
            outcome = LocatorContract.call(what, call);
            check(what, outcome, set, addresses, family, w.protocol());
            LocatorContract.awaitNoFlights(what, locator);
        }
        assertNull(responder.failure(), "the responder itself failed");
        return LocatorContract.label(outcome);
    }

    private static void check(String what, LocatorContract.Outcome outcome, List<Srv> set,
                              Map<String, List<InetAddress>> addresses, AddressFamily family, String protocol) {
        // every (address, port) the set names, with the lowest priority naming it
        Map<InetSocketAddress, Integer> priorityOf = new HashMap<>();
        for (Srv s : used(set)) {
            if (s.target().isEmpty()) {
                continue;   // "." : not offered there
            }
            for (InetAddress a : addresses.get(s.target())) {
                boolean wanted = a.getAddress().length == 4 ? family.wantsIpv4() : family.wantsIpv6();
                if (wanted) {
                    priorityOf.merge(new InetSocketAddress(a, s.port()), s.priority(), Math::min);
                }
            }
        }
        if (priorityOf.isEmpty()) {
            if (!(outcome instanceof LocatorContract.Outcome.Failed(IOException e) && e instanceof DnsLookupException)) {
                fail(what + ": no address in the set, yet " + outcome);
            }
            return;
        }
        if (!(outcome instanceof LocatorContract.Outcome.Found(List<Destination> found))) {
            throw new AssertionError(what + ": expected destinations, got " + outcome);
        }
        LocatorContract.checkDestinations(what, found, Set.of(protocol), protocol.equals("tls"), -1, family, null);
        assertEquals(Math.min(64, priorityOf.size()), found.size(), what + ": how many, in " + found);
        Set<InetSocketAddress> seen = new HashSet<>();
        int last = -1;
        for (Destination dest : found) {
            assertEquals(protocol, dest.protocol(), what);
            assertEquals("example.test", dest.serverName(), what + ": the SIP domain, not the SRV target (RFC 5922)");
            Integer priority = priorityOf.get(dest.address());
            assertTrue(priority != null, what + ": " + dest + " is no target of the set, in " + found);
            assertTrue(seen.add(dest.address()), what + ": " + dest + " twice in " + found);
            assertTrue(priority >= last, what + ": priority " + priority + " after " + last + " in " + found);
            last = priority;
        }
        for (Map.Entry<InetSocketAddress, Integer> e : priorityOf.entrySet()) {
            if (e.getValue() < last) {   // past 64 the highest priority returned may be cut; lower ones never
                assertTrue(seen.contains(e.getKey()), what + ": fall-back " + e.getKey() + " (priority "
                        + e.getValue() + ") missing from " + found);
            }
        }
    }

    /**
     * The records the locator uses: a set longer than {@value #RECORDS_USED} keeps its most
     * preferred ones (sip.dns's documented rule: lowest priority, then heaviest weight, then the
     * canonical order, in which port comes next), whatever order the server sent them in; target
     * "." records count among them.
     */
    static List<Srv> used(List<Srv> set) {
        if (set.size() <= RECORDS_USED) {
            return set;
        }
        List<Srv> sorted = new ArrayList<>(set);
        sorted.sort(java.util.Comparator.comparingInt(Srv::priority)
                .thenComparing(Srv::weight, java.util.Comparator.reverseOrder())
                .thenComparingInt(Srv::port));   // a port tie is the same record again (same target)
        return sorted.subList(0, RECORDS_USED);
    }

    private static int priority(Draws d) {
        return d.pickOf(0, 0, 1, 2, 10, 65535, d.u16());
    }

    private static int weight(Draws d) {
        return d.pickOf(0, 0, 1, 10, 100, 65535, d.u16());
    }

    private static InetAddress address(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
