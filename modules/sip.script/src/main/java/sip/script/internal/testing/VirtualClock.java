package sip.script.internal.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import sip.router.Scheduler;

/**
 * Time that moves only when a test says so: the clock of the offline location service (binding
 * expiry, its sweep timer), of {@code sip.store} TTLs and of Digest nonces. Tasks run on the
 * thread calling {@link #advance}, in due order. Thread-safe: the script's worker reads the time
 * while the test thread may advance it.
 */
public final class VirtualClock implements Scheduler, InstantSource {

    /** A fixed start so that log lines and Date-like values are reproducible from run to run. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nanos;
    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return START.plusNanos(nanoTime());
    }

    @Override
    public InstantSource instants() {
        return this;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        long due = nanos + Math.max(0, delay.toNanos());
        Task t = new Task(due, sequence++, task);
        tasks.add(t);
        return () -> {
            synchronized (VirtualClock.this) {
                return tasks.remove(t);
            }
        };
    }

    /**
     * Moves time forward by {@code by}, running each task that falls due on the way at its due
     * time (a task scheduling another within the span sees it run too).
     *
     * @throws IllegalArgumentException if {@code by} is negative
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + by);
        }
        long end;
        synchronized (this) {
            end = nanos + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > end) {
                    nanos = end;
                    return;
                }
                tasks.poll();
                nanos = Math.max(nanos, next.due);
            }
            next.run.run(); // outside the lock: the task may read the time or schedule more
        }
    }

    /** Due times of the tasks still waiting, for tests of this class. */
    synchronized List<Long> pendingDueNanos() {
        List<Long> due = new ArrayList<>();
        for (Task t : tasks) {
            due.add(t.due);
        }
        due.sort(null);
        return due;
    }

    private record Task(long due, long seq, Runnable run) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int byDue = Long.compare(due, o.due);
            return byDue != 0 ? byDue : Long.compare(seq, o.seq);
        }
    }
}
