package sip.router;

import java.io.IOException;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Flow;

/**
 * One request received, as its handler sees it: the request, where it came from, and the way to
 * answer it. Responses go through the server transaction (RFC 3261 §17.2), which retransmits
 * the final response over UDP, answers retransmitted requests with the last response and absorbs
 * the ACK of a non-2xx final response.
 *
 * <p>Thread-safe. A handler may return before answering and answer later from any thread (an
 * INVITE rung for a while, say); an INVITE with no final response after
 * {@link UserAgent.Builder#inviteHandlerTimeout} is answered {@code 408}, any other request after
 * {@link UserAgent.Builder#handlerTimeout} {@code 500}, and logged, so a forgotten request
 * cannot live forever. Every response carries the same To tag.
 */
public interface ServerTransaction {

    SipRequest request();

    /** The flow the request arrived on: transport, local and remote address. */
    Flow flow();

    TransactionState state();

    /**
     * Sends a response with {@code code} and its standard reason phrase, built as
     * {@link SipResponse#forRequest} does, with this transaction's To tag.
     *
     * @throws TransactionEndedException if the transaction takes no more responses: a final
     *     response was already sent, by the handler ({@link TransactionEndedException.Reason#ANSWERED})
     *     or by the layer for a CANCEL ({@code CANCELLED}, 487), the handler timeout
     *     ({@code TIMED_OUT}, 408/500) or close ({@code CLOSED}, 503); or an earlier response
     *     could not be sent ({@code TRANSPORT_ERROR}); a handler still working when the layer
     *     ends its request gets this and may simply stop
     * @throws IOException if the transport cannot send it (the transaction then ends)
     */
    void respond(int code) throws IOException;

    /**
     * Sends {@code response}, which must answer this request (normally built from
     * {@link #responseBuilder(int)}).
     *
     * @throws TransactionEndedException as for {@link #respond(int)}
     * @throws IllegalStateException if {@code response} does not match the request (Via, Call-ID,
     *     CSeq)
     * @throws IOException if the transport cannot send it (the transaction then ends)
     */
    void respond(SipResponse response) throws IOException;

    /** A response builder pre-filled for this request with this transaction's To tag. */
    SipResponse.Builder responseBuilder(int code);

    /** True once a final response has been sent. */
    boolean isAnswered();

    /**
     * True once a CANCEL for this INVITE arrived while it was unanswered; the transaction then
     * already answered {@code 487} (RFC 3261 §9.2), so the handler should stop its work.
     */
    boolean isCancelled();

    /**
     * Runs {@code action} (on a virtual thread) when a CANCEL ends this INVITE; at once if it was
     * already cancelled. Never runs for other methods.
     */
    void onCancel(Consumer<SipRequest> action);
}
