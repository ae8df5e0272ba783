package sip.router.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import sip.router.Scheduler;

/**
 * Wall-clock timers on one daemon platform thread. Transaction timer tasks are short and never
 * block (one datagram out, one state change), so one thread serves every user agent; cancelled
 * timers leave the queue at once, so a busy agent's cancelled Timer B/F do not pile up.
 */
public final class SystemScheduler implements Scheduler {

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
    public Timer schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, delay.toNanos());
        ScheduledFuture<?> f = executor.schedule(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                // A failing timer task must not kill the shared timer thread.
                System.getLogger(SystemScheduler.class.getName())
                        .log(System.Logger.Level.ERROR, "timer task failed", t);
            }
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
