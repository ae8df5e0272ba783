package sip.script;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import sip.router.UserAgent;
import sip.router.proxy.Proxy;
import sip.router.registrar.LocationService;
import sip.router.registrar.Registrar;

/**
 * A JavaScript routing script running as the routing logic of a stateful {@link Proxy} and a
 * {@link Registrar} on a {@link UserAgent}.
 *
 * <pre>{@code
 * try (UserAgent ua = UserAgent.newBuilder().build();
 *      ScriptRuntime rt = ScriptRuntime.newBuilder(Path.of("proxy.js")).userAgent(ua).watch(true).build()) {
 *     ua.listen("udp", "127.0.0.1:5060");
 *     ...
 * }
 * }</pre>
 *
 * <p>Each request the proxy hands over goes to one of {@link Builder#workers} platform threads,
 * each owning one polyglot context per loaded version; every entry into a context (the handler,
 * the resolution of a relay's Promise, {@code onResponse}/{@code onFailure} of a relay it
 * started) runs on that worker.
 *
 * <h2>Limits</h2>
 * <table>
 * <caption>Defaults, and what happens on breach</caption>
 * <tr><th>Setting</th><th>Default</th><th>On breach</th></tr>
 * <tr><td>{@link Builder#statementLimit}</td><td>1,000,000 per handler call</td><td>the request is
 *     answered {@code 500}, the worker's context is replaced</td></tr>
 * <tr><td>{@link Builder#handlerDeadline}</td><td>2 s wall clock per entry into JS (a context's module evaluation, warm-up and
 *     first handler call: at least 10 s)</td><td>the same</td></tr>
 * <tr><td>queue per worker</td><td>1,000 requests</td><td>{@code 503} with {@code Retry-After}</td></tr>
 * <tr><td>{@link Builder#maxQueueWait}</td><td>the larger of 2 s and the handler deadline</td><td>a request that
 *     waited longer is answered {@code 503} with {@code Retry-After} instead of running the script; one
 *     whose transaction ended while queued is dropped</td></tr>
 * <tr><td>{@code sip.store}</td><td>100,000 entries</td><td>{@code set} of a new key throws a
 *     {@code RangeError} in JS</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public sealed interface ScriptRuntime extends AutoCloseable permits sip.script.internal.runtime.RouterScriptRuntime {

    /** A builder for a runtime running {@code script}. */
    static Builder newBuilder(Path script) {
        return new Builder(script);
    }

    /** The serving version. */
    ScriptVersion version();

    /**
     * Reads the script (and its imports) again; when changed, compiles and validates it on the
     * calling thread and swaps it in atomically. Requests in flight finish on their version; the
     * old version's contexts close when idle. A broken version is rejected and the serving one
     * kept. Never throws for a bad script.
     *
     * @throws IllegalStateException if closed
     */
    ReloadResult reload();

    ScriptStats stats();

    /** The serving version's config. */
    ScriptConfig config();

    /** The proxy the runtime built on the user agent. */
    Proxy proxy();

    /** The registrar {@code sip.registrar.save} uses. */
    Registrar registrar();

    /** The location service of the registrar and {@code sip.location.lookup}. */
    LocationService locationService();

    /**
     * Stops watching, stops taking requests (new ones go back to the user agent's handlers),
     * lets requests in flight finish (at most one handler deadline), closes every context, the
     * proxy and the registrar (and the location service when the runtime made it). The user
     * agent stays open: it is the caller's. Idempotent.
     */
    @Override
    void close();

    /** Settings of a {@link ScriptRuntime}; each default is stated once, here. */
    final class Builder {
        final Path script;
        UserAgent userAgent;
        int workers = Runtime.getRuntime().availableProcessors();
        boolean workersSet;
        long statementLimit = 1_000_000;
        Duration handlerDeadline = Duration.ofSeconds(2);
        boolean watch;
        LocationService locationService;
        java.util.function.Consumer<ReloadResult> onReload; // null: nobody reports reloads
        Duration maxQueueWait;

        Builder(Path script) {
            this.script = Objects.requireNonNull(script, "script");
        }

        /** The user agent to run on (required); the runtime installs its proxy on it. */
        public Builder userAgent(UserAgent userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * JS worker threads, one context each per version. Default: {@code config.workers} of the
         * script, else {@link Runtime#availableProcessors()}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1: " + workers);
            }
            this.workers = workers;
            this.workersSet = true;
            return this;
        }

        /**
         * Statements one handler call may execute (GraalVM {@code ResourceLimits}, counted anew
         * for each call). Default 1,000,000.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder statementLimit(long limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("statementLimit must be at least 1: " + limit);
            }
            this.statementLimit = limit;
            return this;
        }

        /**
         * Wall-clock time one entry into JS may take. Default 2 s (the statement limit stops a
         * pure-JS loop long before). A context's first entries (module evaluation, warm-up, first
         * handler call) may take at least 10 s: they run interpreted code for the first time.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder handlerDeadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("handlerDeadline must be positive: " + deadline);
            }
            this.handlerDeadline = deadline;
            return this;
        }

        /**
         * The longest a request may wait in a worker's queue for its turn: when its turn comes
         * later, it is answered {@code 503} with {@code Retry-After: 1} instead of running the
         * script (a slow script sheds load rather than serving callers that have retransmitted or
         * given up); a request whose server transaction ended meanwhile is dropped unanswered.
         * Default: the larger of 2 s and the {@link #handlerDeadline}.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxQueueWait(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("maxQueueWait must be positive: " + wait);
            }
            this.maxQueueWait = wait;
            return this;
        }

        /**
         * Whether to {@link ScriptRuntime#reload()} when a {@code .js}/{@code .mjs} file in the
         * script's directory tree changes (debounced); the reload is {@link ReloadResult.Unchanged}
         * unless the script or a module the serving version imported changed. Default off.
         */
        public Builder watch(boolean on) {
            this.watch = on;
            return this;
        }

        /**
         * Where registrations live. Default {@link LocationService#inMemory} on
         * {@link sip.router.Scheduler#system()} (the {@link UserAgent} does not expose its
         * scheduler), closed with the runtime; a given one is the caller's to close. Give one on
         * the user agent's scheduler to run its expiry there (e.g. virtual time in tests).
         */
        public Builder locationService(LocationService locationService) {
            this.locationService = Objects.requireNonNull(locationService, "locationService");
            return this;
        }

        /**
         * Called after every reload that was not {@link ReloadResult.Unchanged} — those the
         * watcher triggers and explicit {@link ScriptRuntime#reload()} calls — on the reloading
         * thread (what {@code parley run} prints its "loaded ..."/"reload rejected ..." lines
         * from). Default: none. Without a listener the runtime logs a loaded version at INFO and
         * a rejected one at ERROR; with one, which reports them, it logs both at DEBUG (no line
         * printed twice).
         */
        public Builder onReload(java.util.function.Consumer<ReloadResult> listener) {
            this.onReload = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Loads the script and installs the proxy on the user agent.
         *
         * @throws ScriptException if the script is broken (syntax, missing {@code onRequest},
         *     bad config, unreadable)
         * @throws IllegalStateException if no user agent was set, or it has a proxy already
         */
        public ScriptRuntime build() throws ScriptException {
            if (userAgent == null) {
                throw new IllegalStateException("userAgent is required");
            }
            return sip.script.internal.runtime.RouterScriptRuntime.start(new sip.script.internal.runtime.RuntimeSettings(
                    script, userAgent, workers, workersSet, statementLimit, handlerDeadline, watch, locationService, onReload,
                    maxQueueWait));
        }
    }
}
