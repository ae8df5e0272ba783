package sip.router.internal.transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sip.router.Destination;
import sip.router.Scheduler;

/**
 * Destinations that failed recently (like Kamailio's {@code dst_blocklist}): a transport error,
 * Timer B/F or a {@code 503} without {@code Retry-After} blocks one for the configured time, a
 * {@code 503} with {@code Retry-After} for its seconds (at most {@link #MAX_RETRY_AFTER}).
 * Blocked destinations are not dropped, only tried last ({@link #ordered}): when every one is
 * blocked, they are still tried, in their order.
 *
 * <p>Keyed by protocol and address (not the TLS server name: it is the same server). At most
 * {@link #MAX_ENTRIES}; a full list purges expired entries first, then forgets the entry that
 * would expire soonest. Time is the {@link Scheduler}'s, so virtual-time tests expire entries.
 * Thread-safe.
 */
final class BlockedDestinations {

    static final int MAX_ENTRIES = 10_000;
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final Scheduler clock;
    private final Duration blockTime;
    /** Destination (without server name) → the scheduler's nanoTime when the block ends. */
    private final Map<Destination, Long> until = new ConcurrentHashMap<>();

    /** @param blockTime how long a failed destination is blocked; zero disables the list */
    BlockedDestinations(Scheduler clock, Duration blockTime) {
        this.clock = clock;
        this.blockTime = blockTime;
    }

    private boolean enabled() {
        return !blockTime.isZero();
    }

    /** Blocks {@code d} for the configured time: it failed. */
    void failed(Destination d) {
        block(d, blockTime);
    }

    /** Blocks {@code d} for a {@code Retry-After} of {@code seconds} (capped). */
    void retryAfter(Destination d, long seconds) {
        block(d, Duration.ofSeconds(Math.min(Math.max(0, seconds), MAX_RETRY_AFTER.toSeconds())));
    }

    private void block(Destination d, Duration time) {
        if (!enabled() || time.isZero()) {
            return;
        }
        long now = clock.nanoTime();
        long end = now + time.toNanos();
        if (until.size() >= MAX_ENTRIES) {
            purge(now);
            if (until.size() >= MAX_ENTRIES) {
                forgetSoonest();
            }
        }
        until.merge(key(d), end, Math::max);
    }

    boolean isBlocked(Destination d) {
        Long end = until.get(key(d));
        return end != null && end - clock.nanoTime() > 0;
    }

    /** {@code found} with the blocked destinations moved to the end, each part in its order. */
    List<Destination> ordered(List<Destination> found) {
        if (until.isEmpty()) {
            return found;
        }
        List<Destination> open = new ArrayList<>(found.size());
        List<Destination> blocked = new ArrayList<>(0);
        for (Destination d : found) {
            (isBlocked(d) ? blocked : open).add(d);
        }
        if (blocked.isEmpty()) {
            return found;
        }
        open.addAll(blocked);
        return List.copyOf(open);
    }

    /** Destinations blocked now (expired entries are purged first). */
    int size() {
        purge(clock.nanoTime());
        return until.size();
    }

    private void purge(long now) {
        until.values().removeIf(end -> end - now <= 0);
    }

    private void forgetSoonest() {
        Map.Entry<Destination, Long> soonest = null;
        for (Map.Entry<Destination, Long> e : until.entrySet()) {
            if (soonest == null || e.getValue() - soonest.getValue() < 0) {
                soonest = e;
            }
        }
        if (soonest != null) {
            until.remove(soonest.getKey(), soonest.getValue());
        }
    }

    private static Destination key(Destination d) {
        return d.serverName() == null ? d : Destination.of(d.protocol(), d.address());
    }
}
