package sip.router.internal.dialog;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import sip.message.ContentType;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.DialogEnd;
import sip.router.DialogEndedException;
import sip.router.DialogState;
import sip.router.Scheduler;
import sip.router.ServerDialog;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;

/**
 * The dialog of an INVITE received (RFC 3261 §12.1.1, §13.3): answered through it, with
 * reliable provisional responses (RFC 3262 §3) and the wait for the ACK of its 2xx. Its To tag
 * is the server transaction's, known before any response, so the dialog is stored (PENDING)
 * from the start and a PRACK racing its 1xx finds it.
 */
public final class ServerDialogImpl extends DialogImpl implements ServerDialog {

    private final ServerTransaction tx;
    private final SipRequest invite;
    private final boolean reliableTransport;
    private final CompletableFuture<SipRequest> ack = new CompletableFuture<>();
    // ---- monitor
    /** A final response was given (by this dialog, or past it by the layer). */
    private boolean answered;
    /** The reliable provisional response awaiting its PRACK; null if none. */
    private Reliable unacknowledged;
    private long nextRSeq;
    private Scheduler.Timer expiry;
    /** {@link #bye()} was called before the ACK of the 2xx: sent once it arrives (§15). */
    private CompletableFuture<SipResponse> byeAfterAck;

    /** A reliable provisional response and its retransmission (RFC 3262 §3). */
    private static final class Reliable {
        final long rseq;
        final SipResponse response;
        final CompletableFuture<SipRequest> prack = new CompletableFuture<>();
        Duration interval;
        Scheduler.Timer retransmit;
        Scheduler.Timer giveUp;

        Reliable(long rseq, SipResponse response, Duration interval) {
            this.rseq = rseq;
            this.response = response;
            this.interval = interval;
        }

        /** Ends the retransmissions; a PRACK future still waiting fails with {@code why}. */
        void stop(Throwable why) {
            prack.completeExceptionally(why);
            stop();
        }

        void stop() {
            if (retransmit != null) {
                retransmit.cancel();
            }
            if (giveUp != null) {
                giveUp.cancel();
            }
        }
    }

    ServerDialogImpl(Dialogs layer, ServerTransaction tx) {
        super(layer, tx.request().callId(), tx.responseBuilder(180).build().toTag(), tx.request().fromTag(), false,
                tx.request().to(), tx.request().from(), DialogState.PENDING);
        this.tx = tx;
        this.invite = tx.request();
        this.reliableTransport = DialogMessages.protocol(tx.flow()).reliable();
        synchronized (this) {
            remoteTarget = DialogMessages.contactOr(invite, invite.from().uri());
            routeSet = DialogMessages.recordRoute(invite);
            remoteSeq = invite.cseq().sequence();
            secure = DialogMessages.secure(invite.requestUri(), tx.flow());
            InDialogRequests.heard(this, invite);
        }
        // Whoever waits for the ACK learns that none will come (the javadoc's acked().join()).
        terminated().thenAccept(e -> ack.completeExceptionally(
                new DialogEndedException(e, "dialog " + key + " ended (" + e.reason() + ") without the ACK")));
    }

    /** Follows a CANCEL, and bounds the wait for an answer. */
    void start() {
        tx.onCancel(cancel -> {
            stopReliable();
            terminate(DialogEnd.Reason.CANCELLED, 487);
        });
        // The transaction answers 408 itself at the handler timeout; a little later, this
        // dialog makes sure it ended (and answers itself if the transaction somehow did not).
        Duration after = layer.inviteHandlerTimeout().plus(layer.timers().t1());
        synchronized (this) {
            expiry = layer.schedule(after, this::expire);
        }
    }

    @Override
    public SipRequest invite() {
        return invite;
    }

    @Override
    public ServerTransaction transaction() {
        return tx;
    }

    @Override
    public CompletableFuture<SipRequest> acked() {
        return ack.copy();
    }

    @Override
    public void respond(int code) throws IOException {
        respond(code, null, null);
    }

    @Override
    public void respond(int code, ContentType type, byte[] body) throws IOException {
        if (code <= 100 || code > 699) {
            throw new IllegalArgumentException("a dialog answers with 101-699, not " + code);
        }
        if (code < 200 && DialogMessages.requires(invite, DialogMessages.REL_100)) {
            respondReliably(code, type, body); // RFC 3262 §3: the caller requires them reliable
            return;
        }
        SipResponse.Builder b = tx.responseBuilder(code);
        if (body != null) {
            b.body(Objects.requireNonNull(type, "type"), body);
        }
        send(b.build());
    }

    @Override
    public void respond(SipResponse response) throws IOException {
        Objects.requireNonNull(response, "response");
        if (response.statusCode() <= 100) {
            throw new IllegalArgumentException("a dialog answers with 101-699, not " + response.statusCode());
        }
        if (response.statusCode() < 200 && DialogMessages.requires(invite, DialogMessages.REL_100)) {
            throw new IllegalStateException("the INVITE requires 100rel: send " + response.statusCode()
                    + " with respondReliably (RFC 3262 §3)");
        }
        send(response);
    }

    /** Sends a response to the INVITE, moving the dialog first (an ACK or PRACK may race it). */
    private void send(SipResponse r) throws IOException {
        int code = r.statusCode();
        Reliable stopped = null;
        synchronized (this) {
            if (code / 100 == 2 && unacknowledged != null && unacknowledged.response.bodyLength() > 0) {
                throw new IllegalStateException("reliable " + unacknowledged.response.statusCode() + " with a session"
                        + " description (RSeq " + unacknowledged.rseq + ") is not PRACKed yet: no 2xx before"
                        + " its PRACK (RFC 3262 §3); wait for respondReliably's future");
            }
            if (!answered && state != DialogState.TERMINATED) {
                if (code < 200) {
                    enter(DialogState.EARLY);
                } else {
                    answered = true;
                    stopped = unacknowledged;
                    unacknowledged = null;
                    cancelExpiry();
                    if (code < 300) {
                        enter(DialogState.CONFIRMED);
                        awaitAck(invite.cseq().sequence());
                    }
                }
                if (code < 300) {
                    InDialogRequests.remember(this, r);
                }
            }
        }
        if (stopped != null) {
            // RFC 3262 §3: a final response ends the retransmissions
            stopped.stop(new IllegalStateException("final " + code + " sent before the PRACK of RSeq " + stopped.rseq));
        }
        try {
            tx.respond(r);
        } catch (TransactionEndedException e) {
            switch (e.reason()) {
                case CANCELLED -> terminate(DialogEnd.Reason.CANCELLED, 487);
                case TIMED_OUT -> terminate(DialogEnd.Reason.EXPIRED, 408);
                case CLOSED -> terminate(DialogEnd.Reason.CLOSED, 503);
                case TRANSPORT_ERROR -> terminate(DialogEnd.Reason.TRANSPORT_FAILURE, 0);
                case ANSWERED -> {
                    // answered already: the dialog stays as that answer left it
                }
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            terminate(DialogEnd.Reason.TRANSPORT_FAILURE, 0);
            throw e;
        }
        if (code >= 300) {
            terminate(DialogEnd.Reason.REJECTED, code);
        }
    }

    @Override
    public CompletableFuture<SipRequest> respondReliably(int code, ContentType type, byte[] body) throws IOException {
        if (code <= 100 || code >= 200) {
            throw new IllegalArgumentException("a reliable provisional response is 101-199, not " + code);
        }
        if ((type == null) != (body == null)) {
            throw new IllegalArgumentException("type and body: both or neither");
        }
        if (!DialogMessages.names(invite, DialogMessages.REL_100)) {
            throw new IllegalStateException("the INVITE names 100rel in neither Supported nor Require (RFC 3262 §3)");
        }
        Reliable rel;
        synchronized (this) {
            if (unacknowledged != null) {
                throw new IllegalStateException("reliable provisional response RSeq " + unacknowledged.rseq
                        + " is not PRACKed yet (RFC 3262 §3)");
            }
            if (nextRSeq == 0) {
                // RFC 3262 §3: a random first value, well below 2^31 - 1 so it never wraps.
                nextRSeq = 1 + ThreadLocalRandom.current().nextLong(1L << 30);
            }
            SipResponse.Builder b = tx.responseBuilder(code)
                    .setHeader(StandardHeader.REQUIRE, DialogMessages.REL_100)
                    .setHeader(StandardHeader.RSEQ, Long.toString(nextRSeq));
            if (body != null) {
                b.body(type, body);
            }
            rel = new Reliable(nextRSeq++, b.build(), layer.timers().t1());
            if (!answered && state != DialogState.TERMINATED) {
                unacknowledged = rel;
                if (!reliableTransport) {
                    rel.retransmit = layer.schedule(rel.interval, () -> retransmit(rel));
                }
                rel.giveUp = layer.schedule(layer.timers().timeout(), () -> noPrack(rel));
            }
        }
        try {
            send(rel.response);
        } catch (IOException | RuntimeException e) {
            rel.stop();
            throw e;
        }
        terminated().thenAccept(e -> rel.prack.completeExceptionally(new DialogEndedException(e,
                "dialog " + key + " ended (" + e.reason() + ") before the PRACK of RSeq " + rel.rseq)));
        return rel.prack.copy();
    }

    /** RFC 3262 §3: resent from T1, doubling, until its PRACK. */
    private void retransmit(Reliable rel) {
        synchronized (this) {
            if (unacknowledged != rel) {
                return;
            }
            rel.interval = rel.interval.multipliedBy(2);
            rel.retransmit = layer.schedule(rel.interval, () -> retransmit(rel));
        }
        try {
            tx.respond(rel.response);
        } catch (IOException | RuntimeException e) {
            LOG.debug("reliable {} of {} not resent: {}", rel.response.statusCode(), key, e.toString());
        }
    }

    /** RFC 3262 §3: no PRACK within 64×T1, the INVITE is rejected with a 5xx. */
    private void noPrack(Reliable rel) {
        synchronized (this) {
            if (unacknowledged != rel) {
                return;
            }
            unacknowledged = null;
            answered = true;
            cancelExpiry();
        }
        rel.stop();
        LOG.info("no PRACK for reliable {} of {} within 64*T1: 504", rel.response.statusCode(), key);
        terminate(DialogEnd.Reason.NO_ACK, 504);
        try {
            tx.respond(504);
        } catch (IOException | RuntimeException e) {
            LOG.debug("504 for {} not sent: {}", key, e.toString());
        }
    }

    @Override
    void onPrack(ServerTransaction prack) throws IOException {
        DialogMessages.RAck rack = DialogMessages.RAck.of(prack.request());
        Reliable rel;
        synchronized (this) {
            rel = unacknowledged;
            if (rel == null || rack == null || rack.rseq() != rel.rseq
                    || rack.cseq() != invite.cseq().sequence() || !rack.method().equals(invite.method().name())) {
                rel = null;
            } else {
                unacknowledged = null;
            }
        }
        if (rel == null) {
            // RFC 3262 §3: a PRACK matching no unacknowledged reliable provisional response.
            InDialogRequests.respond(prack, 481);
            return;
        }
        rel.stop();
        SipRequest p = prack.request();
        sip.router.RequestHandler h = handlerFor(sip.message.Method.PRACK);
        try {
            if (h != null) {
                // RFC 3262 §5: a PRACK may carry an offer (or answer); the application answers it.
                try {
                    h.handle(prack);
                } catch (Exception | Error e) {
                    LOG.warn("PRACK handler of {} failed", key, e);
                    if (!prack.isAnswered()) {
                        InDialogRequests.respond(prack, 500);
                    }
                }
            } else if (p.bodyLength() > 0 && !(invite.bodyLength() == 0 && rel.response.bodyLength() > 0)) {
                // A new offer (not the answer to our 1xx's offer) that nobody handles.
                InDialogRequests.respond(prack, 488);
            } else {
                InDialogRequests.respond(prack, 200);
            }
        } finally {
            synchronized (this) {
                InDialogRequests.heard(this, p);
            }
            rel.prack.complete(p);
        }
    }

    @Override
    void acked(SipRequest ackRequest) {
        CompletableFuture<SipResponse> bye;
        synchronized (this) {
            bye = byeAfterAck;
            InDialogRequests.heard(this, ackRequest);
        }
        ack.complete(ackRequest);
        if (bye != null) {
            super.bye().thenAccept(bye::complete);
        }
    }

    @Override
    public CompletableFuture<SipResponse> bye() {
        boolean reject;
        synchronized (this) {
            reject = state == DialogState.PENDING || state == DialogState.EARLY;
            if (!reject && state == DialogState.CONFIRMED && ackAwaited == invite.cseq().sequence()) {
                if (byeAfterAck == null) {
                    byeAfterAck = new CompletableFuture<>();
                }
                return byeAfterAck; // §15: the callee waits for the ACK (or 64×T1) before its BYE
            }
        }
        if (!reject) {
            return super.bye();
        }
        SipResponse r = tx.responseBuilder(480).build();
        try {
            send(r);
        } catch (IOException | RuntimeException e) {
            LOG.debug("480 for {} not sent: {}", key, e.toString());
        }
        return CompletableFuture.completedFuture(r);
    }

    /** The handler threw: a still unanswered INVITE gets its 500 through the dialog. */
    void handlerFailed() {
        boolean open;
        synchronized (this) {
            open = !answered && state != DialogState.TERMINATED;
        }
        if (open) {
            try {
                respond(500);
            } catch (IOException | RuntimeException e) {
                LOG.debug("500 for {} not sent: {}", key, e.toString());
            }
        }
    }

    /** The handler timeout passed: the transaction answered 408 (or this dialog does now). */
    private void expire() {
        synchronized (this) {
            expiry = null;
            if (answered || state == DialogState.TERMINATED) {
                return;
            }
            answered = true;
        }
        terminate(DialogEnd.Reason.EXPIRED, 408);
        if (!tx.isAnswered()) {
            try {
                tx.respond(408);
            } catch (IOException | RuntimeException e) {
                LOG.debug("408 for {} not sent: {}", key, e.toString());
            }
        }
    }

    @Override
    void byeReceived() {
        boolean open;
        synchronized (this) {
            open = !answered;
            answered = true;
        }
        stopReliable();
        if (open) {
            try {
                tx.respond(487); // §15.1.2: a BYE in an early dialog ends the INVITE
            } catch (IOException | RuntimeException e) {
                LOG.debug("487 for {} not sent: {}", key, e.toString());
            }
        }
    }

    private void stopReliable() {
        Reliable rel;
        synchronized (this) {
            rel = unacknowledged;
            unacknowledged = null;
        }
        if (rel != null) {
            rel.stop();
        }
    }

    private void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }

    @Override
    void ended(DialogEnd.Reason reason) {
        super.ended(reason);
        stopReliable();
        CompletableFuture<SipResponse> bye;
        synchronized (this) {
            cancelExpiry();
            bye = byeAfterAck;
        }
        if (bye != null && !bye.isDone()) {
            // The ACK never came (NO_ACK sent the BYE) or the dialog ended otherwise.
            sendBye(reason, 0).thenAccept(bye::complete);
        }
    }

    @Override
    public ServerDialog onRequest(sip.message.Method method, sip.router.RequestHandler handler) {
        super.onRequest(method, handler);
        return this;
    }

    @Override
    public ServerDialog onStateChange(Consumer<DialogState> listener) {
        super.onStateChange(listener);
        return this;
    }
}
