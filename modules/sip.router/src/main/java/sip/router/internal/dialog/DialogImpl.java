package sip.router.internal.dialog;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.ClientTransaction;
import sip.router.Dialog;
import sip.router.DialogEnd;
import sip.router.DialogId;
import sip.router.DialogState;
import sip.router.RequestHandler;
import sip.router.Scheduler;
import sip.router.ServerTransaction;

/**
 * One dialog's state (RFC 3261 §12) and what either side does in it: requests built per
 * §12.2.1.1, CSeq bookkeeping, BYE, target refresh, the ACK awaited for a 2xx this side sent,
 * the lifetime bound, and termination. Re-INVITE and glare are {@link Reinvites}; requests from
 * the peer are {@link InDialogRequests}. A fork of a client INVITE kept by the application is a
 * plain instance of this class.
 *
 * <p>State lives under the monitor; nothing is sent while holding it.
 */
public sealed class DialogImpl implements Dialog permits ClientDialogImpl, ServerDialogImpl {

    static final Logger LOG = LoggerFactory.getLogger(DialogImpl.class);

    final Dialogs layer;
    final String callId;
    final String localTag;
    /** This side sent the initial INVITE, so chose the Call-ID (§14.1 back-off). */
    final boolean callIdOwner;
    final NameAddress localParty;
    final NameAddress remoteParty;
    final Reinvites reinvites = new Reinvites(this);

    // ---- monitor
    String remoteTag;
    Uri remoteTarget;
    List<NameAddress> routeSet;
    boolean secure;
    long localSeq;
    /** UPDATEs with an offer this side sent that have no final response yet (RFC 3311 §5.2 glare). */
    int updateOffers;
    /** The highest CSeq given to the transaction layer in this dialog (§12.2.1.1: never reused). */
    long sentSeq = -1;
    long remoteSeq = -1;
    DialogState state;
    /** The key this dialog is stored under (its remote tag may change while a client INVITE is early). */
    DialogId key;
    /** The session description this side sent last, for default answers. */
    ContentType lastType;
    byte[] lastBody;
    /** The session description the peer sent last (offer or answer), to tell a refresh from a new offer. */
    byte[] remoteBody;
    /** The CSeq of an INVITE whose 2xx this side sent and whose ACK has not arrived; -1 if none. */
    long ackAwaited = -1;
    /** The RSeq of the last reliable provisional response PRACKed in this early client dialog. */
    long lastRSeq = -1;
    private Scheduler.Timer ackTimer;
    private Scheduler.Timer lifetime;
    private CompletableFuture<SipResponse> byeResult;
    private final Map<Method, RequestHandler> handlers = new HashMap<>(2);
    private final List<Consumer<DialogState>> stateListeners = new ArrayList<>(1);
    // ---- end monitor

    private final SerialCalls calls = new SerialCalls();
    private final CompletableFuture<DialogEnd> end = new CompletableFuture<>();

    DialogImpl(Dialogs layer, String callId, String localTag, String remoteTag, boolean callIdOwner,
               NameAddress localParty, NameAddress remoteParty, DialogState initial) {
        this.layer = Objects.requireNonNull(layer, "layer");
        this.callId = Objects.requireNonNull(callId, "callId");
        this.localTag = Objects.requireNonNull(localTag, "localTag");
        this.remoteTag = remoteTag;
        this.callIdOwner = callIdOwner;
        this.localParty = DialogMessages.untagged(localParty);
        this.remoteParty = DialogMessages.untagged(remoteParty);
        this.state = initial;
        this.key = new DialogId(callId, localTag, remoteTag);
        this.routeSet = List.of();
    }

    // ------------------------------------------------------------------ reading

    @Override
    public synchronized DialogId id() {
        return key;
    }

    @Override
    public synchronized DialogState state() {
        return state;
    }

    @Override
    public synchronized boolean isSecure() {
        return secure;
    }

    @Override
    public synchronized Uri remoteTarget() {
        return remoteTarget;
    }

    @Override
    public synchronized List<NameAddress> routeSet() {
        return routeSet;
    }

    @Override
    public synchronized long localSequence() {
        return localSeq;
    }

    @Override
    public synchronized OptionalLong remoteSequence() {
        return remoteSeq < 0 ? OptionalLong.empty() : OptionalLong.of(remoteSeq);
    }

    @Override
    public CompletableFuture<DialogEnd> terminated() {
        return end.copy();
    }

    // ------------------------------------------------------------------ sending

    @Override
    public SipRequest.Builder newRequest(Method method) {
        Objects.requireNonNull(method, "method");
        if (method.equals(Method.ACK) || method.equals(Method.CANCEL)) {
            throw new IllegalArgumentException(method + " in a dialog is sent by the dialog layer");
        }
        synchronized (this) {
            requireUsable();
            return build(method, ++localSeq);
        }
    }

    private void requireUsable() {
        if (state == DialogState.TERMINATED) {
            throw new IllegalStateException("dialog " + key + " is terminated");
        }
        if (remoteTag == null && remoteTarget == null) {
            throw new IllegalStateException("dialog " + key + " has no response from the peer yet");
        }
    }

    /**
     * A request in this dialog with CSeq {@code seq} (§12.2.1.1). The caller holds the monitor.
     * Strict routing: the first route takes the Request-URI, the remote target goes last.
     */
    final SipRequest.Builder build(Method method, long seq) {
        Uri target = remoteTarget;
        List<NameAddress> routes = routeSet;
        if (!routes.isEmpty() && routes.get(0).uri() instanceof SipUri first && !first.isLooseRouting()) {
            List<NameAddress> rest = new ArrayList<>(routes.subList(1, routes.size()));
            rest.add(NameAddress.of(target));
            routes = rest;
            // §12.2.1.1: parameters not allowed in a Request-URI are stripped (here: method).
            target = first.withoutParameter("method").withHeaders(sip.message.Parameters.EMPTY);
        }
        SipRequest.Builder b = SipRequest.builder(method, target)
                .from(localParty.withTag(localTag))
                .to(remoteTag == null ? remoteParty : remoteParty.withTag(remoteTag))
                .callId(callId)
                .cseq(seq);
        for (NameAddress r : routes) {
            b.add(HeaderType.ROUTE, r);
        }
        return b;
    }

    @Override
    public ClientTransaction request(SipRequest request) {
        Objects.requireNonNull(request, "request");
        Method m = request.method();
        if (m.equals(Method.INVITE) || m.equals(Method.BYE) || m.equals(Method.ACK) || m.equals(Method.CANCEL)) {
            throw new IllegalArgumentException(m + " in a dialog: use reinvite() for INVITE and bye() for BYE;"
                    + " the layer sends ACK and CANCEL");
        }
        synchronized (this) {
            if (!request.callId().equals(callId) || !localTag.equals(request.fromTag())
                    || !Objects.equals(remoteTag, request.toTag())) {
                throw new IllegalArgumentException("request is not in dialog " + key);
            }
            if (state == DialogState.TERMINATED) {
                throw new IllegalStateException("dialog " + key + " is terminated");
            }
            if (request.cseq().sequence() <= sentSeq) {
                throw new IllegalArgumentException("CSeq " + request.cseq().sequence() + " is not above "
                        + sentSeq + ", already sent in dialog " + key + " (§12.2.1.1): build it with newRequest");
            }
            localSeq = Math.max(localSeq, request.cseq().sequence());
        }
        return send(request);
    }

    /** The next CSeq of this dialog, taken (a challenged request's retry asks for one). */
    final synchronized long reserve() {
        sentSeq = ++localSeq;
        return localSeq;
    }

    /**
     * Gives a request of this dialog to the transaction layer, noting its CSeq as used; a retry
     * answering a 401/407 takes a fresh one from {@link #reserve()}.
     */
    final ClientTransaction transact(SipRequest request) {
        synchronized (this) {
            sentSeq = Math.max(sentSeq, request.cseq().sequence());
            localSeq = Math.max(localSeq, sentSeq);
        }
        return layer.request(request, this::reserve);
    }

    /**
     * The ACK of the 2xx to {@code invite} (the INVITE as last sent, so with the CSeq and the
     * credentials of the attempt answered): §13.2.2.4 says it carries the INVITE's credentials.
     */
    final SipRequest.Builder ackFor(SipRequest invite) {
        SipRequest.Builder b;
        synchronized (this) {
            b = build(Method.ACK, invite.cseq().sequence());
        }
        for (sip.message.StandardHeader h : List.of(sip.message.StandardHeader.AUTHORIZATION,
                sip.message.StandardHeader.PROXY_AUTHORIZATION)) {
            for (String v : invite.headerValues(h)) {
                b.addHeader(h, v);
            }
        }
        return b;
    }

    /** Sends a request of this dialog and follows its outcome (§12.2.1.2). */
    final ClientTransaction send(SipRequest request) {
        boolean offer = request.method().equals(Method.UPDATE) && request.bodyLength() > 0;
        if (offer) {
            synchronized (this) {
                updateOffers++;
            }
        }
        ClientTransaction tx;
        try {
            tx = transact(request);
        } catch (RuntimeException e) {
            if (offer) {
                synchronized (this) {
                    updateOffers--;
                }
            }
            throw e;
        }
        tx.response().thenAccept(r -> {
            if (offer) {
                synchronized (this) {
                    updateOffers--;
                }
            }
            outcome(tx, r);
        });
        return tx;
    }

    private void outcome(ClientTransaction tx, SipResponse r) {
        SipRequest sent = tx.request();
        sent(sent.cseq().sequence());
        int code = r.statusCode();
        if (code == 481 || code == 408) {
            terminate(DialogEnd.Reason.GONE, code);
        } else if (code == 503 && tx.failure().isPresent()) {
            terminate(DialogEnd.Reason.TRANSPORT_FAILURE, code);
        } else if (code / 100 == 2 && sent.method().equals(Method.UPDATE)) {
            synchronized (this) {
                remoteTarget = DialogMessages.contactOr(r, remoteTarget);
                InDialogRequests.remember(this, sent);
                InDialogRequests.heard(this, r);
            }
        }
    }

    /** A request with {@code seq} went out (a challenge answered by the client raises it). */
    final synchronized void sent(long seq) {
        localSeq = Math.max(localSeq, seq);
    }

    /** Sends an ACK (or other request without a transaction); failures are logged. */
    final void sendStateless(SipRequest request) {
        try {
            layer.client().sendStateless(request);
        } catch (IOException | RuntimeException e) {
            LOG.info("{} for dialog {} not sent: {}", request.method(), key, e.toString());
        }
    }

    @Override
    public CompletableFuture<SipResponse> bye() {
        return sendBye(DialogEnd.Reason.BYE_SENT, 0);
    }

    /**
     * Sends a BYE and terminates with {@code reason}: with {@code status} when non-zero, else
     * with the BYE's final response code. A terminated dialog sends none and answers a local 481.
     */
    final CompletableFuture<SipResponse> sendBye(DialogEnd.Reason reason, int status) {
        SipRequest bye;
        CompletableFuture<SipResponse> result;
        synchronized (this) {
            if (byeResult != null) {
                return byeResult;
            }
            byeResult = result = new CompletableFuture<>();
            bye = build(Method.BYE, ++localSeq).build();
            if (state == DialogState.TERMINATED) {
                result.complete(SipResponse.forRequest(bye, 481));
                return result;
            }
        }
        ClientTransaction tx;
        try {
            tx = transact(bye);
        } catch (RuntimeException e) {
            terminate(reason, status != 0 ? status : 503);
            result.complete(SipResponse.forRequest(bye, 503));
            return result;
        }
        CompletableFuture<SipResponse> answer = tx.response();
        terminate(reason, status != 0 ? CompletableFuture.completedFuture(status) : answer.thenApply(SipResponse::statusCode));
        answer.thenAccept(result::complete);
        return result;
    }

    @Override
    public CompletableFuture<SipResponse> reinvite(ContentType type, byte[] body) {
        return reinvites.start(type, body, (ok, ack) -> { });
    }

    @Override
    public CompletableFuture<SipResponse> reinvite(ContentType type, byte[] body,
                                                   java.util.function.BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        return reinvites.start(type, body, Objects.requireNonNull(beforeAck, "beforeAck"));
    }

    // ------------------------------------------------------------------ handlers, listeners

    @Override
    public Dialog onRequest(Method method, RequestHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (method.equals(Method.BYE) || method.equals(Method.ACK)
                || method.equals(Method.CANCEL)) {
            throw new IllegalArgumentException(method + " in a dialog is handled by the dialog layer");
        }
        synchronized (this) {
            handlers.put(method, handler);
        }
        return this;
    }

    final synchronized RequestHandler handlerFor(Method method) {
        return handlers.get(method);
    }

    @Override
    public Dialog onStateChange(Consumer<DialogState> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            stateListeners.add(listener);
        }
        return this;
    }

    /** Moves to {@code next} and tells the listeners. The caller holds the monitor. */
    final void enter(DialogState next) {
        DialogState was = state;
        if (was == next || was == DialogState.TERMINATED) {
            return;
        }
        state = next;
        layer.moved(was, next);
        for (Consumer<DialogState> l : stateListeners) {
            calls.submit(() -> l.accept(next));
        }
        if (next == DialogState.CONFIRMED) {
            lifetime = layer.schedule(layer.maxDuration(), () -> {
                LOG.info("dialog {} reached its maximum duration: BYE", key);
                sendBye(DialogEnd.Reason.EXPIRED, 0);
            });
        }
    }

    // ------------------------------------------------------------------ the ACK of our 2xx

    /**
     * A 2xx to the INVITE with {@code seq} is being sent: its ACK is awaited for 64×T1 (the
     * transaction layer resends the 2xx meanwhile), then a BYE ends the dialog (§13.3.1.4).
     * The caller holds the monitor.
     */
    final void awaitAck(long seq) {
        ackAwaited = seq;
        Scheduler.Timer old = ackTimer;
        if (old != null) {
            old.cancel();
        }
        ackTimer = layer.schedule(layer.timers().timeout(), () -> noAck(seq));
    }

    private void noAck(long seq) {
        synchronized (this) {
            if (ackAwaited != seq || state == DialogState.TERMINATED) {
                return;
            }
            ackAwaited = -1;
        }
        LOG.info("no ACK for the 2xx of dialog {} within 64*T1: BYE", key);
        sendBye(DialogEnd.Reason.NO_ACK, 0);
    }

    /** True when {@code ack} is the one awaited (cheap: called on a transport thread). */
    final synchronized boolean awaitsAck(SipRequest ack) {
        return ackAwaited >= 0 && ack.cseq().sequence() == ackAwaited;
    }

    /** An ACK in this dialog arrived (consumed: never passed to the application's ACK handler). */
    final void onAck(SipRequest ack) {
        synchronized (this) {
            if (ack.cseq().sequence() != ackAwaited) {
                return; // a retransmitted or stray ACK
            }
            ackAwaited = -1;
            if (ackTimer != null) {
                ackTimer.cancel();
                ackTimer = null;
            }
        }
        acked(ack);
        reinvites.next();
    }

    /** The awaited ACK arrived; no monitor held. */
    void acked(SipRequest ack) {
    }

    // ------------------------------------------------------------------ the end

    /** Ends the dialog now with a known status (0 when none). */
    final boolean terminate(DialogEnd.Reason reason, int status) {
        return terminate(reason, CompletableFuture.completedFuture(status));
    }

    /**
     * Ends the dialog: state, timers, store, listeners at once; {@link #terminated()} completes
     * with {@code status} when it is known (the response to a BYE). False if already ended.
     */
    final boolean terminate(DialogEnd.Reason reason, CompletionStage<Integer> status) {
        DialogState was;
        DialogId storedAs;
        synchronized (this) {
            was = state;
            if (was == DialogState.TERMINATED) {
                return false;
            }
            state = DialogState.TERMINATED;
            storedAs = key;
            for (Scheduler.Timer t : new Scheduler.Timer[] {ackTimer, lifetime}) {
                if (t != null) {
                    t.cancel();
                }
            }
            ackTimer = lifetime = null;
            for (Consumer<DialogState> l : stateListeners) {
                calls.submit(() -> l.accept(DialogState.TERMINATED));
            }
        }
        layer.removed(this, storedAs, was, reason);
        ended(reason);
        status.whenComplete((s, e) -> end.complete(new DialogEnd(reason, s == null ? 0 : s)));
        return true;
    }

    /** Subclasses let go of what they hold; no monitor held. */
    void ended(DialogEnd.Reason reason) {
        reinvites.drop();
    }

    /** {@link sip.router.UserAgent#close()}: BYE a confirmed dialog, end any other. */
    void close() {
        boolean confirmed;
        synchronized (this) {
            confirmed = state == DialogState.CONFIRMED;
        }
        if (confirmed) {
            sendBye(DialogEnd.Reason.CLOSED, 0);
        } else {
            terminate(DialogEnd.Reason.CLOSED, 0);
        }
    }

    // ------------------------------------------------------------------ from the peer

    /** A request from the peer matched this dialog (§12.2.2). */
    final void handle(ServerTransaction tx, RequestHandler serverHandler) throws Exception {
        InDialogRequests.handle(this, tx, serverHandler);
    }

    /** A PRACK arrived: only a server dialog awaits one. */
    void onPrack(ServerTransaction tx) throws IOException {
        InDialogRequests.respond(tx, 481);
    }

    /** A BYE arrived and was accepted; a server dialog ends its unanswered INVITE (§15.1.2). */
    void byeReceived() {
    }

    @Override
    public String toString() {
        return "Dialog[" + id() + " " + state() + "]";
    }
}
