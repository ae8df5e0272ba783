package sip.transport.loopback.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import sip.transport.loopback.DelayScheduler;

/**
 * The default {@link DelayScheduler}: wall-clock time, on one virtual thread of the network's own,
 * stopped when the network closes. Its queue is bounded by the network's capacity.
 */
final class RealTimeScheduler implements DelayScheduler, AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("loopback-delay-", 0).factory());

    @Override
    public void schedule(Duration delay, Runnable task) {
        try {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // the network closed meanwhile and forgot what was in flight
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
