package sip.script.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.event.Level;
import sip.script.internal.js.JsExchange;
import sip.script.internal.js.JsLink;

/**
 * One request in the executor: its version hold, its worker and context, its report. It is the
 * {@link JsLink} of its {@link JsExchange}: relay completions and hooks come back through it onto
 * the owning worker.
 */
final class Exchange implements JsLink {

    final ScriptExecutor executor;
    final Worker worker;
    final Version version;
    final RequestHost host;
    final CompletableFuture<HandlerReport> report = new CompletableFuture<>();
    /** 1 for the handler, +1 while a relay runs: the version is released at 0. */
    private final AtomicInteger holds = new AtomicInteger(1);
    WorkerContext context;
    JsExchange js;
    volatile boolean finished;
    /** {@link ExecutorSettings#ticker} when it was queued. */
    long queuedAt;

    Exchange(ScriptExecutor executor, Worker worker, Version version, RequestHost host) {
        this.executor = executor;
        this.worker = worker;
        this.version = version;
        this.host = host;
    }

    @Override
    public void relayStarted() {
        holds.incrementAndGet();
    }

    /** Drops one hold; the last one releases the version. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            executor.release(version);
        }
    }

    /** Worker thread: queued for the context's next {@link Worker#checkPending}. */
    @Override
    public void stateChanged() {
        WorkerContext wc = context;
        if (wc != null) {
            wc.changed.add(this);
        }
    }

    @Override
    public boolean handlerDone() {
        return finished;
    }

    @Override
    public void relayCompleted(Runnable resolve) {
        if (resolve == null) {
            release();
            settled();
            return;
        }
        boolean queued = worker.internal(() -> {
            try {
                WorkerContext wc = context;
                if (wc != null && !wc.dead()) {
                    worker.enter(wc, () -> {
                        resolve.run();
                        return null;
                    });
                }
            } catch (PolyglotException e) {
                worker.died(context);
            } finally {
                worker.checkPending(context);
                release();
                settled();
            }
        });
        if (!queued) {
            release();
            settled();
        }
    }

    private void settled() {
        try {
            host.relaySettled();
        } catch (RuntimeException e) {
            executor.host().log(Level.ERROR, version.source.name(), "relaySettled failed: " + e);
        }
    }

    @Override
    public <T> T call(Supplier<T> task, T fallback) {
        if (Thread.currentThread() == worker.thread) {
            WorkerContext wc = context;
            if (wc == null || wc.dead()) {
                return fallback;
            }
            try {
                return task.get();
            } catch (PolyglotException e) {
                hookFailed(e);
                return fallback;
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = worker.internal(() -> {
            WorkerContext wc = context;
            try {
                if (wc == null || wc.dead()) {
                    result.complete(fallback);
                } else {
                    result.complete(worker.enter(wc, task));
                }
            } catch (PolyglotException e) {
                if (e.isCancelled() || e.isResourceExhausted()) {
                    worker.died(wc);
                } else {
                    hookFailed(e);
                }
                result.complete(fallback);
            } catch (RuntimeException e) {
                executor.host().log(Level.ERROR, version.source.name(), "hook failed: " + e);
                result.complete(fallback);
            } finally {
                worker.checkPending(wc);
            }
        });
        if (!queued) {
            return fallback;
        }
        try {
            return result.get(executor.settings().deadline().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            executor.host().log(Level.WARN, version.source.name(), "a hook did not run in time; treated as no more targets");
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (java.util.concurrent.ExecutionException e) {
            return fallback;
        }
    }

    private void hookFailed(PolyglotException e) {
        sip.script.ScriptError err = ScriptErrors.of(e, version.source.directory(), version.source.name());
        executor.host().log(Level.ERROR, ScriptErrors.at(err),
                err.message() + " (in a hook of " + js.request().received().method() + " Call-ID "
                        + js.request().received().callId() + ")");
    }
}
