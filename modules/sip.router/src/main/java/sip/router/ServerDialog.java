package sip.router;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import sip.message.ContentType;
import sip.message.SipRequest;
import sip.message.SipResponse;

/**
 * The dialog of an INVITE this user agent received ({@link Server#onDialog}), answered through
 * it: a 101–199 response creates the early dialog, a 2xx confirms it (RFC 3261 §12.1.1), a
 * 300–699 ends it ({@link DialogEnd.Reason#REJECTED}). Responses carry the dialog's To tag and,
 * from 101 to 299, a Contact where this agent is reached.
 *
 * <pre>{@code
 * ua.server().onDialog(dialog -> {
 *     dialog.respond(180);
 *     dialog.respond(200, ContentType.APPLICATION_SDP, answer);
 *     dialog.acked().join(); // throws (DialogEndedException) if the dialog ended without ACK
 *     ...
 *     dialog.bye();
 * });
 * }</pre>
 *
 * <p>2xx retransmission: the server INVITE transaction resends the 2xx over unreliable
 * transports, from T1 doubling up to T2, until the ACK arrives (§13.3.1.4); if none arrives
 * within 64×T1 the dialog sends a BYE and ends ({@link DialogEnd.Reason#NO_ACK}). The ACK
 * completes {@link #acked()} and is not passed to the {@link Server#onAck} handler.
 */
public sealed interface ServerDialog extends Dialog permits sip.router.internal.dialog.ServerDialogImpl {

    /** The INVITE. */
    SipRequest invite();

    /** The INVITE's server transaction. */
    ServerTransaction transaction();

    /**
     * Answers the INVITE with {@code code} and no body. When the INVITE has {@code Require: 100rel},
     * a 101–199 goes out reliably, as {@link #respondReliably} sends it (RFC 3262 §3), and so
     * is refused while an earlier reliable one is not PRACKed.
     *
     * @throws TransactionEndedException as {@link ServerTransaction#respond(int)}, e.g. after a
     *     CANCEL ({@link DialogEnd.Reason#CANCELLED})
     * @throws IllegalArgumentException for 100 (the transaction sends that itself)
     * @throws IllegalStateException for a 2xx while a reliable provisional response carrying a
     *     session description is not PRACKed (RFC 3262 §3: wait for {@link #respondReliably}'s
     *     future, which fails if no PRACK comes within 64×T1), or a reliable 1xx as above
     * @throws IOException if the transport cannot send it
     */
    void respond(int code) throws IOException;

    /**
     * Answers the INVITE with {@code code} and {@code body} of {@code type} (an SDP offer or answer).
     *
     * @throws TransactionEndedException as {@link #respond(int)}
     * @throws IOException if the transport cannot send it
     */
    void respond(int code, ContentType type, byte[] body) throws IOException;

    /**
     * Answers the INVITE with {@code response}, built from {@code transaction().responseBuilder(code)}
     * (for headers of the application's own); the dialog follows it as for {@link #respond(int)}.
     *
     * @throws IllegalArgumentException for a 100
     * @throws IllegalStateException if it does not answer this INVITE, is a 2xx as refused by
     *     {@link #respond(int)}, or a 101–199 to an INVITE with {@code Require: 100rel} (use
     *     {@link #respondReliably})
     * @throws TransactionEndedException as {@link #respond(int)}
     * @throws IOException if the transport cannot send it
     */
    void respond(SipResponse response) throws IOException;

    /**
     * Sends a reliable provisional response (RFC 3262): {@code Require: 100rel} and an
     * {@code RSeq} (random first value, then one higher each time), resent over unreliable
     * transports from T1, doubling, until its PRACK arrives; the PRACK is answered {@code 200}.
     * Without a PRACK within 64×T1 the INVITE is answered {@code 504} and the dialog ends
     * ({@link DialogEnd.Reason#NO_ACK}). A final response stops the retransmissions. A PRACK
     * carrying a session description (RFC 3262 §5) goes to the dialog's PRACK handler
     * ({@code onRequest(Method.PRACK, ...)}), which answers it (its 2xx carrying the answer to a
     * new offer); see {@link Dialog#onRequest}.
     * {@code type} and {@code body} may both be null.
     *
     * @return completes with the PRACK when it arrives; exceptionally with a
     *     {@link DialogEndedException} if the dialog ends first (no PRACK in 64×T1, a CANCEL, a
     *     BYE, close), or with an {@link IllegalStateException} if a final response ended the
     *     retransmissions before the PRACK
     * @throws IllegalStateException if the INVITE named {@code 100rel} in neither Supported
     *     nor Require, or an earlier reliable provisional response is not yet PRACKed
     * @throws IllegalArgumentException if {@code code} is not 101–199
     * @throws TransactionEndedException as {@link #respond(int)}
     * @throws IOException if the transport cannot send it
     */
    CompletableFuture<SipRequest> respondReliably(int code, ContentType type, byte[] body) throws IOException;

    /**
     * Completes with the ACK of the 2xx; exceptionally, with a {@link DialogEndedException}
     * carrying the {@link DialogEnd}, if the dialog ends without it (no 2xx sent, or no ACK
     * within 64×T1: {@link DialogEnd.Reason#NO_ACK}).
     */
    CompletableFuture<SipRequest> acked();

    /** As {@link Dialog#onRequest}, returning this dialog. */
    @Override
    ServerDialog onRequest(sip.message.Method method, RequestHandler handler);

    /** As {@link Dialog#onStateChange}, returning this dialog. */
    @Override
    ServerDialog onStateChange(java.util.function.Consumer<DialogState> listener);
}
