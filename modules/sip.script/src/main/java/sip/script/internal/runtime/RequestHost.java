package sip.script.internal.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.transport.spi.Flow;

/**
 * One request given to a script, and the only way the JS binding acts on it: the seam between
 * the JS {@code req}/{@code sip} objects and whatever answers and forwards. Two implementations:
 * {@code RouterRequestHost} (a {@link sip.router.proxy.ProxyRequest} of the runtime's real
 * {@link sip.router.proxy.Proxy}) and the ScriptTester's offline one (records what the script did,
 * simulates the branches).
 *
 * <p>The binding calls {@link #request()}, {@link #flow()}, {@link #inDialog()} and
 * {@link #responseBuilder} from the worker thread running the handler; {@link #respond} and
 * {@link #relay} from that worker too, except that the runtime itself may call {@link #respond}
 * from another thread to send a {@code 500}/{@code 503} when the handler failed, timed out, or
 * could not be queued. Implementations must be thread-safe for that.
 *
 * <p>{@code sip.registrar.save} and {@code sip.auth.check} are not part of this seam: the
 * binding runs the real {@link sip.router.registrar.Registrar} and
 * {@link sip.router.auth.DigestAuthenticator} itself (built per script version from its config
 * over {@link ScriptHost#locationService()} and {@link ScriptHost#clock()}) and sends their
 * answers through {@link #respond}.
 */
public interface RequestHost {

    /** The request as received (for a proxy: validated and route-processed). Never null. */
    SipRequest request();

    /**
     * The flow it arrived on: {@code req.transport} is its protocol, {@code req.source} its
     * remote address; the registrar stores it with the bindings.
     */
    Flow flow();

    /** Whether it carries a To tag (JS {@code req.inDialog}). */
    boolean inDialog();

    /**
     * A response to {@link #request()} with status {@code code}, carrying what a locally made
     * response must (Via, From, To with a tag for a final response, Call-ID, CSeq).
     */
    SipResponse.Builder responseBuilder(int code);

    /**
     * Sends {@code response} upstream: any number of provisional ones, then one final.
     *
     * @return false if the request takes no more responses (a final was sent already, the
     *     request was relayed, or its transaction ended); true if sent (or queued for sending)
     */
    boolean respond(SipResponse response);

    /**
     * Relays {@code request} (the received request with the script's header edits and
     * Request-URI; Via, Call-ID, CSeq, From/To tags and Max-Forwards as received) to
     * {@code targets} with {@code options}, as {@link sip.router.proxy.Proxy#relay(
     * sip.router.proxy.ProxyRequest, List, RelayOptions)} does. Called at most once per request.
     *
     * <p>The binding's {@link RelayOptions} carry {@code onResponse}/{@code onBranchFailure} hooks
     * when the script exports {@code onResponse}/{@code onFailure}. Those hooks may be called from
     * any thread, including the worker inside this very call (an offline host answering a branch
     * synchronously): they run the JS function on the worker that owns the script's context and
     * block the calling thread until it returned (at most the handler deadline; a JS error or a
     * timeout counts as "no more targets").
     *
     * @return completes once the final response went upstream or none can; never exceptionally
     *     (the binding treats an exceptional completion as {@link RelayOutcome.NotSent})
     * @throws IllegalStateException if the request was answered or relayed already (becomes a
     *     JS TypeError)
     */
    CompletableFuture<RelayOutcome> relay(SipRequest request, List<Target> targets, RelayOptions options);

    /**
     * Whether the request can take no final response any more: its server transaction answered
     * (a {@code 487} after a CANCEL, the user agent's handler timeout) or ended. A request whose
     * transaction ended while it waited in a worker's queue is dropped without running the
     * script. Called on a worker thread. Default: false.
     */
    default boolean transactionEnded() {
        return false;
    }

    /**
     * The script is done with a relay's outcome: its Promise's reactions ran on the worker (or
     * nobody waited for it, or the context died first). Called once per relay that started, after
     * the relay completed, on any thread. The ScriptTester waits for it so the log lines of a
     * {@code sip.relay(...).then(...)} the script did not await are part of the request's outcome.
     * Default: nothing.
     */
    default void relaySettled() {
    }
}
