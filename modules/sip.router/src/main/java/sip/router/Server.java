package sip.router;

import java.util.function.Consumer;
import sip.message.Method;
import sip.transport.spi.Flow;

/**
 * The server side of a {@link UserAgent}: request handlers per method.
 *
 * <pre>{@code
 * ua.server()
 *     .onInvite(tx -> { tx.respond(180); tx.respond(200); })
 *     .onBye(tx -> tx.respond(200))
 *     .onAck((ack, flow) -> log.info("call up: {}", ack.callId()));
 * }</pre>
 *
 * <p>Before a handler runs, each request is checked as RFC 3261 §8.2 says, in this order, and
 * answered without calling any handler when it fails: 505 (version), 400 (a missing or repeated
 * mandatory header, CSeq method not the request's), 405 with {@code Allow} (no handler for the
 * method and no default handler), 416 (a Request-URI scheme other than sip/sips/tel), 420 with
 * {@code Unsupported} (a {@code Require} naming an extension not in {@link #supported}), 415 with
 * {@code Accept} (a body type not in {@link #accept}), 406 (an INVITE whose {@code Accept} allows
 * none of the body types this server sends). OPTIONS without a handler is answered {@code 200}
 * with {@code Allow}, {@code Accept} and {@code Supported}. CANCEL is handled by the transaction
 * layer (§9.2) and never reaches a handler: use {@link ServerTransaction#onCancel}.
 *
 * <p>Handlers may be added or replaced at any time; thread-safe.
 */
public interface Server {

    /** Handles requests with {@code method}. CANCEL and ACK cannot have request handlers. */
    Server onRequest(Method method, RequestHandler handler);

    default Server onInvite(RequestHandler handler) {
        return onRequest(Method.INVITE, handler);
    }

    default Server onBye(RequestHandler handler) {
        return onRequest(Method.BYE, handler);
    }

    default Server onOptions(RequestHandler handler) {
        return onRequest(Method.OPTIONS, handler);
    }

    default Server onRegister(RequestHandler handler) {
        return onRequest(Method.REGISTER, handler);
    }

    default Server onMessage(RequestHandler handler) {
        return onRequest(Method.MESSAGE, handler);
    }

    /** Handles requests of every method without a handler of its own. */
    Server onDefault(RequestHandler handler);

    /**
     * Receives ACKs for 2xx responses (and stray ACKs), each on a virtual thread of its own.
     * Without one they are dropped; so are ACKs arriving while
     * {@link UserAgent.Builder#maxServerTransactions} handler calls are still running (counted in
     * {@link TransactionStats#acksDropped()}).
     */
    Server onAck(AckHandler handler);

    /**
     * Told when the connection of a flow closes (TCP, TLS, WebSocket; closed by either side, by
     * an idle timeout or a failure), after the client transactions waiting on it failed
     * (RFC 3261 §17.1.4); one flow at a time, in close order, on a virtual thread (it may block,
     * holding up the next; it may run while request handlers run), never once the server is
     * stopping; at most 65,536 flows wait (more are dropped with a warning). A UDP flow
     * never closes. What a registrar of phones that are reached only over their connection
     * needs ({@link sip.router.registrar.Registrar#flowClosed}):
     * {@code server.onFlowClosed(registrar::flowClosed)}. Replaces the previous listener;
     * default none. Also told while a proxy takes this server's requests.
     */
    Server onFlowClosed(Consumer<Flow> listener);

    /**
     * The option tags this server supports: {@code Require} naming others gets 420, and OPTIONS
     * lists them in {@code Supported}. Default none.
     */
    Server supported(String... optionTags);

    /**
     * The body types this server accepts in requests ({@code type/subtype}, case-insensitive): a
     * request body of another type gets 415, and OPTIONS lists them in {@code Accept}. Default
     * {@code application/sdp}. Replaces the list; no arguments means no request bodies are
     * accepted. A request without a body is always accepted. What this server answers with is
     * {@link #produces}, not this.
     */
    Server accept(String... mediaTypes);

    /**
     * The body types this server sends in answers to INVITE ({@code type/subtype},
     * case-insensitive): an INVITE whose {@code Accept} allows none of them gets 406. Default
     * {@code application/sdp}. Replaces the list; with no arguments every INVITE carrying an
     * {@code Accept} gets 406.
     */
    Server produces(String... mediaTypes);

    /**
     * Handles every new INVITE (one without a To tag) as a {@link ServerDialog}: the INVITE
     * handler, replacing any {@link #onInvite} one. In-dialog requests (re-INVITE, BYE, PRACK,
     * UPDATE, INFO...) then go to the dialog; see {@link Dialog}. The handler should answer
     * the INVITE through the dialog; an INVITE it leaves unanswered is ended by
     * {@link UserAgent.Builder#inviteHandlerTimeout} ({@link DialogEnd.Reason#EXPIRED}).
     * The dialog layer implements {@code 100rel} (RFC 3262), so this call adds it to
     * {@link #supported} (an INVITE with {@code Require: 100rel} is then served, not answered
     * {@code 420}); a later {@code supported(...)} call replaces the list and may leave it out.
     */
    Server onDialog(DialogHandler handler);
}
