package sip.dns.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.xbill.DNS.SRVRecord;

/**
 * The RFC 2782 order of an SRV record set: priority ascending; within one priority, a weighted
 * random order in which each place is drawn with probability weight / (sum of the weights not
 * placed yet), records of weight 0 put at the front of the list so that they come first with a
 * small chance only (a draw of 0).
 */
final class SrvOrdering {
    private SrvOrdering() {
    }

    /**
     * The records in RFC 2782 order.
     *
     * @param records the SRV record set, in any order
     * @param draw given {@code bound}, a uniform draw in {@code [0, bound)}
     */
    static List<SRVRecord> order(List<SRVRecord> records, LongUnaryOperator draw) {
        List<SRVRecord> byPriority = new ArrayList<>(records);
        byPriority.sort(Comparator.comparingInt(SRVRecord::getPriority));
        List<SRVRecord> ordered = new ArrayList<>(records.size());
        int start = 0;
        while (start < byPriority.size()) {
            int priority = byPriority.get(start).getPriority();
            int end = start;
            List<SRVRecord> group = new ArrayList<>();
            // weight-0 records first (RFC 2782: "placed at the beginning of the list"), in a random
            // order among themselves so a set of only weight-0 records still spreads the load
            for (; end < byPriority.size() && byPriority.get(end).getPriority() == priority; end++) {
                if (byPriority.get(end).getWeight() == 0) {
                    group.add(byPriority.get(end));
                }
            }
            for (int i = group.size() - 1; i > 0; i--) {
                int j = (int) draw.applyAsLong(i + 1);
                group.set(j, group.set(i, group.get(j)));
            }
            for (int i = start; i < end; i++) {
                if (byPriority.get(i).getWeight() != 0) {
                    group.add(byPriority.get(i));
                }
            }
            weighted(group, draw, ordered);
            start = end;
        }
        return ordered;
    }

    private static void weighted(List<SRVRecord> group, LongUnaryOperator draw, List<SRVRecord> out) {
        while (!group.isEmpty()) {
            if (group.size() == 1) {
                out.add(group.removeFirst());
                return;
            }
            long sum = 0;
            for (SRVRecord r : group) {
                sum += r.getWeight();
            }
            long chosen = draw.applyAsLong(sum + 1);   // uniform in [0, sum]
            long running = 0;
            int pick = group.size() - 1;
            for (int i = 0; i < group.size(); i++) {
                running += group.get(i).getWeight();
                if (running >= chosen) {
                    pick = i;
                    break;
                }
            }
            out.add(group.remove(pick));
        }
    }
}
