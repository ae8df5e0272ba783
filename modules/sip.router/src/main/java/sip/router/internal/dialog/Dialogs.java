package sip.router.internal.dialog;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.Method;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Client;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.DialogHandler;
import sip.router.DialogId;
import sip.router.DialogState;
import sip.router.DialogStats;
import sip.router.RequestHandler;
import sip.router.Scheduler;
import sip.router.ServerTransaction;
import sip.router.SipTimers;
import sip.router.internal.Settings;

/**
 * The dialog layer of one user agent: the store of live dialogs by {@link DialogId} with its
 * counts, the creation of client and server dialogs, and the routing of in-dialog requests and
 * ACKs the server core asks it about. Terminated dialogs leave the store at once.
 */
public final class Dialogs {

    private static final Logger LOG = LoggerFactory.getLogger(Dialogs.class);

    /** Methods whose unmatched in-dialog requests get 481 when the application has no handler. */
    private static final Set<Method> OWNED = Set.of(Method.BYE, Method.INVITE, Method.PRACK, Method.INFO,
            Method.UPDATE);

    private final Settings settings;
    private final Client client;
    private final ConcurrentHashMap<DialogId, DialogImpl> live = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger early = new AtomicInteger();
    private final AtomicInteger confirmed = new AtomicInteger();
    private final LongAdder created = new LongAdder();
    private final LongAdder legsRefused = new LongAdder();
    private final Map<DialogEnd.Reason, LongAdder> ended = new EnumMap<>(DialogEnd.Reason.class);

    public Dialogs(Settings settings, Client client) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        for (DialogEnd.Reason r : DialogEnd.Reason.values()) {
            ended.put(r, new LongAdder());
        }
    }

    Client client() {
        return client;
    }

    /** Sends a request of a dialog; a challenge's retry takes its CSeq from {@code nextCSeq}. */
    sip.router.ClientTransaction request(SipRequest request, java.util.function.LongSupplier nextCSeq) {
        if (client instanceof sip.router.internal.core.ClientImpl impl) {
            return impl.requestInDialog(request, nextCSeq);
        }
        return client.request(request);
    }

    SipTimers timers() {
        return settings.timers();
    }

    Duration maxDuration() {
        return settings.maxDialogDuration();
    }

    Duration inviteHandlerTimeout() {
        return settings.inviteHandlerTimeout();
    }

    /** Runs {@code task} after {@code delay} on the user agent's scheduler; failures are logged. */
    Scheduler.Timer schedule(Duration delay, Runnable task) {
        return settings.scheduler().schedule(delay, () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("dialog timer failed", e);
            }
        });
    }

    // ------------------------------------------------------------------ creation

    /** {@link Client#invite(SipRequest, BiConsumer)}. */
    public ClientDialog invite(SipRequest invite, BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(beforeAck, "beforeAck");
        ClientDialogImpl d = ClientDialogImpl.create(this, invite, beforeAck);
        d.start();
        return d;
    }

    /** The INVITE handler {@link sip.router.Server#onDialog} installs. */
    public void serve(ServerTransaction tx, DialogHandler handler) throws Exception {
        if (tx.request().toTag() != null) {
            // An INVITE for a dialog this agent does not have (§12.2.2).
            InDialogRequests.respond(tx, 481);
            return;
        }
        ServerDialogImpl d = new ServerDialogImpl(this, tx);
        add(d);
        d.start();
        try {
            handler.handle(d);
        } catch (Exception | Error e) {
            d.handlerFailed();
            throw e;
        }
    }

    // ------------------------------------------------------------------ routing

    /**
     * The handler of a request with a To tag: its dialog's, a {@code 481} for a dialog-layer
     * method matching no dialog while the application has no handler ({@code serverHandler})
     * for it, or null to dispatch it as usual.
     */
    public RequestHandler route(SipRequest request, RequestHandler serverHandler) {
        DialogImpl d;
        try {
            String toTag = request.toTag();
            if (toTag == null) {
                return null;
            }
            d = live.get(new DialogId(request.callId(), toTag, request.fromTag()));
        } catch (SipParseException e) {
            return null; // the validator answers 400
        }
        // The dialog takes the methods it owns and those it has a handler for; the rest (an
        // OPTIONS, say) is dispatched as if there were no dialog.
        if (d != null && (OWNED.contains(request.method()) || d.handlerFor(request.method()) != null)) {
            return tx -> d.handle(tx, serverHandler);
        }
        if (d != null) {
            return null;
        }
        if (OWNED.contains(request.method()) && serverHandler == null) {
            return tx -> InDialogRequests.respond(tx, 481);
        }
        return null;
    }

    /**
     * An ACK outside a transaction (on a transport thread): true when it belongs to a live
     * dialog, which then takes it.
     */
    public boolean onAck(SipRequest ack) {
        DialogImpl d;
        try {
            String toTag = ack.toTag();
            if (toTag == null) {
                return false;
            }
            d = live.get(new DialogId(ack.callId(), toTag, ack.fromTag()));
        } catch (SipParseException e) {
            return false;
        }
        if (d == null) {
            return false;
        }
        if (!d.awaitsAck(ack)) {
            return true; // a re-ACK or stray: consumed here, no thread started for it
        }
        // Called on a transport thread: what the ACK sets off (the acked() dependants, a BYE
        // or re-INVITE waiting for it) runs on a virtual thread of its own.
        Thread.startVirtualThread(() -> {
            try {
                d.onAck(ack);
            } catch (RuntimeException e) {
                LOG.warn("ACK for dialog {} failed", d.key, e);
            }
        });
        return true;
    }

    // ------------------------------------------------------------------ the store

    void add(DialogImpl d) {
        DialogState s;
        DialogId key;
        synchronized (d) {
            s = d.state;
            key = d.key;
        }
        live.put(key, d);
        counter(s).incrementAndGet();
        created.increment();
    }

    void rekey(DialogImpl d, DialogId old, DialogId now) {
        live.remove(old, d);
        live.put(now, d);
    }

    void moved(DialogState from, DialogState to) {
        AtomicInteger f = counter(from);
        AtomicInteger t = counter(to);
        if (f != null) {
            f.decrementAndGet();
        }
        if (t != null) {
            t.incrementAndGet();
        }
    }

    void removed(DialogImpl d, DialogId key, DialogState was, DialogEnd.Reason reason) {
        live.remove(key, d);
        AtomicInteger c = counter(was);
        if (c != null) {
            c.decrementAndGet();
        }
        ended.get(reason).increment();
        LOG.debug("dialog {} ended: {}", key, reason);
    }

    /** A To tag beyond {@link ClientDialogImpl#MAX_LEGS} was ignored. */
    void legRefused() {
        legsRefused.increment();
    }

    private AtomicInteger counter(DialogState s) {
        return switch (s) {
            case PENDING -> pending;
            case EARLY -> early;
            case CONFIRMED -> confirmed;
            case TERMINATED -> null;
        };
    }

    public DialogStats stats() {
        Map<DialogEnd.Reason, Long> byReason = new EnumMap<>(DialogEnd.Reason.class);
        ended.forEach((r, n) -> {
            long v = n.sum();
            if (v > 0) {
                byReason.put(r, v);
            }
        });
        return new DialogStats(pending.get(), early.get(), confirmed.get(), created.sum(), byReason,
                legsRefused.sum());
    }

    /** {@link sip.router.UserAgent#close()}, before the transaction layer closes: end every dialog. */
    public void close() {
        for (DialogImpl d : List.copyOf(live.values())) {
            try {
                d.close();
            } catch (RuntimeException e) {
                LOG.warn("ending {} at close failed", d, e);
            }
        }
    }
}
