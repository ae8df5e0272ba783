package sip.router.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.router.Scheduler;

/**
 * Wall-clock timers: one daemon platform thread keeps the queue and hands each due task to a
 * virtual thread of its own. A task may block — an automatic 100 Trying or a handler-timeout
 * answer written to a TCP peer that stopped reading waits up to the write timeout — and must not
 * hold up every other timer of every user agent while it does. Cancelled timers leave the queue
 * at once, so a busy agent's cancelled Timer B/F do not pile up.
 */
public final class SystemScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

    public static final SystemScheduler INSTANCE = new SystemScheduler();

    private final ScheduledThreadPoolExecutor executor;

    private SystemScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sip-timers");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public java.time.InstantSource instants() {
        return java.time.InstantSource.system();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, delay.toNanos());
        ScheduledFuture<?> f = executor.schedule(() -> Thread.startVirtualThread(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("timer task failed", t);
            }
        }), nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
