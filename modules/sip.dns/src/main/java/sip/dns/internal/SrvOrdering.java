package sip.dns.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.xbill.DNS.SRVRecord;

/**
 * The RFC 2782 order of an SRV record set: priority ascending; within one priority, a weighted
 * random order in which each place goes to a record with probability weight / (sum of the
 * weights not placed yet).
 *
 * <p>Records of weight 0 are put at the front of the list (in a random order among themselves),
 * and while any is left the draw is over {@code [0, sum]}: the extra value 0 picks the first
 * weight-0 record, giving it the "very small chance" RFC 2782 means, and each other record
 * {@code weight / (sum + 1)}. Without weight-0 records the draw is over {@code [1, sum]}, so the
 * split is exactly {@code weight / sum} (RFC 2782's inclusive range would give the first record
 * one extra value: 2/3 against 1/3 for two equal weights).
 *
 * <p>Each priority group is first sorted canonically (weight, target, port), so that the order
 * depends on the draws only, never on the order the server sent the records in (servers rotate
 * RRsets): a seeded draw gives the same order every time.
 */
final class SrvOrdering {
    private static final Comparator<SRVRecord> CANONICAL = Comparator.comparingInt(SRVRecord::getPriority)
            .thenComparingInt(SRVRecord::getWeight)
            .thenComparing(SRVRecord::getTarget)
            .thenComparingInt(SRVRecord::getPort);

    private SrvOrdering() {
    }

    /**
     * The records in RFC 2782 order.
     *
     * @param records the SRV record set, in any order
     * @param draw given {@code bound}, a uniform draw in {@code [0, bound)}
     */
    static List<SRVRecord> order(List<SRVRecord> records, LongUnaryOperator draw) {
        List<SRVRecord> sorted = new ArrayList<>(records);
        sorted.sort(CANONICAL);
        List<SRVRecord> ordered = new ArrayList<>(records.size());
        int start = 0;
        while (start < sorted.size()) {
            int priority = sorted.get(start).getPriority();
            int end = start;
            while (end < sorted.size() && sorted.get(end).getPriority() == priority) {
                end++;
            }
            List<SRVRecord> group = new ArrayList<>(sorted.subList(start, end));
            // weight-0 records come first in CANONICAL order; shuffle them (Fisher–Yates) so a set
            // of only weight-0 records still spreads the load
            int zeros = 0;
            while (zeros < group.size() && group.get(zeros).getWeight() == 0) {
                zeros++;
            }
            for (int i = zeros - 1; i > 0; i--) {
                int j = (int) draw.applyAsLong(i + 1);
                group.set(j, group.set(i, group.get(j)));
            }
            weighted(group, zeros, draw, ordered);
            start = end;
        }
        return ordered;
    }

    private static void weighted(List<SRVRecord> group, int zeros, LongUnaryOperator draw, List<SRVRecord> out) {
        while (!group.isEmpty()) {
            if (group.size() == 1) {
                out.add(group.removeFirst());
                return;
            }
            long sum = 0;
            for (SRVRecord r : group) {
                sum += r.getWeight();
            }
            // with weight-0 records left (at the front): uniform in [0, sum], 0 picks the first of
            // them; without: uniform in [1, sum]
            long chosen = zeros > 0 ? draw.applyAsLong(sum + 1) : 1 + draw.applyAsLong(sum);
            long running = 0;
            int pick = group.size() - 1;
            for (int i = 0; i < group.size(); i++) {
                running += group.get(i).getWeight();
                if (running >= chosen) {
                    pick = i;
                    break;
                }
            }
            if (pick < zeros) {
                zeros--;
            }
            out.add(group.remove(pick));
        }
    }
}
