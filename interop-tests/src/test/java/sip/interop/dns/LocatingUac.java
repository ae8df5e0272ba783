package sip.interop.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;
import sip.router.ClientTransaction;
import sip.router.UserAgent;
import sip.transport.spi.Flow;

/**
 * A Parley UAC whose requests are routed by its user agent's {@code ServerLocator}: each request
 * here goes to a URI with a host name (or to the Contact of a 2xx, for the ACK and BYE), and
 * what comes back says which flow the transaction layer picked.
 */
final class LocatingUac implements AutoCloseable {

    /**
     * How long one request may take: longer than the slowest chain here (a dead UDP target's
     * Timer B or F, 64×150 ms, then two quick answers), so a stuck request fails, never hangs.
     */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    /** A request sent and its final response. */
    record Exchange(ClientTransaction transaction, SipResponse response) {

        /** The flow of the attempt that got {@link #response}, as {@code "udp:127.0.0.1:...->127.0.0.1:PORT"}. */
        Flow flow() {
            return transaction.flow().orElseThrow(() -> new AssertionError(
                    "no flow for " + transaction.request().method() + ", answered " + describe(response)
                            + transaction.failure().map(f -> " (" + f + ")").orElse("")));
        }

        int status() {
            return response.statusCode();
        }

        /** The status and reason phrase. */
        String describe() {
            return describe(response);
        }

        private static String describe(SipResponse r) {
            return r.statusCode() + " " + r.status().reason();
        }
    }

    private final UserAgent ua;

    /** Takes {@code ua} over (closing it with this) and listens on UDP and TCP on 127.0.0.1. */
    LocatingUac(UserAgent ua) throws IOException {
        this.ua = ua;
        try {
            ua.listen("udp", "127.0.0.1:0");
            ua.listen("tcp", "127.0.0.1:0");
        } catch (IOException | RuntimeException e) {
            ua.close();
            throw e;
        }
    }

    UserAgent userAgent() {
        return ua;
    }

    /** An OPTIONS to {@code target} in {@code callId} with CSeq {@code cseq}. */
    Exchange options(Uri target, String callId, long cseq) throws Exception {
        SipRequest options = ua.client().newRequest(Method.OPTIONS, target).callId(callId).cseq(cseq).build();
        return exchange(ua.client().request(options));
    }

    /**
     * An INVITE (no body: SIPp's scenarios need no SDP) to {@code target} in {@code callId} with
     * CSeq {@code cseq}; a 2xx is ACKed, once, from the response listener.
     */
    Exchange invite(Uri target, String callId, long cseq) throws Exception {
        SipRequest invite = ua.client().newRequest(Method.INVITE, target).callId(callId).cseq(cseq).build();
        ClientTransaction tx = ua.client().request(invite);
        java.util.concurrent.CompletableFuture<SipRequest> ack = new java.util.concurrent.CompletableFuture<>();
        tx.onResponse(response -> {
            // The first 2xx only: the layer resends this ACK itself for a retransmitted 2xx.
            if (response.statusCode() / 100 != 2 || ack.isDone()) {
                return;
            }
            try {
                ack.complete(ua.client().ack(tx.request(), response));
            } catch (IOException | RuntimeException e) {
                ack.completeExceptionally(e);
            }
        });
        Exchange answered = exchange(tx);
        if (answered.status() / 100 == 2) {
            // The peer wants the ACK before the BYE.
            ack.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        return answered;
    }

    /** The BYE of the call {@code invite} set up (RFC 3261 §15.1.1), to the 2xx's Contact. */
    Exchange bye(Exchange invite) throws Exception {
        SipRequest request = invite.transaction().request();
        SipRequest bye = ua.client().newRequest(Method.BYE, invite.response().contacts().getFirst().uri())
                .from(request.from())
                .to(invite.response().to())
                .callId(request.callId())
                .cseq(request.cseq().sequence() + 1)
                .build();
        return exchange(ua.client().request(bye));
    }

    private static Exchange exchange(ClientTransaction tx)
            throws InterruptedException, ExecutionException, TimeoutException {
        return new Exchange(tx, tx.response().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    @Override
    public void close() {
        ua.close();
    }
}
