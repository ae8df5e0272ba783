package sip.transport.loopback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link DelayScheduler} on virtual time, as the transaction tests will plug in: it records the
 * delays it is asked for and runs tasks only when the test advances the clock.
 */
final class VirtualClock implements DelayScheduler {

    private record Timer(long due, long order, Runnable task) {
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private final List<Duration> requested = new ArrayList<>();
    private long now;
    private long order;

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        requested.add(delay);
        timers.add(new Timer(now + delay.toNanos(), order++, task));
    }

    /** Moves time forward, running every task that falls due, in due order, on this thread. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Timer next;
            synchronized (this) {
                if (timers.isEmpty() || timers.peek().due > target) {
                    now = target;
                    return;
                }
                next = timers.poll();
                now = next.due;
            }
            next.task.run();
        }
    }

    synchronized List<Duration> requested() {
        return List.copyOf(requested);
    }

    synchronized int waiting() {
        return timers.size();
    }
}
