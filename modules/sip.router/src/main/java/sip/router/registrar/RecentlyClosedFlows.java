package sip.router.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import sip.transport.spi.Flow;

/**
 * The flows the in-memory store was told closed ({@link LocationService#removeBindingsOver}) in
 * the last {@link #WINDOW}, at most {@link #CAPACITY} (the oldest forgotten first). A REGISTER
 * received just before its connection closed may be stored just after the close was handled (its
 * handler and the flow-closed listener run on different threads): its binding over that flow
 * could never be reached, yet would live until it expires. The store drops it instead.
 *
 * <p>The window is one non-INVITE transaction's whole life (64·T1, RFC 3261 §17.2.2): a REGISTER
 * received before the close is answered within it. The cost: a new connection with the very
 * same addresses (a client reconnecting from the same source port) within the window cannot
 * register over it; the client's retry after the window can.
 */
final class RecentlyClosedFlows {

    static final Duration WINDOW = Duration.ofSeconds(32);
    static final int CAPACITY = 4096;

    private final Map<Flow, Instant> closedAt = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Flow, Instant> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void closed(Flow flow, Instant now) {
        closedAt.remove(flow); // re-inserted last: the eldest entry is the oldest close
        closedAt.put(flow, now);
    }

    /** Whether {@code flow} closed less than {@link #WINDOW} before {@code now}. */
    synchronized boolean isRecentlyClosed(Flow flow, Instant now) {
        Instant at = closedAt.get(flow);
        if (at == null) {
            return false;
        }
        if (now.isBefore(at.plus(WINDOW))) {
            return true;
        }
        closedAt.remove(flow);
        return false;
    }

    synchronized int size() {
        return closedAt.size();
    }
}
