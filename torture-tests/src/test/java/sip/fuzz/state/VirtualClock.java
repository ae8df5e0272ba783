package sip.fuzz.state;

import java.time.Duration;
import java.util.PriorityQueue;
import sip.router.Scheduler;
import sip.transport.loopback.DelayScheduler;

/**
 * Virtual time for the state-machine fuzz targets: the {@link Scheduler} a user agent's timers
 * (and a location service's sweep) run on and, through {@link #delays()}, a loopback network's
 * {@link DelayScheduler}. Nothing runs until the test calls {@link #advance}; tasks then run on
 * the test's thread in due order (ties in scheduling order), so a run is a function of its
 * input. (sip.router's own test VirtualScheduler is not visible from this module.)
 */
final class VirtualClock implements Scheduler {

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

    synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Entry e = new Entry(now + Math.max(0, delay.toNanos()), order++, task, new boolean[1]);
        queue.add(e);
        return () -> {
            synchronized (VirtualClock.this) {
                if (e.cancelled[0] || !queue.remove(e)) {
                    return false;
                }
                e.cancelled[0] = true;
                return true;
            }
        };
    }

    DelayScheduler delays() {
        return (delay, task) -> schedule(delay, task);
    }

    /** When the next task is due, from now; null when none is scheduled. */
    synchronized Duration nextDue() {
        Entry e = queue.peek();
        return e == null ? null : Duration.ofNanos(Math.max(0, e.due - now));
    }

    /** Runs the next due task if it is due within {@code by}; else moves the clock by {@code by}. */
    boolean step(Duration by) {
        Entry next;
        synchronized (this) {
            long end = now + by.toNanos();
            next = queue.peek();
            if (next == null || next.due > end) {
                now = end;
                return false;
            }
            queue.poll();
            now = Math.max(now, next.due);
        }
        next.task.run();
        return true;
    }
}
