package sip.script.internal.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import sip.script.ScriptConfig;
import sip.script.ScriptVersion;
import sip.script.internal.js.VersionBinding;

/**
 * One loaded version and the requests holding it. A request holds its version from
 * {@link ScriptExecutor#handle} until its handler finished and its relay (if any) completed;
 * once the version is retired (a newer one serves) and the last hold is released, its contexts
 * are closed. {@code holds} is -1 once closing began, so no new hold can be taken.
 */
final class Version {

    final ScriptVersion version;
    final ScriptSource source;
    final ScriptConfig config;
    final VersionBinding binding;
    final String onRequestAt;
    private final AtomicInteger holds = new AtomicInteger();
    private volatile boolean retired;

    Version(ScriptVersion version, ScriptSource source, ScriptConfig config, VersionBinding binding, String onRequestAt) {
        this.version = version;
        this.source = source;
        this.config = config;
        this.binding = binding;
        this.onRequestAt = onRequestAt;
    }

    /** Takes a hold; false if the version is closing. */
    boolean hold() {
        for (;;) {
            int h = holds.get();
            if (h < 0) {
                return false;
            }
            if (holds.compareAndSet(h, h + 1)) {
                return true;
            }
        }
    }

    /** Releases a hold; true if that makes a retired version idle (the caller closes it). */
    boolean release() {
        return holds.decrementAndGet() == 0 && retired && holds.compareAndSet(0, -1);
    }

    /** Marks the version retired; true if it is idle already (the caller closes it). */
    boolean retire() {
        retired = true;
        return holds.compareAndSet(0, -1);
    }

    boolean closing() {
        return holds.get() < 0;
    }
}
