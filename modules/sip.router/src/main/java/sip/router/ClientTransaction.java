package sip.router;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Flow;

/**
 * A request sent and its responses (RFC 3261 §17.1). Thread-safe.
 *
 * <p>{@link #response()} always completes normally, with the final response: the peer's, or one
 * synthesized locally when the transaction failed ({@code 408} on timeout, {@code 503} on a
 * transport or resolution failure, §8.1.3.1), in which case {@link #failure()} says why.
 * Dependent stages of the future run on virtual threads, never on the transaction layer's own.
 *
 * <p>A request to a located destination may take several attempts (RFC 3263 §4.3, see
 * {@link Client#request(sip.message.SipRequest)}), each a client transaction of its own; this
 * one stands for all of them: {@link #request()}, {@link #flow()} and {@link #state()} are the
 * current attempt's, the provisional responses of every attempt are passed up in order, the final
 * response is the last attempt's (a failed attempt's {@code 503} or local failure is passed up
 * only when no destination is left), and {@link #cancel()} cancels the current attempt and ends
 * the failover.
 */
public interface ClientTransaction {

    /** The request as sent, with the Via (and its branch) the transaction layer added. */
    SipRequest request();

    /** The flow the request went out on; empty until sent, or when it could not be sent. */
    Optional<Flow> flow();

    TransactionState state();

    /** The final response (see the class comment). */
    CompletableFuture<SipResponse> response();

    /** The provisional responses received so far, in order. */
    List<SipResponse> provisionalResponses();

    /**
     * Calls {@code listener} (on a virtual thread, one call at a time, in arrival order) with every
     * response passed up: provisionals, the final response, and for INVITE every further 2xx
     * (retransmissions and forks, RFC 6026 Accepted state). Responses that arrived before this
     * call are replayed first, so there is no race with the request being sent; of the 2xx
     * responses, the replay holds only the first per To tag (a peer repeating its 2xx until
     * Timer M must not grow what the transaction keeps), later ones reach only the listeners
     * there are when they arrive.
     *
     * <p>A retransmitted 2xx that was ACKed through {@link Client#ack} is re-ACKed by the layer;
     * a 2xx with a new To tag (a fork) is a dialog of its own: the listener must ACK it with
     * {@link Client#ack} (and BYE it if only one call is wanted).
     */
    void onResponse(Consumer<SipResponse> listener);

    /**
     * Cancels an INVITE (RFC 3261 §9.1): the CANCEL goes out once a provisional response has
     * arrived (at once if one has), never before, and not at all if a final response arrived
     * first. The INVITE then normally ends with {@code 487}.
     *
     * @throws IllegalStateException if the request is not an INVITE
     */
    void cancel();

    /** Why the transaction failed locally, when {@link #response()} was synthesized. */
    Optional<TransactionFailure> failure();
}
