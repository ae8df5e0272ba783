package sip.router;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The clock and timers every transaction timer (A–M), the automatic {@code 100 Trying} and the
 * close grace period run on. The default runs on wall-clock time; tests pass a virtual clock so
 * that a 32-second Timer B takes no real time.
 *
 * <p>Tasks are short (a timer retransmits one datagram or moves a state) but may block now and
 * then (an automatic {@code 100 Trying} written to a slow TCP peer): {@link #system()} runs each
 * on a virtual thread of its own so no task holds up another; a test scheduler may run them on
 * the test's thread, in due order, for determinism.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds, on the same base as the delays given to {@link #schedule}. */
    long nanoTime();

    /**
     * This scheduler's clock as instants, for times kept beyond this JVM (a registrar's bindings
     * in a shared store). Default: {@link Instant#EPOCH} plus {@link #nanoTime()}, which suits
     * a virtual clock; {@link #system()} gives the wall clock, {@link InstantSource#system()}.
     * A scheduler on real time should do the same.
     */
    default InstantSource instants() {
        return () -> Instant.EPOCH.plusNanos(nanoTime());
    }

    /**
     * Runs {@code task} once, {@code delay} from now. A delay of zero or less runs it as soon as
     * possible, never on the caller's stack.
     */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task. */
    interface Timer {
        /** Stops the task if it has not started; false if it already ran or was cancelled. */
        boolean cancel();
    }

    /** Wall-clock time, shared by every user agent: one queue thread, tasks on virtual threads. */
    static Scheduler system() {
        return sip.router.internal.SystemScheduler.INSTANCE;
    }
}
