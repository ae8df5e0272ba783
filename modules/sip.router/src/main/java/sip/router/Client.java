package sip.router;

import java.io.IOException;
import java.util.function.BiConsumer;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;

/**
 * The client side of a {@link UserAgent}: sends requests through client transactions.
 *
 * <pre>{@code
 * SipRequest options = ua.client().newRequest(Method.OPTIONS, SipUri.parse("sip:bob@127.0.0.1:5070")).build();
 * SipResponse answer = ua.client().send(options);          // final response, or a local 408/503
 * }</pre>
 *
 * <p>What {@link #request} adds to a request: a new top Via (transport of the destination,
 * this user agent's sent-by, a fresh {@code z9hG4bK} branch with 96 bits of secure randomness,
 * {@code rport}); a From tag when From has none; {@code Max-Forwards: 70} when absent;
 * {@code User-Agent} when absent; and to an INVITE, SUBSCRIBE or REFER without a Contact, the
 * Contact {@code sip:USER@HOST:PORT} with the Via's sent-by HOST:PORT (so the two always agree,
 * an ephemeral port included when the agent does not listen), {@code ;transport=} unless UDP,
 * and scheme {@code sips} when the Request-URI is {@code sips} (RFC 3261 §8.1.1.8). Routing (RFC 3261 §8.1.2): the first Route's URI when it is a
 * loose router, else the Request-URI, located with the user agent's {@link ServerLocator}; a
 * request larger than the MTU that would go over UDP goes over TCP instead (§18.1.1), and over
 * UDP at its size after all when the peer refuses the TCP connection (a reset or an ICMP error;
 * not a connect timeout, which fails that destination); an open flow to the destination is reused.
 */
public interface Client {

    /**
     * A request builder to {@code target} with every mandatory header filled: From (the user
     * agent's identity with a fresh tag), To ({@code target}), a new Call-ID, CSeq 1 with
     * {@code method}, Max-Forwards 70. No Contact: one is added when the request is sent (see
     * the class comment), unless it has one by then.
     */
    SipRequest.Builder newRequest(Method method, Uri target);

    /**
     * Sends {@code request} in a new client transaction. Never throws for network trouble: that
     * ends the transaction with a synthesized response (see {@link ClientTransaction}).
     *
     * <p>Blocks the calling thread while the destination is located (the {@link ServerLocator},
     * DNS perhaps) and, over TCP or TLS, while the connection is opened; only the wait for
     * responses is asynchronous.
     *
     * <p>The located destinations are tried in order (RFC 3263 §4.3): an attempt that ends with a
     * transport error, Timer B/F or a {@code 503} without {@code Retry-After} is followed by a new
     * client transaction (new branch, same CSeq) to the next one, started on a virtual thread;
     * failed destinations are tried last for {@link UserAgent.Builder#destinationBlockTime}. The
     * transaction returned stands for every attempt (see {@link ClientTransaction}).
     *
     * <p>With {@link UserAgent.Builder#credentials}, 401/407 challenges are answered by sending
     * the request again (CSeq + 1); the transaction returned stands for the whole exchange.
     *
     * @throws IllegalArgumentException for ACK (use {@link #ack} or {@link #sendStateless}) or
     *     CANCEL (use {@link ClientTransaction#cancel()})
     */
    ClientTransaction request(SipRequest request);

    /**
     * As {@link #request(SipRequest)}, to an explicit destination instead of a located one: one
     * attempt, no failover, no block-list.
     */
    ClientTransaction request(SipRequest request, Destination destination);

    /**
     * Sends {@code request} and waits for the final response (a synthesized 408/503 included).
     *
     * @throws InterruptedException if interrupted while waiting; the transaction goes on
     */
    SipResponse send(SipRequest request) throws InterruptedException;

    /**
     * Sends the ACK for a 2xx response to {@code invite}, as {@link #ackFor} builds it, without a
     * body. ACKs for 2xx are not part of the INVITE transaction, but while that transaction is
     * ACCEPTED (until Timer M, RFC 6026) every retransmission of this 2xx (same To tag) that
     * arrives makes the layer resend this same ACK by itself (§13.2.2.4: an ACK for each 2xx);
     * the retransmission is still passed to {@link ClientTransaction#onResponse} listeners.
     *
     * <p>A 2xx with another To tag is a fork: a dialog of its own, which needs its own
     * {@code ack(invite, fork)} (and, if unwanted, its own BYE); it is never ACKed automatically.
     *
     * @return the ACK as sent
     * @throws IOException if it cannot be sent
     */
    SipRequest ack(SipRequest invite, SipResponse ok) throws IOException;

    /**
     * The ACK for a 2xx response to {@code invite} (RFC 3261 §13.2.2.4), unsent: to the response's
     * Contact (through the Route set given by its Record-Route, reversed), same Call-ID, From and
     * To (with tag), CSeq number of the INVITE, the INVITE's credentials. An answer to an offer
     * made in the 2xx (late offer) goes in its body; send it with {@link #sendStateless}, which
     * adds the Via and gives it the same automatic re-ACK as {@link #ack}.
     *
     * @throws IllegalArgumentException if {@code invite} is no INVITE, {@code ok} is no 2xx, or
     *     {@code ok} does not answer {@code invite} (Call-ID or CSeq differ)
     */
    SipRequest.Builder ackFor(SipRequest invite, SipResponse ok);

    /**
     * Sends a message without a transaction. A request gets a Via as {@link #request} adds one and
     * is located the same way; a response is sent per RFC 3261 §18.2.2 to its top Via. An ACK
     * for a 2xx is remembered for re-ACKing as {@link #ack} describes.
     *
     * @throws IOException if it cannot be sent or its destination cannot be resolved
     */
    void sendStateless(SipMessage message) throws IOException;

    /**
     * Sends {@code invite} (an INVITE outside any dialog, normally from {@link #newRequest}) as
     * {@link #request} does and returns its dialog, which follows the responses: early dialogs,
     * PRACK of reliable provisional responses, the ACK of the 2xx (sent by the dialog layer),
     * forks (see {@link ClientDialog}). {@code Supported: 100rel} is added unless Supported or
     * Require already names {@code 100rel}.
     *
     * @throws IllegalArgumentException if {@code invite} is no INVITE or has a To tag (a
     *     re-INVITE goes through {@link Dialog#reinvite})
     */
    default ClientDialog invite(SipRequest invite) {
        return invite(invite, (ok, ack) -> { });
    }

    /**
     * As {@link #invite(SipRequest)}, with {@code beforeAck} called (on the thread that handles
     * the response) with every 2xx — the first and each fork's — and the builder of its ACK
     * before that ACK is sent: where the answer to an offer made in the 2xx goes, for an
     * INVITE sent without one (late offer, RFC 3261 §13.2.1), with
     * {@code ack.body(type, answer)}. An exception it throws is logged and the ACK sent as built.
     */
    ClientDialog invite(SipRequest invite, BiConsumer<SipResponse, SipRequest.Builder> beforeAck);

    /**
     * An INVITE from {@link #newRequest} to {@code target} with {@code body} of {@code type} as
     * its offer (both null: none, a late offer), sent as {@link #invite(SipRequest)} does.
     */
    default ClientDialog invite(Uri target, ContentType type, byte[] body) {
        SipRequest.Builder b = newRequest(Method.INVITE, target);
        if (body != null) {
            b.body(java.util.Objects.requireNonNull(type, "type"), body);
        }
        return invite(b.build());
    }
}
