package sip.script;

/**
 * Counters of a {@link ScriptRuntime}. Live counts ({@code liveContexts}, {@code inFlight},
 * {@code storeEntries}) return to 0 after {@link ScriptRuntime#close()}; the others only grow.
 *
 * @param version the serving version's number
 * @param workers JS worker threads
 * @param liveContexts open polyglot contexts (one per worker per version still in use)
 * @param inFlight requests taken by a worker whose handler (or its Promise) has not finished
 * @param handled requests given to {@code onRequest}
 * @param scriptErrors handler calls that threw (answered {@code 500})
 * @param timeouts handler calls stopped by the deadline or the statement limit (answered {@code 500})
 * @param noDisposition handlers that finished without answering (answered {@code 500 Script Did Not Answer})
 * @param reloads accepted reloads
 * @param rejectedReloads rejected reloads
 * @param storeEntries entries in {@code sip.store}
 */
public record ScriptStats(int version, int workers, int liveContexts, int inFlight, long handled,
        long scriptErrors, long timeouts, long noDisposition, long reloads, long rejectedReloads,
        int storeEntries) {
}
