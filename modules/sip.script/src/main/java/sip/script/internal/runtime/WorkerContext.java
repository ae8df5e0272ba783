package sip.script.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * One worker's context for one version: the evaluated module and the prelude's dispatch
 * function, and the async handlers still pending in it. Used only on its worker thread, except
 * {@link #kill()} (the watchdog).
 */
final class WorkerContext {

    final Version version;
    final Context context;
    final Value dispatch;
    /** Exchanges whose async handler has not settled yet (worker thread only). */
    final List<Exchange> pending = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger live;
    private volatile boolean killed;

    WorkerContext(Version version, Context context, Value dispatch, AtomicInteger live) {
        this.version = version;
        this.context = context;
        this.dispatch = dispatch;
        this.live = live;
    }

    /** Cancels whatever runs in it (from the watchdog): the context is dead and will be replaced. */
    void kill() {
        killed = true;
        close();
    }

    boolean dead() {
        return killed || closed.get();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            live.decrementAndGet();
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // cancelled or closed already
            }
        }
    }
}
