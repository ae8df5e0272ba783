package sip.script.internal.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The wall-clock deadline of JS entries: one daemon thread for the JVM that cancels a context
 * whose call outlived its deadline ({@code Context.close(true)} makes the running call throw a
 * cancelled {@link org.graalvm.polyglot.PolyglotException}). Executors check their workers on a
 * periodic tick (a tenth of the deadline, 5–100 ms), so a breach is caught within that much
 * after the deadline; module evaluation arms a one-shot timer.
 */
final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private Watchdog() {
    }

    static ScheduledFuture<?> after(Duration deadline, Runnable action) {
        return TIMER.schedule(action, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code check} every {@code period} until cancelled. */
    static ScheduledFuture<?> every(Duration period, Runnable check) {
        return TIMER.scheduleAtFixedRate(check, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "parley-script-watchdog");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
