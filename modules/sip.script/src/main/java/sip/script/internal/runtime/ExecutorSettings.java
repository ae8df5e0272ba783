package sip.script.internal.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link ScriptExecutor}.
 *
 * @param workers worker threads, one context each per live version
 * @param statementLimit statements per JS entry (handler call, hook call, Promise resolution)
 * @param deadline wall-clock time per JS entry
 * @param queueCapacity requests waiting per worker before {@code 503}
 */
public record ExecutorSettings(int workers, long statementLimit, Duration deadline, int queueCapacity) {

    /** One worker, 1M statements, 1 s, 1,000 queued: what ScriptTester wants. */
    public static final ExecutorSettings DEFAULTS = new ExecutorSettings(1, 1_000_000, Duration.ofSeconds(1), 1_000);

    public ExecutorSettings {
        if (workers < 1 || statementLimit < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workers, statementLimit and queueCapacity must be positive");
        }
        Objects.requireNonNull(deadline, "deadline");
    }
}
