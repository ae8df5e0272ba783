package sip.script.internal.runtime;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import sip.script.ReloadResult;
import sip.script.ScriptConfig;
import sip.script.ScriptException;
import sip.script.ScriptStats;
import sip.script.ScriptVersion;

/**
 * Runs one script file on worker threads: the JS binding (the {@code req}/{@code sip} objects of
 * the contract) over a {@link ScriptHost} and one {@link RequestHost} per request. Both the real
 * runtime ({@link RouterScriptRuntime}) and the ScriptTester run scripts through this class;
 * they differ only in their hosts.
 *
 * <p>Workers are platform threads; each owns one polyglot context per live version, and every
 * entry into a context runs on its worker: {@code onRequest}, the resolution of
 * {@code sip.relay}'s Promise, and the {@code onResponse}/{@code onFailure} hooks of the relays
 * that worker started. A request is given to the least loaded worker's bounded queue.
 *
 * <p>Thread-safe.
 */
public final class ScriptExecutor implements AutoCloseable {

    private ScriptExecutor() {
    }

    /**
     * Loads {@code script} as version 1 and starts the workers.
     *
     * @throws ScriptException if it does not compile, lacks {@code onRequest}, has a bad config
     *     or cannot be read
     */
    public static ScriptExecutor open(Path script, ExecutorSettings settings, ScriptHost host) throws ScriptException {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Runs {@code onRequest} of the serving version for {@code request} on a worker. Returns at
     * once. When the handler ends without answering, throws, or is stopped, this executor sends
     * the {@code 500} through {@link RequestHost#respond} (see {@link HandlerReport.Outcome}); a
     * full queue gets {@code 503} with {@code Retry-After: 1}.
     *
     * @return completes (never exceptionally) once the handler finished, as reported
     */
    public CompletableFuture<HandlerReport> handle(RequestHost request) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Re-reads the script; when its content (or an imported file's) changed, compiles and
     * validates it on the calling thread and swaps it in. Requests queued or running keep their
     * version; the old version's contexts close when its last request finished.
     */
    public ReloadResult reload() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The serving version. */
    public ScriptVersion version() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The serving version's config. */
    public ScriptConfig config() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The shared {@code sip.store}. */
    public ScriptStore store() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Counters and live counts (live ones are 0 after {@link #close()}). */
    public ScriptStats stats() {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Stops taking requests (later ones are answered {@code 503}), lets the queued and running
     * ones finish (each bounded by the deadline), then closes every context and stops the
     * workers. Idempotent; returns when done.
     */
    @Override
    public void close() {
        throw new UnsupportedOperationException("skeleton");
    }
}
