package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.SRVRecord;

class SrvOrderingTest {

    private static SRVRecord srv(int priority, int weight, String target) {
        return new SRVRecord(FakeZone.name("_sip._udp.example.test"), DClass.IN, 60, priority, weight, 5060,
                FakeZone.name(target));
    }

    private static String target(SRVRecord r) {
        return r.getTarget().toString(true);
    }

    @Test
    void lowerPriorityAlwaysComesFirstWhateverTheWeights() {
        SplittableRandom random = new SplittableRandom(7);
        List<SRVRecord> set = List.of(srv(20, 1000, "c"), srv(10, 1, "a"), srv(30, 0, "d"), srv(10, 0, "b"));
        for (int i = 0; i < 1000; i++) {
            List<SRVRecord> ordered = SrvOrdering.order(set, random::nextLong);
            assertEquals(List.of(10, 10, 20, 30), ordered.stream().map(SRVRecord::getPriority).toList());
            assertEquals("c", target(ordered.get(2)));
            assertEquals("d", target(ordered.get(3)));
        }
    }

    @Test
    void firstPlaceFollowsTheWeightSplit() {
        SplittableRandom random = new SplittableRandom(42);
        List<SRVRecord> set = List.of(srv(10, 60, "a"), srv(10, 30, "b"), srv(10, 10, "c"));
        Map<String, Integer> first = new HashMap<>();
        Map<String, Integer> last = new HashMap<>();
        int runs = 100_000;
        for (int i = 0; i < runs; i++) {
            List<SRVRecord> ordered = SrvOrdering.order(set, random::nextLong);
            assertEquals(3, ordered.size());   // every target kept as a fall-back
            first.merge(target(ordered.getFirst()), 1, Integer::sum);
            last.merge(target(ordered.getLast()), 1, Integer::sum);
        }
        // Draws are uniform over [0, 100]: a wins 61/101 (the draw 0 falls to the first record).
        assertEquals(61.0 / 101, first.get("a") / (double) runs, 0.01);
        assertEquals(30.0 / 101, first.get("b") / (double) runs, 0.01);
        assertEquals(10.0 / 101, first.get("c") / (double) runs, 0.01);
        // c is placed last unless drawn earlier: the heaviest record is rarely last.
        assertTrue(last.getOrDefault("a", 0) < last.get("c"), last.toString());
    }

    @Test
    void weightZeroIsFirstOnlyWithTheSmallChanceOfDrawingZero() {
        SplittableRandom random = new SplittableRandom(3);
        List<SRVRecord> set = List.of(srv(10, 100, "heavy"), srv(10, 0, "zero"));
        int zeroFirst = 0;
        int runs = 100_000;
        for (int i = 0; i < runs; i++) {
            if (target(SrvOrdering.order(set, random::nextLong).getFirst()).equals("zero")) {
                zeroFirst++;
            }
        }
        assertEquals(1.0 / 101, zeroFirst / (double) runs, 0.002);
        assertTrue(zeroFirst > 0);
    }

    @Test
    void onlyWeightZeroRecordsAreShuffledEvenly() {
        SplittableRandom random = new SplittableRandom(5);
        List<SRVRecord> set = List.of(srv(0, 0, "a"), srv(0, 0, "b"), srv(0, 0, "c"));
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            first.merge(target(SrvOrdering.order(set, random::nextLong).getFirst()), 1, Integer::sum);
        }
        for (String t : List.of("a", "b", "c")) {
            assertEquals(1.0 / 3, first.get(t) / 30_000.0, 0.02, first.toString());
        }
    }

    @Test
    void theDrawPicksTheFirstRecordWhoseRunningSumReachesIt() {
        List<SRVRecord> set = List.of(srv(1, 10, "a"), srv(1, 20, "b"), srv(1, 30, "c"));
        // running sums 10, 30, 60 over the draw range [0, 60]
        LongUnaryOperator draw25ThenMax = new LongUnaryOperator() {
            int call;

            @Override
            public long applyAsLong(long bound) {
                return call++ == 0 ? 25 : bound - 1;
            }
        };
        assertEquals(List.of("b", "c", "a"), SrvOrdering.order(set, draw25ThenMax).stream().map(SrvOrderingTest::target).toList());
    }
}
