package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.router.Destination;
import sip.router.VirtualScheduler;

/** The block-list on its own: ordering, expiry on the scheduler's clock, the caps. */
class BlockedDestinationsTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final BlockedDestinations blocked = new BlockedDestinations(clock, Duration.ofSeconds(60));

    private static Destination udp(int last) {
        return Destination.of("udp", new InetSocketAddress("192.0.2." + last, 5060));
    }

    @Test
    void blockedDestinationsGoLastInTheirOrderAndNoneIsDropped() {
        List<Destination> found = List.of(udp(1), udp(2), udp(3), udp(4));
        assertSame(found, blocked.ordered(found), "nothing blocked: the list as found");
        blocked.failed(udp(3));
        blocked.failed(udp(1));
        assertEquals(List.of(udp(2), udp(4), udp(1), udp(3)), blocked.ordered(found));
        assertEquals(2, blocked.size());
    }

    @Test
    void aBlockEndsAfterItsTimeOnTheSchedulersClock() {
        blocked.failed(udp(1));
        clock.advance(Duration.ofSeconds(59));
        assertTrue(blocked.isBlocked(udp(1)));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(blocked.isBlocked(udp(1)));
        assertEquals(0, blocked.size(), "expired entries are purged");
    }

    @Test
    void retryAfterBlocksForItsSecondsCappedAtAnHour() {
        blocked.retryAfter(udp(1), 7200);
        clock.advance(Duration.ofMinutes(59));
        assertTrue(blocked.isBlocked(udp(1)));
        clock.advance(Duration.ofMinutes(1));
        assertFalse(blocked.isBlocked(udp(1)), "capped at 1 h");
        blocked.retryAfter(udp(2), 0);
        assertFalse(blocked.isBlocked(udp(2)), "Retry-After 0: nothing to wait for");
    }

    @Test
    void aLongerBlockIsNotShortenedByAShorterOne() {
        blocked.retryAfter(udp(1), 600);
        blocked.failed(udp(1));
        clock.advance(Duration.ofSeconds(61));
        assertTrue(blocked.isBlocked(udp(1)));
    }

    @Test
    void theServerNameDoesNotMakeAnotherEntry() {
        InetSocketAddress a = new InetSocketAddress("192.0.2.9", 5061);
        blocked.failed(new Destination("tls", a, "example.test"));
        assertTrue(blocked.isBlocked(Destination.of("tls", a)));
        assertTrue(blocked.isBlocked(new Destination("tls", a, "other.test")));
        assertFalse(blocked.isBlocked(Destination.of("tcp", a)), "another transport is another server");
    }

    @Test
    void zeroDisablesBlocking() {
        BlockedDestinations off = new BlockedDestinations(clock, Duration.ZERO);
        off.failed(udp(1));
        off.retryAfter(udp(2), 30);
        assertEquals(0, off.size());
        assertEquals(List.of(udp(1), udp(2)), off.ordered(List.of(udp(1), udp(2))));
    }

    @Test
    void theListIsBoundedForgettingExpiredThenSoonestEntries() {
        for (int i = 0; i < BlockedDestinations.MAX_ENTRIES; i++) {
            blocked.failed(Destination.of("udp", new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255)
                    + "." + (i & 255), 5060)));
        }
        assertEquals(BlockedDestinations.MAX_ENTRIES, blocked.size());
        clock.advance(Duration.ofSeconds(1));
        blocked.failed(udp(1)); // full, nothing expired: one of the soonest to expire is forgotten
        assertEquals(BlockedDestinations.MAX_ENTRIES, blocked.size());
        assertTrue(blocked.isBlocked(udp(1)));
        clock.advance(Duration.ofSeconds(59)); // the first ones expire, udp(1) has a second left
        blocked.failed(udp(2)); // full of expired ones: purged
        assertEquals(2, blocked.size());
    }
}
