package sip.router;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;

/**
 * A dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE sets up, and the way to send
 * and receive requests inside it. A {@link ClientDialog} comes from {@link Client#invite}, a
 * {@link ServerDialog} from {@link Server#onDialog}; a fork of a client INVITE that is kept
 * ({@link ClientDialog#onFork}) is a plain {@code Dialog}.
 *
 * <pre>{@code
 * ClientDialog call = ua.client().invite(SipUri.parse("sip:bob@127.0.0.1:5070"), ContentType.APPLICATION_SDP, offer);
 * SipResponse answer = call.answered().join();        // 2xx already ACKed, or the rejection
 * if (answer.statusCode() / 100 == 2) {
 *     call.bye().join();
 * }
 * }</pre>
 *
 * <p>What the dialog layer does by itself: it keeps the local and remote CSeq (a request from the
 * peer with a CSeq lower than the last is answered {@code 500}, §12.2.2), refreshes the remote
 * target from the Contact of re-INVITE and UPDATE requests and of their 2xx responses, answers
 * BYE {@code 200}, PRACK (RFC 3262), a re-INVITE arriving while one is in progress ({@code 491}
 * while ours is pending, {@code 500} with {@code Retry-After} while the peer's previous one is
 * unanswered, §14; an UPDATE with an offer while an UPDATE offer of ours is unanswered gets
 * {@code 491}, RFC 3311 §5.2, which the application retries as it sees fit), and, without a handler of the application's, a session refresh: a re-INVITE
 * or UPDATE whose offer is byte-equal to the peer's previous session description (or that has
 * none) gets {@code 200} with the last session description this side sent; any other offer
 * gets {@code 488 Not Acceptable Here} (only the application can answer a changed session,
 * RFC 3264 §6.1 — a hold offer must not be answered sendrecv). A
 * request with a To tag that matches no dialog is answered {@code 481} when it is a BYE, INVITE,
 * PRACK, INFO or UPDATE and the application has no {@link Server} handler for its method
 * (with one, that handler gets it, as before dialogs existed).
 *
 * <p>Every dialog has a bounded life: an early one ends with its INVITE transaction, a
 * confirmed one at the latest after {@link UserAgent.Builder#maxDialogDuration} (with a BYE),
 * every one at {@link UserAgent#close()}; a terminated dialog leaves the store at once
 * ({@link UserAgent#dialogStats()}). A 481 or 408 answer to a request in the dialog ends it
 * (§12.2.1.2).
 *
 * <p>Thread-safe. Listeners and handlers run on virtual threads; future dependants never run
 * on transport or timer threads.
 */
public sealed interface Dialog permits ClientDialog, ServerDialog, sip.router.internal.dialog.DialogImpl {

    /** The dialog id; see {@link DialogId#remoteTag()} for when the remote tag is unknown. */
    DialogId id();

    DialogState state();

    /** True when the INVITE went over TLS with a {@code sips} Request-URI (§12.1.1, §12.1.2). */
    boolean isSecure();

    /** Where requests in the dialog go: the peer's Contact, refreshed by target refresh requests. */
    Uri remoteTarget();

    /**
     * The route set (§12.1): the Record-Route of the dialog-creating response, reversed, for the
     * client; the Record-Route of the INVITE, in order, for the server. Fixed once the dialog is
     * confirmed.
     */
    List<NameAddress> routeSet();

    /** The CSeq number of the last request this side sent (or reserved with {@link #newRequest}). */
    long localSequence();

    /** The CSeq number of the last request the peer sent in the dialog; empty before any. */
    OptionalLong remoteSequence();

    /**
     * A request in this dialog, built as RFC 3261 §12.2.1.1 says: Request-URI the remote target
     * and Route the route set, or, when the first route is a strict router (no {@code lr}),
     * Request-URI that route's URI and the remote target last in Route; From and To with the
     * local and remote tags; the Call-ID; CSeq the local sequence plus one, which this call
     * reserves (numbers must increase, not follow each other: an unsent builder leaves a gap).
     * Send it with {@link #request}.
     *
     * @throws IllegalArgumentException for ACK and CANCEL (the dialog layer sends those)
     * @throws IllegalStateException if the dialog is terminated, or has no remote tag yet
     */
    SipRequest.Builder newRequest(Method method);

    /**
     * Sends a request in this dialog (normally built by {@link #newRequest}) in a client
     * transaction, through {@link Client#request}; the dialog follows its outcome: a 2xx to an
     * UPDATE refreshes the remote target; a 481 or 408 ends the dialog ({@link DialogEnd.Reason#GONE}).
     * For a re-INVITE use {@link #reinvite}, which also ACKs and handles glare. A 401/407 is
     * answered (with the user agent's credentials) by a retry that takes the dialog's next CSeq,
     * so no other request of the dialog is given the retry's number (§12.2.1.1).
     *
     * @throws IllegalArgumentException if the request's Call-ID or tags are not this dialog's,
     *     its CSeq is not above every CSeq this dialog already sent, or it is an INVITE
     *     ({@link #reinvite}), BYE ({@link #bye}), ACK or CANCEL
     * @throws IllegalStateException if the dialog is terminated
     */
    ClientTransaction request(SipRequest request);

    /**
     * Ends the dialog with a BYE (§15.1.1); the dialog is terminated once the BYE is sent
     * ({@link DialogEnd.Reason#BYE_SENT}), whatever the answer. A client dialog still pending
     * or early is cancelled instead, and the future completes with the INVITE's final response;
     * if the CANCEL crosses a 2xx (§9.1), the future completes with that 2xx and the dialog
     * layer ACKs it and then ends the call with a BYE of its own (§15; the dialog ends
     * {@link DialogEnd.Reason#BYE_SENT}, and a second {@code bye()} returns that BYE's answer);
     * a server dialog still pending or early rejects its INVITE with {@code 480}, and the future
     * completes with that response. A server dialog whose 2xx is not yet ACKed waits for the
     * ACK (or its 64×T1 deadline) before sending the BYE (§15). Idempotent: a second call
     * returns the first call's future; on a dialog that ended otherwise (the peer's BYE, say)
     * nothing is sent and the future completes at once with a local {@code 481}.
     *
     * @return the response to the BYE (a local 408/503 included); completes normally
     */
    CompletableFuture<SipResponse> bye();

    /**
     * Sends a re-INVITE with {@code body} as the offer (both null: no body, the peer offers in
     * its 2xx and the ACK answers with the last session description this side sent), ACKs its
     * 2xx and refreshes the remote target from the 2xx's Contact (§14.1). A {@code 491} is
     * retried after the §14.1 back-off, on the user agent's {@link Scheduler}: 2.1–4 s in
     * 10 ms steps if this side chose the Call-ID (it sent the initial INVITE), 0–2 s if not; up
     * to 4 retries. A re-INVITE asked for while another INVITE transaction is in progress in the
     * dialog, either way, waits for it to end first.
     *
     * <p>Cancelling the returned future ({@code cancel(true)} or {@code cancel(false)}) cancels
     * the re-INVITE: one still waiting (for another INVITE, or for its §14.1 retry) is never
     * sent; one sent gets a CANCEL once a provisional response arrived (§9.1) and normally ends
     * {@code 487}, leaving the session as it was. A 2xx crossing the CANCEL is still ACKed and
     * the session is then the one it answered (the cancelled future cannot say so: the remote
     * target it carried is applied, and the application, which asked for the change, may
     * re-INVITE again).
     *
     * @return the final response to the (last) re-INVITE; completes normally (unless the
     *     caller cancels it); a 481 or 408 ends the dialog ({@link DialogEnd.Reason#GONE},
     *     with a BYE after a 408)
     * @throws IllegalStateException if the dialog is not confirmed
     */
    CompletableFuture<SipResponse> reinvite(ContentType type, byte[] body);

    /**
     * As {@link #reinvite(ContentType, byte[])}, with {@code beforeAck} called (on the thread
     * handling the response) with the 2xx and the builder of its ACK before that ACK is sent:
     * where the answer to the offer of the 2xx goes after a re-INVITE without one (a late
     * offer), replacing the default (the last session description this side sent). Kept for
     * the retries after a {@code 491}. A hook that throws is logged and the ACK sent as built.
     */
    CompletableFuture<SipResponse> reinvite(ContentType type, byte[] body,
                                            java.util.function.BiConsumer<SipResponse, SipRequest.Builder> beforeAck);

    /**
     * Handles requests with {@code method} the peer sends in this dialog (INFO, UPDATE, MESSAGE,
     * NOTIFY, a re-INVITE...), after the CSeq check and target refresh. BYE, ACK and CANCEL are
     * the dialog layer's and cannot have handlers. A PRACK handler (of a {@link ServerDialog})
     * gets only PRACKs the layer matched to its unacknowledged reliable 1xx, after the
     * retransmissions stopped, and answers them: RFC 3262 §5 offer/answer in the PRACK and its
     * 2xx (without one, the layer answers {@code 200}, or {@code 488} to a PRACK carrying a new
     * offer rather than the answer to the 1xx's). Without a handler here, an INFO
     * or UPDATE goes to the {@link Server}'s handler for its method, else gets the default
     * described in the class comment, else {@code 405}; a request of another method (OPTIONS,
     * MESSAGE...) is dispatched by the server as if there were no dialog, without CSeq check. A handler of a re-INVITE is called only when no
     * other INVITE is in progress; the ACK of its 2xx completes nothing it needs to wait for.
     *
     * @return this dialog
     * @throws IllegalArgumentException for BYE, ACK or CANCEL
     */
    Dialog onRequest(Method method, RequestHandler handler);

    /**
     * Calls {@code listener} with each state this dialog enters from now on (on a virtual
     * thread, one call at a time, in order).
     *
     * @return this dialog
     */
    Dialog onStateChange(Consumer<DialogState> listener);

    /** Completes (normally) when the dialog is terminated, with why. */
    CompletableFuture<DialogEnd> terminated();
}
