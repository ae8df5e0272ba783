package sip.router.registrar;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import sip.router.Scheduler;
import sip.transport.spi.Flow;

/**
 * {@link LocationService#inMemory}: one immutable, preference-ordered list per AoR in a
 * concurrent map. Writes go through {@link ConcurrentHashMap#compute}, which locks one bin, so
 * AoRs update in parallel and each update is atomic.
 *
 * <p>The periodic sweep ends with {@link #close()}; it also holds the store only weakly, so a
 * store dropped without being closed can be collected, and its sweep then stops by itself.
 */
final class InMemoryLocationService implements LocationService {

    private final ConcurrentHashMap<AddressOfRecord, List<Binding>> byAor = new ConcurrentHashMap<>();
    /**
     * The AoRs with a stored binding reached only over a flow ({@link Binding#reachedOnlyOverFlow}),
     * by that flow: what {@link #removeBindingsOver} reads instead of every AoR. Changed only
     * inside the AoR's compute, with its list: an entry exists while a stored binding (expired
     * but not yet swept included) rides on the flow, so the index is never larger than the store.
     */
    private final ConcurrentHashMap<Flow, Set<AddressOfRecord>> byFlow = new ConcurrentHashMap<>();
    /** Flows closed lately: a binding over one stored after the close is dropped (R4's race). */
    private final RecentlyClosedFlows recentlyClosed = new RecentlyClosedFlows();
    // Adjusted inside compute, which runs its function once per call, so it never drifts.
    private final AtomicInteger stored = new AtomicInteger();
    private final InstantSource clock;
    private Scheduler.Timer sweeper;
    private boolean closed;

    InMemoryLocationService(Scheduler scheduler, Duration sweepInterval) {
        this.clock = Objects.requireNonNull(scheduler, "clock").instants();
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive: " + sweepInterval);
        }
        armSweep(scheduler, sweepInterval, new WeakReference<>(this));
    }

    // Static, and the store only weakly held: a pending timer must not keep a dropped store alive.
    private static void armSweep(Scheduler scheduler, Duration interval, WeakReference<InMemoryLocationService> ref) {
        InMemoryLocationService store = ref.get();
        if (store == null) {
            return;
        }
        synchronized (store) {
            if (!store.closed) {
                store.sweeper = scheduler.schedule(interval, () -> {
                    InMemoryLocationService s = ref.get();
                    if (s != null && !s.isClosed()) {
                        s.sweep();
                        armSweep(scheduler, interval, ref);
                    }
                });
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public List<Binding> lookup(AddressOfRecord aor) {
        List<Binding> all = byAor.get(aor);
        return all == null ? List.of() : live(all, clock.instant());
    }

    @Override
    public List<Binding> update(AddressOfRecord aor, UnaryOperator<List<Binding>> change) {
        Objects.requireNonNull(change, "change");
        Instant now = clock.instant();
        List<Binding> after = byAor.compute(aor, (key, before) -> {
            List<Binding> changed = change.apply(before == null ? List.of() : live(before, now));
            List<Binding> next = ordered(reachable(live(changed, now), now));
            stored.addAndGet(size(next) - size(before));
            reindex(key, before, next);
            return next;
        });
        if (after == null) {
            return List.of();
        }
        // A close handled while the compute ran found no index entry yet: the flow is marked
        // before the index is read (removeBindingsOver), so looking again here catches it.
        for (Binding b : after) {
            if (b.reachedOnlyOverFlow() && recentlyClosed.isRecentlyClosed(b.flow(), now)) {
                removeBindingsOver(b.flow());
                List<Binding> left = byAor.get(aor);
                return left == null ? List.of() : live(left, now);
            }
        }
        return after;
    }

    /** {@code bindings} without those reached only over a flow that closed lately. */
    private List<Binding> reachable(List<Binding> bindings, Instant now) {
        for (Binding b : bindings) {
            if (b.reachedOnlyOverFlow() && recentlyClosed.isRecentlyClosed(b.flow(), now)) {
                List<Binding> out = new ArrayList<>(bindings.size());
                for (Binding c : bindings) {
                    if (!c.reachedOnlyOverFlow() || !recentlyClosed.isRecentlyClosed(c.flow(), now)) {
                        out.add(c);
                    }
                }
                return out;
            }
        }
        return bindings;
    }

    /** The bindings of {@code all} alive at {@code now}; {@code all} itself when none expired. */
    private static List<Binding> live(List<Binding> all, Instant now) {
        for (Binding b : all) {
            if (b.isExpired(now)) {
                List<Binding> out = new ArrayList<>(all.size());
                for (Binding c : all) {
                    if (!c.isExpired(now)) {
                        out.add(c);
                    }
                }
                return List.copyOf(out);
            }
        }
        return all;
    }

    /** Null for an empty list, so that compute removes the AoR. */
    private static List<Binding> ordered(List<Binding> bindings) {
        if (bindings.isEmpty()) {
            return null;
        }
        List<Binding> sorted = new ArrayList<>(bindings);
        sorted.sort(Binding::preference);
        return List.copyOf(sorted);
    }

    @Override
    public int bindingCount() {
        // Sweeping first makes the count exact; it costs one pass, as counting would anyway.
        sweep();
        int n = 0;
        for (List<Binding> l : byAor.values()) {
            n += l.size();
        }
        return n;
    }

    @Override
    public int storedBindingCount() {
        return stored.get();
    }

    private static int size(List<Binding> bindings) {
        return bindings == null ? 0 : bindings.size();
    }

    @Override
    public int aorCount() {
        sweep();
        return byAor.size();
    }

    @Override
    public void sweep() {
        Instant now = clock.instant();
        for (AddressOfRecord aor : byAor.keySet()) {
            byAor.computeIfPresent(aor, (key, all) -> {
                List<Binding> alive = live(all, now);
                stored.addAndGet(alive.size() - all.size());
                reindex(key, all, alive);
                return alive.isEmpty() ? null : alive;
            });
        }
    }

    @Override
    public Map<AddressOfRecord, List<Binding>> removeBindingsOver(Flow flow) {
        Objects.requireNonNull(flow, "flow");
        recentlyClosed.closed(flow, clock.instant()); // before reading the index: see update
        Set<AddressOfRecord> aors = byFlow.get(flow);
        if (aors == null) {
            return Map.of();
        }
        Map<AddressOfRecord, List<Binding>> removed = new LinkedHashMap<>();
        for (AddressOfRecord aor : List.copyOf(aors)) {
            List<Binding> gone = new ArrayList<>();
            byAor.computeIfPresent(aor, (key, all) -> {
                Instant now = clock.instant();
                List<Binding> keep = new ArrayList<>(all.size());
                for (Binding b : all) {
                    if (flow.equals(b.flow()) && b.reachedOnlyOverFlow()) {
                        if (!b.isExpired(now)) {
                            gone.add(b); // an expired one goes too, unreported: it was gone already
                        }
                    } else {
                        keep.add(b);
                    }
                }
                stored.addAndGet(keep.size() - all.size());
                reindex(key, all, keep);
                return keep.isEmpty() ? null : List.copyOf(keep);
            });
            if (!gone.isEmpty()) {
                removed.put(aor, List.copyOf(gone));
            }
        }
        return Collections.unmodifiableMap(removed);
    }

    /** Flow entries of the index: {@code aor} leaves the flows it no longer rides on, joins the new ones. */
    private void reindex(AddressOfRecord aor, List<Binding> before, List<Binding> after) {
        Set<Flow> was = flowsOf(before);
        Set<Flow> now = flowsOf(after);
        for (Flow f : was) {
            if (!now.contains(f)) {
                byFlow.computeIfPresent(f, (k, set) -> {
                    set.remove(aor);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        for (Flow f : now) {
            if (!was.contains(f)) {
                byFlow.compute(f, (k, set) -> {
                    Set<AddressOfRecord> s = set != null ? set : ConcurrentHashMap.newKeySet();
                    s.add(aor);
                    return s;
                });
            }
        }
    }

    private static Set<Flow> flowsOf(List<Binding> bindings) {
        if (bindings == null) {
            return Set.of();
        }
        Set<Flow> flows = null;
        for (Binding b : bindings) {
            if (b.reachedOnlyOverFlow()) {
                if (flows == null) {
                    flows = new HashSet<>(2);
                }
                flows.add(b.flow());
            }
        }
        return flows == null ? Set.of() : flows;
    }

    /** Flows in the index (tests: it must empty with the bindings). */
    int indexedFlows() {
        return byFlow.size();
    }

    @Override
    public void close() {
        Scheduler.Timer t;
        synchronized (this) {
            closed = true;
            t = sweeper;
        }
        if (t != null) {
            t.cancel();
        }
    }
}
