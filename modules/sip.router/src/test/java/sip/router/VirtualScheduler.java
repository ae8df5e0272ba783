package sip.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import sip.transport.loopback.DelayScheduler;

/**
 * Virtual time for tests: the {@link Scheduler} a user agent's timers run on and, through
 * {@link #delays()}, the {@link DelayScheduler} of a {@code LoopbackNetwork}, so timers and
 * network delays share one clock. Nothing runs until the test calls {@link #advance} or
 * {@link #runDue()}; tasks then run on the test's thread in due order (ties in scheduling order),
 * with {@link #nanoTime()} equal to each task's due time while it runs.
 */
public final class VirtualScheduler implements Scheduler {

    private record Entry(long due, long order, Runnable task, boolean[] cancelled) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private long now;
    private long order;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Time passed since creation. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Entry e = new Entry(now + Math.max(0, delay.toNanos()), order++, task, new boolean[1]);
        queue.add(e);
        return () -> {
            synchronized (VirtualScheduler.this) {
                if (e.cancelled[0] || !queue.remove(e)) {
                    return false;
                }
                e.cancelled[0] = true;
                return true;
            }
        };
    }

    /** The same clock as a loopback network's delay scheduler. */
    public DelayScheduler delays() {
        return (delay, task) -> schedule(delay, task);
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public synchronized int pending() {
        return queue.size();
    }

    /** When the next task is due, from now; null when none is scheduled. */
    public synchronized Duration nextDue() {
        Entry e = queue.peek();
        return e == null ? null : Duration.ofNanos(e.due - now);
    }

    /** Runs every task due now (including those they schedule for now). */
    public int runDue() {
        return advance(Duration.ZERO);
    }

    /**
     * Moves the clock forward by {@code by}, running every task that falls due on the way, in
     * order, each at its own due time (tasks they schedule within the window run too).
     *
     * @return how many tasks ran
     */
    public int advance(Duration by) {
        long end;
        synchronized (this) {
            end = now + by.toNanos();
        }
        int ran = 0;
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > end) {
                    now = end;
                    return ran;
                }
                queue.poll();
                now = Math.max(now, next.due);
            }
            next.task.run();
            ran++;
        }
    }

    /** The due times of pending tasks, from now, in order (for assertions on schedules). */
    public synchronized List<Duration> pendingDelays() {
        List<Entry> sorted = new ArrayList<>(queue);
        sorted.sort(queue.comparator());
        List<Duration> out = new ArrayList<>();
        for (Entry e : sorted) {
            out.add(Duration.ofNanos(e.due - now));
        }
        return out;
    }
}
