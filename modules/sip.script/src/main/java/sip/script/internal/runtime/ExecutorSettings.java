package sip.script.internal.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Limits of a {@link ScriptExecutor}.
 *
 * @param workers worker threads, one context each per live version
 * @param statementLimit statements per JS entry (handler call, hook call, Promise resolution)
 * @param deadline wall-clock time per JS entry
 * @param queueCapacity requests waiting per worker before {@code 503}
 * @param maxQueueWait the longest a request may wait in a worker's queue: one that waited longer
 *     is answered {@code 503} with {@code Retry-After} instead of running the script (its client
 *     has retransmitted, or given up, by then; the capacity alone bounds only the count — 1,000
 *     requests behind a 100 ms handler wait 100 s)
 * @param ticker nanoseconds of a monotonic clock, for queue waits ({@link System#nanoTime} but in tests)
 */
public record ExecutorSettings(int workers, long statementLimit, Duration deadline, int queueCapacity,
                               Duration maxQueueWait, LongSupplier ticker) {

    /** At least this long may a request wait in a queue by default (before DEFAULTS: it uses it). */
    static final Duration MIN_DEFAULT_QUEUE_WAIT = Duration.ofSeconds(2);

    /** One worker, 1M statements, 2 s, 1,000 queued for 2 s at most: what ScriptTester wants. */
    public static final ExecutorSettings DEFAULTS = new ExecutorSettings(1, 1_000_000, Duration.ofSeconds(2), 1_000);

    public ExecutorSettings {
        if (workers < 1 || statementLimit < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workers, statementLimit and queueCapacity must be positive");
        }
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(maxQueueWait, "maxQueueWait");
        if (maxQueueWait.isNegative() || maxQueueWait.isZero()) {
            throw new IllegalArgumentException("maxQueueWait must be positive: " + maxQueueWait);
        }
        Objects.requireNonNull(ticker, "ticker");
    }

    /** With the default queue wait ({@link #defaultQueueWait}) on {@link System#nanoTime}. */
    public ExecutorSettings(int workers, long statementLimit, Duration deadline, int queueCapacity) {
        this(workers, statementLimit, deadline, queueCapacity, defaultQueueWait(deadline), System::nanoTime);
    }

    /**
     * The larger of 2 s and {@code deadline}: a request may wait about as long as one handler may
     * run, so a slow script sheds load with {@code 503}s instead of serving requests whose
     * clients have given up.
     */
    public static Duration defaultQueueWait(Duration deadline) {
        return deadline.compareTo(MIN_DEFAULT_QUEUE_WAIT) > 0 ? deadline : MIN_DEFAULT_QUEUE_WAIT;
    }

    /** These settings with {@code maxQueueWait} and {@code ticker}. */
    public ExecutorSettings withQueueWait(Duration maxQueueWait, LongSupplier ticker) {
        return new ExecutorSettings(workers, statementLimit, deadline, queueCapacity, maxQueueWait, ticker);
    }
}
