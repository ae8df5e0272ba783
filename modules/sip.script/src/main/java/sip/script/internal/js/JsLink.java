package sip.script.internal.js;

import java.util.function.Supplier;

/**
 * How the binding re-enters the context that owns a request, from outside a JS call: the
 * resolution of a relay's Promise and the {@code onResponse}/{@code onFailure} hooks. Implemented
 * by the worker owning that context; each entry is bounded by the executor's statement limit and
 * deadline like a handler call.
 */
public interface JsLink {

    /** A relay of this request is starting: the request keeps its script version until {@link #relayCompleted}. */
    void relayStarted();

    /**
     * A relay this request started completed: runs {@code resolve} (which resolves the relay's
     * Promise in JS) on the owning worker, later, then releases the request's hold on its script
     * version. {@code resolve} is dropped, silently, if the context died meanwhile (replaced
     * after a limit breach, or closed); the hold is released in any case. A null
     * {@code resolve} (nobody waits for the result) releases the hold at once, on the calling
     * thread, without a trip to the worker.
     */
    void relayCompleted(Runnable resolve);

    /** Whether the request's handler has finished (returned, or its Promise settled). */
    boolean handlerDone();

    /**
     * Runs {@code task} on the owning worker and waits for its result: directly when called on
     * that worker (a host answering a branch inside {@code relay}), else queued ahead of new
     * requests. Returns {@code fallback} if the context died, the task threw (logged) or the
     * worker did not get to it within the deadline.
     */
    <T> T call(Supplier<T> task, T fallback);
}
