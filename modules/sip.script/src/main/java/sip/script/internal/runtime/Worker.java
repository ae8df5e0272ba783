package sip.script.internal.runtime;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.script.internal.js.JsServices;
import sip.script.internal.js.Prelude;

/**
 * A platform thread owning one context per live version. Runs two queues: internal tasks (relay
 * completions, hooks, context warm-up and closing) first, then requests — bounded by the
 * executor's queue capacity, counted in {@link #queued}. One permit of {@link #signal} per task.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    final Thread thread;
    final AtomicInteger queued = new AtomicInteger();
    private final ScriptExecutor executor;
    private final ConcurrentLinkedQueue<Runnable> internal = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
    private final Semaphore signal = new Semaphore(0);
    private final Map<Version, WorkerContext> contexts = new HashMap<>();
    private volatile boolean stopped;

    Worker(ScriptExecutor executor, int index) {
        this.executor = executor;
        this.thread = Thread.ofPlatform().name("parley-script-" + index).daemon(true).unstarted(this);
    }

    /** Queues an internal task; false if the worker has stopped (the task will not run). */
    boolean internal(Runnable task) {
        if (stopped) {
            return false;
        }
        internal.add(task);
        signal.release();
        return true;
    }

    /** Queues a request task; the caller checked {@link #queued} against the capacity and counted it. */
    void request(Runnable task) {
        requests.add(task);
        signal.release();
        // Stopped meanwhile: the worker's final drain may have missed it; answer it here.
        if (stopped && requests.remove(task) && task instanceof HandlerRuns.RequestTask t) {
            t.reject();
        }
    }

    @Override
    public void run() {
        for (;;) {
            signal.acquireUninterruptibly();
            Runnable task = internal.poll();
            if (task == null) {
                task = requests.poll();
            }
            if (task == ScriptExecutor.STOP) {
                break;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("script worker task failed", t);
            }
        }
        stopped = true;
        // Requests queued behind the stop (handle() raced with close()) are answered 503.
        Runnable queuedLate;
        while ((queuedLate = requests.poll()) != null) {
            if (queuedLate instanceof HandlerRuns.RequestTask t) {
                t.reject();
            }
        }
        Runnable late;
        while ((late = internal.poll()) != null) {
            try {
                late.run();
            } catch (Throwable t) {
                LOG.debug("task after stop failed", t);
            }
        }
        for (WorkerContext wc : contexts.values()) {
            for (Exchange x : wc.pending) {
                executor.runs.finishPendingAtClose(x);
            }
            wc.pending.clear();
            wc.close();
        }
        contexts.clear();
    }

    /** This worker's live context for {@code v}, made (and the module evaluated) when missing or dead. */
    WorkerContext contextFor(Version v) throws IOException {
        WorkerContext wc = contexts.get(v);
        if (wc != null && !wc.dead()) {
            return wc;
        }
        if (wc != null) {
            abandon(wc);
        }
        Context context = Sandbox.newContext(executor.engine(), v.source.directory(), executor.settings().statementLimit());
        executor.liveContexts().incrementAndGet();
        WorkerContext fresh = null;
        try {
            Value ns = ScriptLoader.evaluate(context, v.source, executor.settings().deadline());
            Value dispatch = Prelude.install(context, ns, new JsServices(v.binding));
            fresh = new WorkerContext(v, context, dispatch, executor.liveContexts());
            contexts.put(v, fresh);
            return fresh;
        } finally {
            if (fresh == null) {
                executor.liveContexts().decrementAndGet();
                try {
                    context.close(true);
                } catch (RuntimeException ignored) {
                    // cancelled already
                }
            }
        }
    }

    /** The JS entry running now (null when idle): what the executor's watchdog tick checks. */
    record Entry(WorkerContext context, long deadlineNanos) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Entry> entry = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * One entry into JS on {@code wc}: statement count reset, the deadline armed. The deadline is
     * enforced by {@link #expire}, called on the watchdog's periodic tick, rather than a timer per
     * entry: arming and cancelling a timer twice per request would wake the timer thread each time.
     */
    <T> T enter(WorkerContext wc, Supplier<T> body) {
        wc.context.resetLimits();
        Entry e = new Entry(wc, System.nanoTime() + executor.settings().deadline().toNanos());
        entry.set(e);
        try {
            return body.get();
        } finally {
            entry.compareAndSet(e, null);
        }
    }

    /** Cancels the running entry if it passed its deadline (watchdog thread). */
    void expire(long now) {
        Entry e = entry.get();
        if (e != null && now - e.deadlineNanos() > 0 && entry.compareAndSet(e, null)) {
            e.context().kill();
        }
    }

    /** After a limit breach in {@code wc}: close it (the next request makes a new one) and fail its pending handlers. */
    void died(WorkerContext wc) {
        if (wc == null) {
            return;
        }
        wc.kill();
        if (contexts.get(wc.version) == wc) {
            contexts.remove(wc.version);
        }
        abandon(wc);
    }

    private void abandon(WorkerContext wc) {
        wc.close();
        for (Exchange x : wc.pending) {
            executor.runs.finishDied(x);
        }
        wc.pending.clear();
    }

    /** Finishes the async handlers of {@code wc} that settled, or can no longer settle. */
    void checkPending(WorkerContext wc) {
        if (wc == null || wc.pending.isEmpty()) {
            return;
        }
        for (Iterator<Exchange> it = wc.pending.iterator(); it.hasNext();) {
            Exchange x = it.next();
            if (x.js.settled() || !x.js.relayPending()) {
                it.remove();
                executor.runs.finishAsync(x);
            }
        }
    }

    /** Closes this worker's context of a retired, idle version. */
    void closeVersion(Version v) {
        WorkerContext wc = contexts.remove(v);
        if (wc != null) {
            abandon(wc);
        }
    }
}
