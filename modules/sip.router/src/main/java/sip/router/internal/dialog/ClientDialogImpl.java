package sip.router.internal.dialog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.ClientDialog;
import sip.router.ClientTransaction;
import sip.router.Dialog;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.TransactionFailure;

/**
 * The dialog of an INVITE sent (RFC 3261 §12.1.2, §13.2.2): early dialogs per 1xx To tag (this
 * object takes the first, further tags get internal {@link DialogImpl}s), PRACK of reliable
 * provisional responses (RFC 3262 §4), the ACK of the 2xx, forks (§13.2.2.4). Responses arrive
 * one at a time, in order, from the transaction's listener.
 */
public final class ClientDialogImpl extends DialogImpl implements ClientDialog {

    /** Provisional responses kept for late {@link #onProvisional} listeners. */
    private static final int MAX_KEPT_PROVISIONALS = 32;
    /**
     * Dialogs (early or forked, this one included) one INVITE may create: a peer, or anyone who
     * saw the INVITE, could otherwise make each new To tag cost a stored dialog, a PRACK or a BYE.
     */
    static final int MAX_LEGS = 16;

    private final SipRequest initial;
    private final BiConsumer<SipResponse, SipRequest.Builder> beforeAck;
    private final CompletableFuture<SipResponse> answer = new CompletableFuture<>();
    private final SerialCalls provisionalCalls = new SerialCalls();
    private volatile ClientTransaction tx;
    // ---- monitor
    /** Early dialogs of To tags other than this one's. */
    private final Map<String, DialogImpl> earlyLegs = new HashMap<>();
    /** The To tags of the 2xx responses taken (this dialog's and the forks'), at most {@link #MAX_LEGS}. */
    private final Set<String> okTags = new HashSet<>();
    /** Dialogs other than this one created for this INVITE (early legs and forks, ever). */
    private int legsCreated;
    private final List<SipResponse> provisionals = new ArrayList<>();
    private final List<Consumer<SipResponse>> provisionalListeners = new ArrayList<>(1);
    private Consumer<Dialog> forkListener;
    private BiConsumer<SipResponse, SipRequest.Builder> beforePrack;
    private boolean cancelled;

    private ClientDialogImpl(Dialogs layer, SipRequest invite, BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        super(layer, invite.callId(), invite.fromTag(), null, true, invite.from(), invite.to(), DialogState.PENDING);
        this.initial = invite;
        this.beforeAck = beforeAck;
        this.localSeq = invite.cseq().sequence();
        InDialogRequests.remember(this, invite);
    }

    static ClientDialogImpl create(Dialogs layer, SipRequest invite, BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        if (!invite.method().equals(Method.INVITE)) {
            throw new IllegalArgumentException("invite() sends an INVITE, not " + invite.method());
        }
        if (invite.toTag() != null) {
            throw new IllegalArgumentException("an INVITE with a To tag is a re-INVITE: use Dialog.reinvite");
        }
        SipRequest.Builder b = null;
        if (invite.fromTag() == null) {
            b = invite.toBuilder().from(invite.from().withTag(Tags.next()));
        }
        if (!DialogMessages.names(invite, DialogMessages.REL_100)) {
            b = (b != null ? b : invite.toBuilder()).add(HeaderType.SUPPORTED, DialogMessages.REL_100);
        }
        return new ClientDialogImpl(layer, b == null ? invite : b.build(), beforeAck);
    }

    /** Registers this dialog and sends the INVITE. */
    void start() {
        layer.add(this);
        ClientTransaction t;
        try {
            t = transact(initial);
        } catch (RuntimeException e) {
            terminate(DialogEnd.Reason.TRANSPORT_FAILURE, 0);
            throw e;
        }
        tx = t;
        synchronized (this) {
            secure = DialogMessages.secure(initial.requestUri(), t.flow().orElse(null));
        }
        t.onResponse(this::onResponse);
    }

    @Override
    public SipRequest invite() {
        ClientTransaction t = tx;
        return t == null ? initial : t.request();
    }

    @Override
    public ClientTransaction transaction() {
        return tx;
    }

    @Override
    public CompletableFuture<SipResponse> answered() {
        return answer.copy();
    }

    @Override
    public ClientDialog onProvisional(Consumer<SipResponse> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            provisionalListeners.add(listener);
            for (SipResponse r : provisionals) {
                provisionalCalls.submit(() -> listener.accept(r));
            }
        }
        return this;
    }

    @Override
    public ClientDialog onFork(Consumer<Dialog> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            forkListener = listener;
        }
        return this;
    }

    @Override
    public ClientDialog beforePrack(BiConsumer<SipResponse, SipRequest.Builder> hook) {
        Objects.requireNonNull(hook, "hook");
        synchronized (this) {
            beforePrack = hook;
        }
        return this;
    }

    @Override
    public void cancel() {
        synchronized (this) {
            cancelled = true;
        }
        ClientTransaction t = tx;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public CompletableFuture<SipResponse> bye() {
        DialogState s = state();
        if (s == DialogState.PENDING || s == DialogState.EARLY) {
            cancel(); // the caller's way out of an unanswered INVITE (§15)
            return answered();
        }
        return super.bye();
    }

    // ------------------------------------------------------------------ responses

    private void onResponse(SipResponse r) {
        int code = r.statusCode();
        sent(tx.request().cseq().sequence());
        if (code < 200) {
            provisional(r);
        } else if (code < 300) {
            success(r);
        } else {
            failure(r);
        }
    }

    private void provisional(SipResponse r) {
        String tag = r.toTag();
        DialogImpl leg = null;
        if (tag != null && r.statusCode() > 100) {
            synchronized (this) {
                if (state != DialogState.TERMINATED && state != DialogState.CONFIRMED) {
                    leg = earlyDialog(tag, r);
                    if (leg == null) {
                        return; // a To tag beyond MAX_LEGS: no dialog, no PRACK, not passed up
                    }
                    if (leg == this) {
                        InDialogRequests.heard(this, r);
                    }
                }
            }
        }
        if (leg != null && DialogMessages.requires(r, DialogMessages.REL_100) && !prack(leg, r)) {
            return; // a repeat (or out of order): RFC 3262 §4, no PRACK, not passed up
        }
        synchronized (this) {
            if (provisionals.size() < MAX_KEPT_PROVISIONALS && !answer.isDone()) {
                provisionals.add(r);
            }
            for (Consumer<SipResponse> l : provisionalListeners) {
                provisionalCalls.submit(() -> l.accept(r));
            }
        }
    }

    /**
     * The early dialog of {@code tag}: this one (taking the tag if it has none) or another; null
     * when {@code tag} would be one dialog too many for this INVITE. Monitor held.
     */
    private DialogImpl earlyDialog(String tag, SipResponse r) {
        if (remoteTag == null) {
            adopt(tag, r);
            enter(DialogState.EARLY);
            return this;
        }
        if (remoteTag.equals(tag)) {
            return this;
        }
        DialogImpl leg = earlyLegs.get(tag);
        if (leg == null) {
            if (!roomForLeg(tag)) {
                return null;
            }
            leg = leg(tag, r);
            earlyLegs.put(tag, leg);
            synchronized (leg) {
                leg.enter(DialogState.EARLY);
            }
        }
        return leg;
    }

    /** True (counting it) when one more dialog may be created for this INVITE; else counts the refusal. Monitor held. */
    private boolean roomForLeg(String tag) {
        if (legsCreated + 1 >= MAX_LEGS) {
            layer.legRefused();
            LOG.debug("To tag {} of {} beyond {} dialogs per INVITE: ignored", tag, key, MAX_LEGS);
            return false;
        }
        legsCreated++;
        return true;
    }

    /** This dialog takes the To tag, target and route set of {@code r} (§12.1.2). Monitor held. */
    private void adopt(String tag, SipResponse r) {
        var old = key;
        remoteTag = tag;
        key = new sip.router.DialogId(callId, localTag, tag);
        remoteTarget = DialogMessages.contactOr(r, initial.requestUri());
        routeSet = DialogMessages.reversedRecordRoute(r);
        layer.rekey(this, old, key);
    }

    /** A dialog of its own for {@code tag} (another early dialog, or a fork), stored. Monitor held. */
    private DialogImpl leg(String tag, SipResponse r) {
        DialogImpl d = new DialogImpl(layer, callId, localTag, tag, true, localParty, remoteParty, DialogState.PENDING);
        synchronized (d) {
            d.remoteTarget = DialogMessages.contactOr(r, initial.requestUri());
            d.routeSet = DialogMessages.reversedRecordRoute(r);
            d.localSeq = localSeq;
            d.secure = secure;
            d.lastType = lastType;
            d.lastBody = lastBody;
            InDialogRequests.heard(d, r);
        }
        layer.add(d);
        return d;
    }

    /**
     * PRACKs a reliable provisional response in its early dialog {@code leg} when its RSeq is the
     * first or one higher than the last (RFC 3262 §4); false for anything else.
     */
    private boolean prack(DialogImpl leg, SipResponse r) {
        long rseq = DialogMessages.rseq(r);
        if (rseq < 0) {
            return true; // no usable RSeq: taken as unreliable
        }
        SipRequest.Builder b;
        synchronized (leg) {
            if (leg.state == DialogState.TERMINATED || (leg.lastRSeq >= 0 && rseq != leg.lastRSeq + 1)) {
                return false;
            }
            leg.lastRSeq = rseq;
            b = leg.build(Method.PRACK, ++leg.localSeq)
                    .setHeader(StandardHeader.RACK, rseq + " " + r.cseq().sequence() + " " + r.cseq().method());
        }
        BiConsumer<SipResponse, SipRequest.Builder> hook;
        synchronized (this) {
            hook = beforePrack;
        }
        if (hook != null) {
            try {
                hook.accept(r, b); // RFC 3262 §5: the answer to an offer in the 1xx goes here
            } catch (RuntimeException e) {
                LOG.warn("beforePrack failed for {}; PRACK sent as built", leg.key, e);
            }
        }
        SipRequest prack = b.build();
        synchronized (leg) {
            InDialogRequests.remember(leg, prack);
        }
        ClientTransaction p = leg.transact(prack);
        p.response().thenAccept(answer -> leg.sent(p.request().cseq().sequence()));
        return true;
    }

    private void success(SipResponse r) {
        String tag = String.valueOf(r.toTag());
        SipRequest invite = tx.request();
        List<DialogImpl> superseded = List.of();
        DialogImpl fork = null;
        Consumer<Dialog> keep = null;
        boolean first = false;
        boolean extra = false;
        synchronized (this) {
            if (okTags.contains(tag)) {
                return; // a retransmission: the transaction layer re-ACKs it
            }
            if (!okTags.isEmpty() && !earlyLegs.containsKey(tag) && !roomForLeg(tag)) {
                extra = true; // beyond MAX_LEGS: ACKed (§13.2.2.4), no dialog, no BYE
            } else {
                okTags.add(tag);
            }
        }
        if (extra) {
            DialogImpl once = new DialogImpl(layer, callId, localTag, tag, true, localParty, remoteParty,
                    DialogState.PENDING); // never stored: only builds the ACK
            synchronized (once) {
                once.remoteTarget = DialogMessages.contactOr(r, initial.requestUri());
                once.routeSet = DialogMessages.reversedRecordRoute(r);
            }
            ack(once, r, invite);
            return;
        }
        synchronized (this) {
            if (okTags.size() == 1 && state != DialogState.TERMINATED) {
                first = true;
                if (!tag.equals(remoteTag)) {
                    adopt(tag, r);
                }
                // §13.2.2.4: the 2xx sets the target and route set, whatever the 1xx said.
                remoteTarget = DialogMessages.contactOr(r, remoteTarget);
                routeSet = DialogMessages.reversedRecordRoute(r);
                InDialogRequests.heard(this, r);
                superseded = new ArrayList<>(earlyLegs.values());
                earlyLegs.clear();
                provisionals.clear(); // kept for late listeners only while the INVITE is pending
                enter(DialogState.CONFIRMED);
            } else {
                // A fork (§13.2.2.4), or a 2xx after this dialog ended (a CANCEL or close
                // crossing it): a dialog of its own, ACKed, then kept or ended.
                DialogImpl early = earlyLegs.remove(tag);
                if (early != null) {
                    superseded = List.of(early);
                }
                fork = leg(tag, r);
                synchronized (fork) {
                    fork.enter(DialogState.CONFIRMED);
                }
                keep = state == DialogState.TERMINATED ? null : forkListener;
            }
        }
        for (DialogImpl d : superseded) {
            d.terminate(DialogEnd.Reason.EXPIRED, r.statusCode());
        }
        if (first) {
            boolean unwanted;
            synchronized (this) {
                unwanted = cancelled;
            }
            ack(this, r, invite);
            answer.complete(r);
            if (unwanted) {
                // The CANCEL crossed the 2xx (§9.1): the call is up but not wanted.
                bye();
            }
            return;
        }
        answer.complete(r); // no-op unless this dialog ended (close) before its first 2xx
        ack(fork, r, invite);
        if (keep != null) {
            Consumer<Dialog> listener = keep;
            DialogImpl kept = fork;
            Thread.startVirtualThread(() -> listener.accept(kept));
        } else {
            LOG.debug("forked 2xx for {} not wanted: BYE", fork.key);
            fork.bye();
        }
    }

    /** Sends the ACK of the 2xx {@code r} in {@code d} (§13.2.2.4). */
    private void ack(DialogImpl d, SipResponse r, SipRequest invite) {
        SipRequest.Builder b = d.ackFor(invite);
        try {
            beforeAck.accept(r, b);
        } catch (RuntimeException e) {
            LOG.warn("beforeAck failed for {}; ACK sent as built", d.key, e);
        }
        SipRequest ack = b.build();
        synchronized (d) {
            InDialogRequests.remember(d, ack);
        }
        d.sendStateless(ack);
    }

    private void failure(SipResponse r) {
        List<DialogImpl> legs;
        boolean wasCancelled;
        synchronized (this) {
            legs = new ArrayList<>(earlyLegs.values());
            earlyLegs.clear();
            provisionals.clear();
            wasCancelled = cancelled;
        }
        int code = r.statusCode();
        DialogEnd.Reason reason = code == 487 || wasCancelled ? DialogEnd.Reason.CANCELLED : DialogEnd.Reason.REJECTED;
        TransactionFailure why = tx.failure().orElse(null);
        if (why instanceof TransactionFailure.Closed) {
            reason = DialogEnd.Reason.CLOSED;
        } else if (why != null && code == 503) {
            reason = DialogEnd.Reason.TRANSPORT_FAILURE;
        }
        for (DialogImpl d : legs) {
            d.terminate(reason, code);
        }
        terminate(reason, code);
        answer.complete(r);
    }

    @Override
    void close() {
        DialogState s = state();
        if (s != DialogState.PENDING && s != DialogState.EARLY) {
            super.close();
            return;
        }
        ClientTransaction t = tx;
        if (t != null) {
            t.cancel();
        }
        List<DialogImpl> legs;
        synchronized (this) {
            legs = new ArrayList<>(earlyLegs.values());
            earlyLegs.clear();
        }
        for (DialogImpl d : legs) {
            d.terminate(DialogEnd.Reason.CLOSED, 0);
        }
        terminate(DialogEnd.Reason.CLOSED, 0);
    }

    @Override
    public ClientDialog onRequest(sip.message.Method method, sip.router.RequestHandler handler) {
        super.onRequest(method, handler);
        return this;
    }

    @Override
    public ClientDialog onStateChange(Consumer<DialogState> listener) {
        super.onStateChange(listener);
        return this;
    }
}
