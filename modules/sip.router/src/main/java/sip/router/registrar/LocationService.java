package sip.router.registrar;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import sip.router.Scheduler;
import sip.transport.spi.Flow;

/**
 * Where a {@link Registrar} keeps bindings and a proxy finds them: contacts per
 * {@link AddressOfRecord}. {@link #load} finds the store to use: another store (Redis, SQL)
 * implements this interface and plugs in as a {@link Provider} service, declared in its module
 * with {@code provides sip.router.registrar.LocationService.Provider with ...}; without one, the
 * store is in memory ({@link #inMemory(Scheduler)}).
 *
 * <p>The store owns the clock: bindings carry epoch {@link java.time.Instant}s on
 * {@link #clock()}, and a registrar writing to the store reads the time there, so the two never
 * disagree (and processes sharing a store agree as far as their wall clocks do).
 *
 * <p>Expiry needs no timer per binding: an expired binding is invisible to every read at once and
 * removed from storage later, lazily when its AoR is next written or by a periodic sweep. All
 * methods are thread-safe; {@link #update} is atomic per AoR.
 */
public interface LocationService extends AutoCloseable {

    /**
     * The live bindings of {@code aor}, by preference: {@code q} descending, then the most
     * recently updated first. Empty when none.
     */
    List<Binding> lookup(AddressOfRecord aor);

    /**
     * Replaces the bindings of {@code aor} atomically with what {@code change} returns. The
     * function sees the live bindings (expired ones already gone) and returns the whole new list
     * (empty removes the AoR); it may run more than once under contention, so it must have no side
     * effects. If it throws, nothing changes and the exception propagates: this is how a registrar
     * aborts a REGISTER all-or-nothing (RFC 3261 §10.3 step 7).
     *
     * @return the live bindings after the change, by preference as {@link #lookup}
     */
    List<Binding> update(AddressOfRecord aor, UnaryOperator<List<Binding>> change);

    /** Live bindings over all AoRs; expired bindings are not counted. */
    int bindingCount();

    /**
     * A cheap upper bound on {@link #bindingCount}: it may still count expired bindings not yet
     * swept. A registrar reads it inside {@link #update}'s function to enforce its global cap, so
     * it must be O(1) and must neither update nor sweep.
     */
    int storedBindingCount();

    /** AoRs with at least one live binding. */
    int aorCount();

    /** The clock bindings expire on; a registrar writing to this store reads the time here. */
    InstantSource clock();

    /**
     * Removes the bindings that {@code flow} carries and that are reached only over it
     * ({@link Binding#reachedOnlyOverFlow()}: WebSocket flows, {@code *.invalid} contacts), as
     * {@link #update} would, AoR by AoR: its connection closed, so nothing can reach them any
     * more. {@link Registrar#flowClosed} calls it. Bindings of other AoRs and other flows stay.
     *
     * <p>The default removes nothing (such bindings then live until they expire): a store needs
     * an index by flow to answer without reading every AoR. The in-memory store keeps one, with
     * an entry per flow that carries at least one such binding, gone with its last binding.
     * It also remembers the flow for a while (32 s, bounded): a binding over it stored after
     * this call (a REGISTER racing its connection's close) is dropped by {@link #update}.
     *
     * @return the bindings removed, by AoR; empty when none
     */
    default Map<AddressOfRecord, List<Binding>> removeBindingsOver(Flow flow) {
        Objects.requireNonNull(flow, "flow");
        return Map.of();
    }

    /** Removes every expired binding now (the periodic sweep calls this too). */
    void sweep();

    /**
     * Stops the periodic sweep and releases what the store holds open (timers, connections);
     * for the in-memory store, the bindings stay readable. Idempotent.
     */
    @Override
    void close();

    /**
     * The store of the first {@link Provider} service found (through {@link ServiceLoader}, with
     * the thread's context class loader), else {@link #inMemory(Scheduler) one in memory}.
     *
     * @param scheduler the clock and timers the store runs on
     */
    static LocationService load(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return ServiceLoader.load(Provider.class).findFirst()
                .map(p -> Objects.requireNonNull(p.create(scheduler), () -> p + " made no store"))
                .orElseGet(() -> inMemory(scheduler));
    }

    /**
     * A store in memory, sweeping every 30 s on {@code clock}.
     *
     * @param clock the scheduler whose {@link Scheduler#instants()} bindings expire on and which
     *     runs the sweep
     */
    static LocationService inMemory(Scheduler clock) {
        return inMemory(clock, Duration.ofSeconds(30));
    }

    /**
     * A store in memory sweeping expired bindings every {@code sweepInterval} on {@code clock}
     * (reads never see them in the meantime; the interval bounds only the memory they hold).
     */
    static LocationService inMemory(Scheduler clock, Duration sweepInterval) {
        return new InMemoryLocationService(clock, sweepInterval);
    }

    /**
     * Makes a location service: the service type of {@link #load}. A provider class needs a
     * public no-argument constructor (or a public static {@code provider()} method), as
     * {@link ServiceLoader} says.
     */
    @FunctionalInterface
    interface Provider {
        /**
         * A new store. Its {@link LocationService#clock()} should be {@code scheduler}'s
         * {@link Scheduler#instants()} (tests run it on virtual time), unless the store keeps
         * time elsewhere (a database's clock); its housekeeping may run on {@code scheduler}.
         */
        LocationService create(Scheduler scheduler);
    }
}
