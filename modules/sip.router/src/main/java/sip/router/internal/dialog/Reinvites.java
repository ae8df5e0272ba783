package sip.router.internal.dialog;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.RetryAfter;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.RequestHandler;
import sip.router.ServerTransaction;

/**
 * Re-INVITEs of one dialog, both ways (RFC 3261 §14): at most one INVITE transaction in progress
 * in the dialog; ours waits while one is; the peer's gets {@code 491} while ours is pending and
 * {@code 500} with {@code Retry-After} while its previous one is unanswered (§14.2); our
 * {@code 491} is retried after the §14.1 back-off. Target refresh on the 2xx either way. Shares
 * the dialog's monitor.
 */
final class Reinvites {

    /** Retries after 491 before the 491 is given to the caller. */
    static final int MAX_RETRIES = 4;

    private final DialogImpl dialog;
    // ---- dialog monitor
    /** Our re-INVITE has no final response yet. */
    private boolean outgoing;
    /** Our re-INVITE met a 491 and its retry is scheduled: it goes before any queued one. */
    private boolean retrying;
    /** The peer's re-INVITE, until it is answered. */
    private ServerTransaction incoming;
    /** Our re-INVITEs waiting for the one in progress to end. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    Reinvites(DialogImpl dialog) {
        this.dialog = dialog;
    }

    CompletableFuture<SipResponse> start(ContentType type, byte[] body, BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        if ((type == null) != (body == null)) {
            throw new IllegalArgumentException("type and body: both or neither");
        }
        synchronized (dialog) {
            if (dialog.state != DialogState.CONFIRMED) {
                throw new IllegalStateException("re-INVITE needs a confirmed dialog; " + dialog.key + " is " + dialog.state);
            }
        }
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        attempt(type, body == null ? null : body.clone(), 0, result, beforeAck);
        return result;
    }

    private void attempt(ContentType type, byte[] body, int retries, CompletableFuture<SipResponse> result,
                         BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        SipRequest invite;
        Object[] before;
        if (result.isCancelled()) {
            next(); // cancelled while it waited (or before its retry): never sent
            return;
        }
        synchronized (dialog) {
            if (dialog.state != DialogState.TERMINATED && busy()) {
                waiting.add(() -> attempt(type, body, retries, result, beforeAck));
                return;
            }
            SipRequest.Builder b = dialog.build(Method.INVITE, ++dialog.localSeq);
            if (body != null) {
                b.body(type, body);
            }
            invite = b.build();
            if (dialog.state == DialogState.TERMINATED) {
                result.complete(SipResponse.forRequest(invite, 481));
                return;
            }
            outgoing = true;
            before = new Object[] {dialog.lastType, dialog.lastBody};
            InDialogRequests.remember(dialog, invite);
        }
        ClientTransaction tx = dialog.transact(invite);
        // The caller's cancel(...) of the future CANCELs the re-INVITE (§9.1: once a
        // provisional response arrived; the transaction sends it then).
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                tx.cancel();
            }
        });
        Object[] was = before;
        tx.response().thenAccept(r -> {
            if (r.statusCode() >= 300) {
                synchronized (dialog) {
                    // A refused offer leaves the session as it was (RFC 3261 §14.1).
                    dialog.lastType = (ContentType) was[0];
                    dialog.lastBody = (byte[]) was[1];
                }
            }
            answered(tx, r, body == null, retries, result, beforeAck);
        });
    }

    private void answered(ClientTransaction tx, SipResponse r, boolean lateOffer, int retries,
                          CompletableFuture<SipResponse> result, BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        SipRequest sent = tx.request();
        dialog.sent(sent.cseq().sequence());
        int code = r.statusCode();
        if (code / 100 == 2) {
            SipRequest.Builder ack;
            synchronized (dialog) {
                dialog.remoteTarget = DialogMessages.contactOr(r, dialog.remoteTarget);
                InDialogRequests.heard(dialog, r);
            }
            ack = dialog.ackFor(sent);
            synchronized (dialog) {
                if (lateOffer && r.bodyLength() > 0 && dialog.lastBody != null) {
                    ack.body(dialog.lastType, dialog.lastBody); // the answer to the 2xx's offer
                }
            }
            try {
                beforeAck.accept(r, ack); // the application's answer to an offer in the 2xx
            } catch (RuntimeException e) {
                DialogImpl.LOG.warn("beforeAck of a re-INVITE of {} failed; ACK sent as built", dialog.key, e);
            }
            SipRequest sentAck = ack.build();
            synchronized (dialog) {
                InDialogRequests.remember(dialog, sentAck);
            }
            dialog.sendStateless(sentAck);
        }
        synchronized (dialog) {
            outgoing = false;
        }
        if (code == 491 && retries < MAX_RETRIES && !result.isCancelled()) {
            Duration wait = backOff(dialog.callIdOwner);
            DialogImpl.LOG.debug("re-INVITE of {} met glare (491): retry in {}", dialog.key, wait);
            synchronized (dialog) {
                retrying = true;
            }
            dialog.layer.schedule(wait, () -> retry(sent, retries + 1, result, beforeAck));
            return;
        }
        next();
        if (code == 481) {
            dialog.terminate(DialogEnd.Reason.GONE, 481);
        } else if (code == 408) {
            dialog.sendBye(DialogEnd.Reason.GONE, 408); // §14.1
        }
        result.complete(r);
    }

    /** A retry after 491: the same offer as {@code previous}, with a new CSeq. */
    private void retry(SipRequest previous, int retries, CompletableFuture<SipResponse> result,
                       BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        synchronized (dialog) {
            retrying = false;
        }
        if (previous.bodyLength() > 0 && previous.contentType().isPresent()) {
            attempt(previous.contentType().get(), previous.body(), retries, result, beforeAck);
        } else {
            attempt(null, null, retries, result, beforeAck);
        }
    }

    /**
     * §14.1: 2.1–4 s in units of 10 ms for the owner of the Call-ID (the side that sent the
     * initial INVITE), 0–2 s for the other.
     */
    static Duration backOff(boolean callIdOwner) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return callIdOwner ? Duration.ofMillis(2100 + 10L * random.nextInt(191))
                : Duration.ofMillis(10L * random.nextInt(201));
    }

    /** The peer's re-INVITE (§14.2). */
    void received(ServerTransaction tx) throws Exception {
        SipRequest r = tx.request();
        int refuse = 0;
        RequestHandler h = null;
        synchronized (dialog) {
            if (dialog.state != DialogState.CONFIRMED || outgoing) {
                refuse = 491;
            } else if (incomingBusy()) {
                refuse = 500;
            } else {
                incoming = tx;
                h = dialog.handlerFor(Method.INVITE);
            }
        }
        if (refuse == 491) {
            InDialogRequests.respond(tx, 491);
            return;
        }
        if (refuse == 500) {
            tx.respond(tx.responseBuilder(500)
                    .set(HeaderType.RETRY_AFTER, RetryAfter.of(ThreadLocalRandom.current().nextInt(11))).build());
            return;
        }
        long seq = r.cseq().sequence();
        ServerTransaction observed = new ObservedTransaction(tx, resp -> answering(tx, r, resp), resp -> {
            synchronized (dialog) {
                if (dialog.ackAwaited == seq) {
                    dialog.ackAwaited = -1;
                }
            }
        });
        if (h == null) {
            // Without a handler: a session refresh, answered with what this side offered last.
            observed.respond(InDialogRequests.sessionAnswer(dialog, observed));
            return;
        }
        try {
            h.handle(observed);
        } catch (Exception | Error e) {
            if (!observed.isAnswered()) {
                InDialogRequests.respond(observed, 500);
            }
            throw e;
        }
    }

    /** A final response to the peer's re-INVITE is about to go out. */
    private void answering(ServerTransaction tx, SipRequest invite, SipResponse resp) {
        int code = resp.statusCode();
        if (code < 200) {
            return;
        }
        boolean ok = code / 100 == 2;
        synchronized (dialog) {
            if (incoming == tx) {
                incoming = null;
            }
            if (ok) {
                dialog.remoteTarget = DialogMessages.contactOr(invite, dialog.remoteTarget);
                InDialogRequests.remember(dialog, resp);
                InDialogRequests.heard(dialog, invite);
                dialog.awaitAck(invite.cseq().sequence());
            }
        }
        if (!ok) {
            next();
        }
    }

    /** The peer's re-INVITE still waits for its final response. Monitor held. */
    private boolean incomingBusy() {
        if (incoming != null && incoming.isAnswered()) {
            incoming = null; // answered past us (handler timeout, close)
        }
        return incoming != null;
    }

    /** An INVITE transaction is in progress in the dialog, either way (§14.1). Monitor held. */
    private boolean busy() {
        return outgoing || retrying || incomingBusy() || dialog.ackAwaited >= 0;
    }

    /** Starts the next waiting re-INVITE if none is in progress. */
    void next() {
        Runnable r;
        synchronized (dialog) {
            if (dialog.state != DialogState.TERMINATED && busy()) {
                return;
            }
            r = waiting.poll();
        }
        if (r != null) {
            r.run();
        }
    }

    /** The dialog ended: waiting re-INVITEs complete (with a local 481). */
    void drop() {
        while (true) {
            Runnable r;
            synchronized (dialog) {
                r = waiting.poll();
            }
            if (r == null) {
                return;
            }
            r.run();
        }
    }
}
