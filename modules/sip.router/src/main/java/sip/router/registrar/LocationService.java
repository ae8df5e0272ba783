package sip.router.registrar;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import sip.router.Scheduler;

/**
 * Where a {@link Registrar} keeps bindings and a proxy finds them: contacts per
 * {@link AddressOfRecord}. The in-memory default is {@link #inMemory(Scheduler)}; another store
 * (Redis, SQL) implements this interface and is declared with {@code provides
 * sip.router.registrar.LocationService with ...}.
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

    /** Removes every expired binding now (the periodic sweep calls this too). */
    void sweep();

    /** Stops the periodic sweep; the bindings stay readable. Idempotent. */
    @Override
    void close();

    /**
     * A store in memory, sweeping every 30 s on {@code clock}.
     *
     * @param clock the clock bindings expire on: the same as the registrar's
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
}
