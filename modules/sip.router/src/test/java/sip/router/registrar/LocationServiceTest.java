package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.Scheduler;
import sip.router.VirtualScheduler;

/** The in-memory location service on a virtual clock: expiry, sweeping, counts, atomicity. */
class LocationServiceTest {

    private static final AddressOfRecord BOB = AddressOfRecord.parse("sip:bob@example.com");
    private static final AddressOfRecord CAROL = AddressOfRecord.parse("sip:carol@example.com");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final LocationService store = LocationService.inMemory(clock, Duration.ofSeconds(30));

    @AfterEach
    void close() {
        store.close();
    }

    private Binding binding(String user, Duration lifetime, double q) {
        Instant now = clock.instants().instant();
        return new Binding(NameAddress.of(SipUri.of(user, "192.0.2.1", 5060)), now.plus(lifetime), q,
                "call", 1, List.of(), Registers.FLOW, now);
    }

    private void add(AddressOfRecord aor, Binding b) {
        store.update(aor, current -> {
            List<Binding> next = new ArrayList<>(current);
            next.add(b);
            return next;
        });
    }

    @Test
    void anExpiredBindingIsInvisibleAtOnceAndCountsReturnToZero() {
        add(BOB, binding("short", Duration.ofSeconds(10), 1));
        add(BOB, binding("long", Duration.ofSeconds(100), 1));
        add(CAROL, binding("c", Duration.ofSeconds(10), 1));
        assertEquals(3, store.bindingCount());
        assertEquals(2, store.aorCount());

        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of("long"), store.lookup(BOB).stream().map(b -> ((SipUri) b.uri()).user()).toList());
        assertEquals(List.of(), store.lookup(CAROL));
        assertEquals(1, store.bindingCount());
        assertEquals(1, store.aorCount());

        clock.advance(Duration.ofSeconds(90));
        assertEquals(0, store.bindingCount());
        assertEquals(0, store.aorCount());
    }

    @Test
    void oneBindingIsAliveUntilItsLastNanosecond() {
        add(BOB, binding("b", Duration.ofSeconds(10), 1));
        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        assertEquals(1, store.lookup(BOB).size());
        assertEquals(1, store.lookup(BOB).getFirst().remainingSeconds(clock.instants().instant()));
        clock.advance(Duration.ofNanos(1));
        assertEquals(List.of(), store.lookup(BOB));
    }

    @Test
    void thePeriodicSweepIsOneTimerNotOnePerBinding() {
        int before = clock.pending();
        for (int i = 0; i < 100; i++) {
            add(BOB, binding("u" + i, Duration.ofSeconds(5 + i), 1));
        }
        assertEquals(before, clock.pending(), "no timer per binding");
        assertEquals(List.of(Duration.ofSeconds(30)), clock.pendingDelays());
        // The sweep runs every 30 s on the clock and re-arms itself.
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(Duration.ofSeconds(30)), clock.pendingDelays());
        assertEquals(100 - 56, store.lookup(BOB).size());
        store.close();
        assertEquals(0, clock.pending(), "close stops the sweep");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(0, clock.pending());
    }

    @Test
    void aDroppedStoresSweepEndsByItself() {
        VirtualScheduler other = new VirtualScheduler();
        dropAStore(other);
        assertEquals(1, other.pending());
        // The pending sweep holds the store weakly: once collected, the sweep does not re-arm.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (other.pending() > 0) {
            assertTrue(System.nanoTime() < deadline, "the dropped store's sweep still re-arms");
            System.gc();
            other.advance(Duration.ofSeconds(30));
        }
    }

    private static void dropAStore(Scheduler scheduler) {
        LocationService dropped = LocationService.inMemory(scheduler);
        dropped.update(BOB, current -> List.of(new Binding(NameAddress.of(SipUri.of("b", "192.0.2.1", 5060)),
                Instant.EPOCH.plusSeconds(60), 1, "call", 1, List.of(), Registers.FLOW, Instant.EPOCH)));
    }

    @Test
    void onTheSystemSchedulerBindingsKeepWallClockTime() {
        Instant before = Instant.now();
        try (LocationService real = LocationService.inMemory(Scheduler.system())) {
            Instant now = real.clock().instant();
            assertFalse(now.isBefore(before), now + " before " + before);
            assertFalse(now.isAfter(Instant.now()));
        }
    }

    @Test
    void lookupsAreOrderedByQThenMostRecent() {
        add(BOB, binding("a", Duration.ofSeconds(100), 0.5));
        clock.advance(Duration.ofSeconds(1));
        add(BOB, binding("b", Duration.ofSeconds(100), 0.5));
        add(BOB, binding("c", Duration.ofSeconds(100), 0.9));
        clock.advance(Duration.ofSeconds(1));
        add(BOB, binding("d", Duration.ofSeconds(100), 0.0));
        assertEquals(List.of("c", "b", "a", "d"),
                store.lookup(BOB).stream().map(b -> ((SipUri) b.uri()).user()).toList());
    }

    @Test
    void anUpdateThatThrowsChangesNothing() {
        add(BOB, binding("a", Duration.ofSeconds(100), 1));
        assertThrows(IllegalStateException.class, () -> store.update(BOB, current -> {
            throw new IllegalStateException("abort");
        }));
        assertEquals(1, store.lookup(BOB).size());
    }

    @Test
    void anUpdateSeesOnlyLiveBindingsAndAnEmptyResultRemovesTheAor() {
        add(BOB, binding("gone", Duration.ofSeconds(1), 1));
        add(BOB, binding("kept", Duration.ofSeconds(100), 1));
        clock.advance(Duration.ofSeconds(2));
        List<Binding> seen = new ArrayList<>();
        store.update(BOB, current -> {
            seen.addAll(current);
            return List.of();
        });
        assertEquals(List.of("kept"), seen.stream().map(b -> ((SipUri) b.uri()).user()).toList());
        assertEquals(0, store.aorCount());
    }

    @Test
    void concurrentUpdatesOfOneAorAreAtomic() throws Exception {
        int threads = 8;
        int each = 200;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        add(BOB, binding("t" + thread + "-" + i, Duration.ofSeconds(100), 1));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(threads * each, store.lookup(BOB).size());
        assertEquals(threads * each, store.bindingCount());
    }
}
