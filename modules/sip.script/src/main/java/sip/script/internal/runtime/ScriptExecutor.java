package sip.script.internal.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Engine;
import org.slf4j.event.Level;
import sip.script.ReloadResult;
import sip.script.ScriptConfig;
import sip.script.ScriptError;
import sip.script.ScriptException;
import sip.script.ScriptStats;
import sip.script.ScriptVersion;
import sip.script.internal.js.VersionBinding;
import sip.script.internal.runtime.HandlerReport.Outcome;

/**
 * Runs one script file on worker threads: the JS binding (the {@code req}/{@code sip} objects of
 * the contract) over a {@link ScriptHost} and one {@link RequestHost} per request. Both the real
 * runtime ({@link RouterScriptRuntime}) and the ScriptTester run scripts through this class;
 * they differ only in their hosts.
 *
 * <p>Workers are platform threads; each owns one polyglot context per live version (all on one
 * {@link Engine}, so the parsed script is shared), and every entry into a context runs on its
 * worker: {@code onRequest}, the resolution of {@code sip.relay}'s Promise, and the
 * {@code onResponse}/{@code onFailure} hooks of the relays that worker started. A request goes to
 * the least loaded worker's bounded queue (queued plus running).
 *
 * <p>Thread-safe.
 */
public final class ScriptExecutor implements AutoCloseable {

    static final Runnable STOP = () -> { };

    private final Path file;
    private final ExecutorSettings settings;
    private final ScriptHost host;
    private final Engine engine = Sandbox.newEngine();
    private final ScriptStore store;
    /** sip.auth.check's authenticators, kept across reloads so clients' nonces stay valid. */
    private final sip.script.internal.js.DigestAuthenticators authenticators;
    final HandlerRuns runs = new HandlerRuns(this);
    private final Worker[] workers;
    private final AtomicInteger liveContexts = new AtomicInteger();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejectedReloads = new AtomicLong();
    private volatile Version current;
    private volatile boolean closed;
    private java.util.concurrent.ScheduledFuture<?> tick;

    private ScriptExecutor(Path file, ExecutorSettings settings, ScriptHost host) {
        this.file = file;
        this.settings = settings;
        this.host = host;
        this.store = new ScriptStore(ScriptStore.DEFAULT_MAX_ENTRIES, host.clock());
        this.authenticators = new sip.script.internal.js.DigestAuthenticators(host.clock());
        this.workers = new Worker[settings.workers()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, i);
        }
    }

    /**
     * Loads {@code script} as version 1 and starts the workers (each evaluates the module in its
     * own context in the background).
     *
     * @throws ScriptException if it does not compile, lacks {@code onRequest}, has a bad config
     *     or cannot be read
     */
    public static ScriptExecutor open(Path script, ExecutorSettings settings, ScriptHost host) throws ScriptException {
        ScriptExecutor x = new ScriptExecutor(script, settings, host);
        try {
            x.current = x.load(ScriptSource.read(script), 1, null);
        } catch (ScriptException | RuntimeException e) {
            x.engine.close(true);
            throw e;
        }
        for (Worker w : x.workers) {
            w.thread.start();
        }
        long tick = Math.clamp(settings.deadline().toMillis() / 10, 5, 100);
        x.tick = Watchdog.every(java.time.Duration.ofMillis(tick), x::expire);
        x.warm(x.current);
        return x;
    }

    /**
     * Runs {@code onRequest} of the serving version for {@code request} on a worker. Returns at
     * once. When the handler ends without answering, throws, or is stopped, this executor sends
     * the {@code 500} through {@link RequestHost#respond} (see {@link HandlerReport.Outcome}); a
     * full queue gets {@code 503} with {@code Retry-After: 1}, a closed executor {@code 503}. When
     * its turn comes, a request that waited longer than {@link ExecutorSettings#maxQueueWait} gets
     * {@code 503} with {@code Retry-After: 1} instead of running the script, and one whose
     * transaction ended meanwhile ({@link RequestHost#transactionEnded}) is dropped unanswered.
     *
     * @return completes (never exceptionally) once the handler finished, as reported
     */
    public CompletableFuture<HandlerReport> handle(RequestHost request) {
        Version v = holdCurrent();
        if (v == null) {
            runs.reject(request, 503);
            return CompletableFuture.completedFuture(new HandlerReport(Outcome.CLOSED, Optional.empty(), null));
        }
        Worker w = leastLoaded();
        if (w.queued.incrementAndGet() > settings.queueCapacity()) {
            w.queued.decrementAndGet();
            release(v);
            runs.reject(request, 503);
            return CompletableFuture.completedFuture(new HandlerReport(Outcome.OVERLOADED, Optional.empty(), v.version));
        }
        Exchange x = new Exchange(this, w, v, request);
        x.queuedAt = settings.ticker().getAsLong();
        runs.inFlight.incrementAndGet();
        w.request(runs.task(x));
        return x.report;
    }

    /**
     * Re-reads the script; when its content (or a module the serving version imported) changed, compiles and
     * validates it on the calling thread and swaps it in. Requests queued or running keep their
     * version; the old version's contexts close when its last request finished.
     *
     * @throws IllegalStateException if closed
     */
    public synchronized ReloadResult reload() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Version old = current;
        ScriptSource src;
        try {
            src = ScriptSource.read(file);
        } catch (ScriptException e) {
            return rejected(e.error(), old);
        }
        // Unchanged when the script and the modules the serving version imported are byte-identical
        // (the same files then import the same modules); other files beside it do not count.
        try {
            if (src.fingerprint(old.imports).equals(old.version.sha256())) {
                return new ReloadResult.Unchanged(old.version);
            }
        } catch (java.io.IOException e) {
            // an imported module is gone: compiling tells whether that matters
        }
        Version next;
        try {
            next = load(src, old.version.number() + 1, old);
        } catch (ScriptException e) {
            return rejected(e.error(), old);
        }
        if (next == null) {
            return new ReloadResult.Unchanged(old.version);
        }
        warm(next);
        current = next;
        reloads.incrementAndGet();
        warnRestartKeys(old, next);
        if (old.retire()) {
            closeVersion(old);
        }
        return new ReloadResult.Loaded(next.version);
    }

    public ScriptVersion version() {
        return current.version;
    }

    public ScriptConfig config() {
        return current.config;
    }

    /** The serving version's binding (its Registrar, for the runtime's {@code registrar()}). */
    public VersionBinding binding() {
        return current.binding;
    }

    /** The shared {@code sip.store}. */
    public ScriptStore store() {
        return store;
    }

    /** Counters and live counts (live ones are 0 after {@link #close()}). */
    public ScriptStats stats() {
        return new ScriptStats(current.version.number(), workers.length, liveContexts.get(), runs.inFlight.get(),
                runs.handled.get(), runs.scriptErrors.get(), runs.timeouts.get(), runs.noDisposition.get(), reloads.get(),
                rejectedReloads.get(), store.size());
    }

    /**
     * Stops taking requests (later ones are answered {@code 503}), lets the queued and running
     * handlers finish (each bounded by the deadline), then closes every context, clears the store
     * and stops the workers. Relays still running complete in the proxy, without their Promise.
     * Idempotent; returns when done.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Worker w : workers) {
            w.request(STOP);
        }
        for (Worker w : workers) {
            boolean interrupted = false;
            while (w.thread.isAlive()) {
                try {
                    w.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        tick.cancel(false);
        store.clear();
        engine.close(true);
    }

    // ---- package-private: used by workers and exchanges ----

    String scriptName() {
        return String.valueOf(file.getFileName());
    }

    Engine engine() {
        return engine;
    }

    ExecutorSettings settings() {
        return settings;
    }

    ScriptHost host() {
        return host;
    }

    AtomicInteger liveContexts() {
        return liveContexts;
    }

    private void expire() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            w.expire(now);
        }
    }

    void release(Version v) {
        if (v.release()) {
            closeVersion(v);
        }
    }

    private Version holdCurrent() {
        for (;;) {
            if (closed) {
                return null;
            }
            Version v = current;
            if (v.hold()) {
                return v;
            }
        }
    }

    /**
     * The worker with the fewest requests queued plus running. Counting the running task matters:
     * a worker stuck in a runaway handler has an empty queue but must not look idle.
     */
    private Worker leastLoaded() {
        Worker best = workers[0];
        int bestLoad = best.load();
        for (int i = 1; i < workers.length && bestLoad > 0; i++) {
            int load = workers[i].load();
            if (load < bestLoad) {
                best = workers[i];
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * Compiles {@code src} as version {@code number}; null when it loads exactly the files of
     * {@code serving} with the same content (an edit undone before the reload ran).
     */
    private Version load(ScriptSource src, int number, Version serving) throws ScriptException {
        ScriptLoader.Compiled c = ScriptLoader.compile(engine, src, settings.statementLimit(), settings.deadline());
        String sha;
        try {
            sha = src.fingerprint(c.imports(), c.modules()::read);
        } catch (java.io.IOException e) {
            throw new ScriptException(new ScriptError(src.name(), 0, 0, "cannot read an imported module: " + e.getMessage(),
                    ScriptError.Kind.IO));
        }
        if (serving != null && sha.equals(serving.version.sha256())) {
            return null;
        }
        ScriptVersion sv = new ScriptVersion(number, src.file(), sha, Instant.now());
        return new Version(sv, src, c.config(), new VersionBinding(src.name(), host, store, c.config(), authenticators), c.onRequestAt(),
                c.imports(), c.modules());
    }

    /** config.listen, config.workers and config.websocket are read at start only: say so when a reload changes them. */
    private void warnRestartKeys(Version old, Version next) {
        java.util.List<String> keys = new java.util.ArrayList<>(3);
        if (!old.config.listen().equals(next.config.listen())) {
            keys.add("config.listen");
        }
        if (!old.config.workers().equals(next.config.workers())) {
            keys.add("config.workers");
        }
        if (!old.config.websocket().equals(next.config.websocket())) {
            keys.add("config.websocket");
        }
        if (!keys.isEmpty()) {
            host.log(Level.WARN, next.source.name(), "version " + next.version.number() + " changes "
                    + (keys.size() < 3 ? String.join(" and ", keys) : keys.get(0) + ", " + keys.get(1) + " and " + keys.get(2))
                    + ": a reload does not apply " + (keys.size() == 1 ? "it" : "them")
                    + ", a restart does (still using the values of the start)");
        }
    }

    private ReloadResult rejected(ScriptError error, Version kept) {
        rejectedReloads.incrementAndGet();
        host.log(host.reloadLevel(Level.ERROR), ScriptErrors.at(error),
                "reload rejected: " + error.message() + "; still serving version " + kept.version.number());
        return new ReloadResult.Rejected(error, kept.version);
    }

    /**
     * Each worker makes its context for {@code v} now and runs the prelude's warm-up in it (the
     * views of a synthetic request, no user code), so the first requests do not pay for it.
     * Returns when every worker did, or after {@link ScriptLoader#MIN_LOAD_DEADLINE} plus the
     * deadline (a worker busy with a runaway handler warms later, or on its first request).
     */
    private void warm(Version v) {
        java.util.List<CompletableFuture<Void>> done = new java.util.ArrayList<>();
        for (Worker w : workers) {
            CompletableFuture<Void> warmed = new CompletableFuture<>();
            done.add(warmed);
            boolean queued = w.internal(() -> {
                try {
                    if (!v.closing()) {
                        w.warm(w.contextFor(v), warmUpRequest());
                    }
                } catch (Exception e) {
                    host.log(Level.ERROR, v.source.name(), "cannot start the script: " + e);
                } finally {
                    warmed.complete(null);
                }
            });
            if (!queued) {
                warmed.complete(null);
            }
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(ScriptLoader.MIN_LOAD_DEADLINE.plus(settings.deadline()).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // serve anyway: a worker not warmed yet makes its context on its first request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static sip.script.internal.js.JsRequest warmUpRequest() {
        return WarmUp.request();
    }

    private void closeVersion(Version v) {
        for (Worker w : workers) {
            w.internal(() -> w.closeVersion(v));
        }
    }
}
