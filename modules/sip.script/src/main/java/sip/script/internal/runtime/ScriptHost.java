package sip.script.internal.runtime;

import java.time.InstantSource;
import sip.router.registrar.LocationService;

/**
 * What a script runtime needs besides requests, for all its versions: where registrations live,
 * what time it is, where {@code sip.log} goes. The real runtime's is the router's location
 * service, the system clock and slf4j logger {@code parley.script}; the ScriptTester's is an
 * in-memory location service on its virtual clock and a log it records.
 *
 * <p>Called from worker threads (several at once): implementations must be thread-safe.
 */
public interface ScriptHost {

    /**
     * The bindings {@code sip.registrar.save} writes and {@code sip.location.lookup} reads; the
     * executor builds each version's {@link sip.router.registrar.Registrar} on it. Not closed by
     * the executor.
     */
    LocationService locationService();

    /** The clock of {@code sip.store} TTLs and Digest nonces. */
    InstantSource clock();

    /**
     * One {@code sip.log} call, or a line the runtime logs about the script (an exception, a
     * timeout, a handler that did not answer).
     *
     * @param level {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
     * @param location {@code file:line} of the calling script code ({@code file:line:column} for
     *     an error), or {@code file} alone when unknown
     * @param message the arguments joined by spaces (objects as JSON), or the runtime's text
     */
    void log(org.slf4j.event.Level level, String location, String message);

    /**
     * The level of the runtime's line about a reload that would be logged at {@code normal}:
     * lower when someone else reports reloads already (an {@code onReload} listener), so that
     * the same news is not printed twice. Default: {@code normal}.
     */
    default org.slf4j.event.Level reloadLevel(org.slf4j.event.Level normal) {
        return normal;
    }
}
