package sip.router;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;

/**
 * The dialog of an INVITE this user agent sent ({@link Client#invite}), from the first response
 * on: early on a 1xx with a To tag, confirmed on the 2xx, which the dialog layer ACKs at once
 * (RFC 3261 §13.2.2.4; the transaction layer then re-ACKs each retransmission of that 2xx).
 *
 * <p>Early dialogs: each 1xx To tag (one per forked branch) is an early dialog of its own, in
 * which reliable provisional responses are PRACKed (RFC 3262); this object shows the latest
 * one until the 2xx picks the dialog it becomes. Forks: a 2xx with another To tag than the
 * first (§13.2.2.4) makes a separate confirmed {@link Dialog}, ACKed like the first, then given
 * to the {@link #onFork} listener, or, without one, ended with a BYE. One INVITE makes at most
 * 16 dialogs, early and forked together: a 1xx with yet another To tag is dropped (no PRACK,
 * not passed to {@link #onProvisional}), a 2xx with one is ACKed and nothing more; both are
 * counted in {@link DialogStats#legsRefused()}.
 *
 * <p>PRACK: an INVITE sent through {@link Client#invite} carries {@code Supported: 100rel}
 * unless it already names {@code 100rel} in Supported or Require. Each new reliable
 * provisional response ({@code Require: 100rel} with an {@code RSeq} one higher than the last
 * of its early dialog, or the first) is PRACKed at once in its early dialog with {@code RAck};
 * repeats and out-of-order ones are ignored and not passed to {@link #onProvisional}.
 */
public sealed interface ClientDialog extends Dialog permits sip.router.internal.dialog.ClientDialogImpl {

    /** The INVITE as last sent (with the Via the transaction layer added; after a challenge, the retried one). */
    SipRequest invite();

    /** The INVITE's client transaction (the retried one after a challenge answered by the client). */
    ClientTransaction transaction();

    /**
     * The INVITE's final response: a 2xx once the dialog layer has ACKed it, or the non-2xx
     * (a local 408/503 included, as for {@link ClientTransaction#response()}). Completes
     * normally, on a virtual thread. Forks do not complete it again.
     */
    CompletableFuture<SipResponse> answered();

    /**
     * Calls {@code listener} with each provisional response passed up (reliable ones once,
     * unreliable ones as they come), on a virtual thread, one at a time, in order; those that
     * arrived before this call (up to 32) are replayed first while the INVITE has no final
     * response (they are let go with it).
     *
     * @return this dialog
     */
    ClientDialog onProvisional(Consumer<SipResponse> listener);

    /**
     * Keeps forked 2xx responses (§13.2.2.4): each extra dialog, already ACKed, is given to
     * {@code listener} instead of being ended with a BYE. Set it before the INVITE can be
     * answered (right after {@link Client#invite}) to be sure no fork is BYEd first.
     *
     * @return this dialog
     */
    ClientDialog onFork(Consumer<Dialog> listener);

    /**
     * Calls {@code hook} (on the thread handling the response) with each reliable provisional
     * response to be PRACKed and the builder of its PRACK, before the PRACK is sent: where the
     * answer to an offer in the 1xx (an INVITE without one), or a new offer, goes (RFC 3262 §5).
     * A hook that throws is logged and the PRACK sent as built. Set it right after
     * {@link Client#invite}, before a 1xx can arrive, as for {@link #onFork}.
     *
     * @return this dialog
     */
    ClientDialog beforePrack(java.util.function.BiConsumer<SipResponse, SipRequest.Builder> hook);

    /**
     * Cancels the INVITE (RFC 3261 §9.1), as {@link ClientTransaction#cancel()} does: once a
     * provisional response has arrived, never if a final response arrived first. The INVITE
     * then normally ends with {@code 487} ({@link DialogEnd.Reason#CANCELLED}).
     */
    void cancel();

    /** As {@link Dialog#onRequest}, returning this dialog. */
    @Override
    ClientDialog onRequest(sip.message.Method method, RequestHandler handler);

    /** As {@link Dialog#onStateChange}, returning this dialog. */
    @Override
    ClientDialog onStateChange(java.util.function.Consumer<DialogState> listener);
}
