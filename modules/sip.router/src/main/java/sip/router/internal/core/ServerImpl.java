package sip.router.internal.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.HeaderField;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.AckHandler;
import sip.router.RequestHandler;
import sip.router.Server;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;
import sip.router.internal.Counters;
import sip.router.internal.dialog.Dialogs;
import sip.router.internal.transaction.TransactionUser;
import sip.transport.spi.Flow;

/**
 * The {@link Server}: handler registry and dispatch. Each request gets its own virtual thread,
 * on which it is validated ({@link RequestValidator}) and handed to its handler, so a slow or
 * blocking handler delays nobody else and the transport thread that called
 * {@link #onRequest} returns at once.
 */
public final class ServerImpl implements Server, TransactionUser {

    private static final Logger log = LoggerFactory.getLogger(ServerImpl.class);

    private final ContactSource contactFor;
    private final Semaphore ackSlots;
    private final Counters counters;
    private final ThreadFactory handlerThreads = Thread.ofVirtual().name("sip-handler-", 0).factory();
    private final ThreadFactory ackThreads = Thread.ofVirtual().name("sip-ack-", 0).factory();
    private final ThreadFactory flowThreads = Thread.ofVirtual().name("sip-flow-closed-", 0).factory();
    /** Closed flows not yet told, in close order; at most {@link #MAX_PENDING_FLOWS}. */
    private final Queue<Flow> closedFlows = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingFlows = new AtomicInteger();
    /** Whether a thread is telling {@link #closedFlows}: one at a time. */
    private final AtomicBoolean tellingFlows = new AtomicBoolean();
    /** Handler threads still running, interrupted when close's grace period ends. */
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    /** A proxy taking every request and ACK instead of the handlers, or null. */
    private volatile RequestInterceptor interceptor;
    /** Swapped whole under {@code this}; read without a lock, once per request. */
    private volatile ServerConfig config = ServerConfig.DEFAULT;
    private volatile Dialogs dialogs;

    /**
     * @param contactFor the Contact for a dialog-creating response sent over a flow (the
     *     transaction layer adds {@code Server} to every response)
     * @param maxAckHandlers how many ACK handler calls may run at once; ACKs beyond are dropped
     *     and counted: an ACK needs no answer, and a peer must not be able to start threads
     *     without bound
     * @param counters where dropped ACKs are counted
     */
    public ServerImpl(ContactSource contactFor, int maxAckHandlers, Counters counters) {
        this.contactFor = Objects.requireNonNull(contactFor, "contactFor");
        this.ackSlots = new Semaphore(maxAckHandlers);
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public Server onRequest(Method method, RequestHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (method.equals(Method.ACK)) {
            throw new IllegalArgumentException("ACK has no request handler: use onAck(AckHandler)");
        }
        if (method.equals(Method.CANCEL)) {
            throw new IllegalArgumentException(
                    "CANCEL is answered by the transaction layer: use ServerTransaction.onCancel in the INVITE handler");
        }
        return update(c -> c.withHandler(method, handler));
    }

    /** The dialog layer in-dialog requests and ACKs are offered to first; set once by the user agent. */
    public void dialogs(Dialogs dialogs) {
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
    }

    @Override
    public Server onDialog(sip.router.DialogHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Dialogs d = dialogs;
        if (d == null) {
            throw new IllegalStateException("this server has no dialog layer");
        }
        // The dialog layer implements 100rel (RFC 3262): supported from now on, unless a later
        // supported(...) call leaves it out.
        update(c -> c.supported().stream().anyMatch("100rel"::equalsIgnoreCase) ? c
                : c.withSupported(java.util.stream.Stream.concat(c.supported().stream(),
                        java.util.stream.Stream.of("100rel")).toList()));
        return onRequest(Method.INVITE, (ServerConfig.ServesDialogs) tx -> d.serve(tx, handler));
    }

    @Override
    public Server onDefault(RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return update(c -> c.withFallback(handler));
    }

    @Override
    public Server onAck(AckHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return update(c -> c.withAckHandler(handler));
    }

    @Override
    public Server onFlowClosed(Consumer<Flow> listener) {
        Objects.requireNonNull(listener, "listener");
        return update(c -> c.withFlowClosed(listener));
    }

    /**
     * The most closed flows waiting for the listener; more are dropped with a warning (their
     * bindings then live until they expire). A mass disconnect of this many connections is told
     * one by one, each in well under a millisecond for an in-memory registrar.
     */
    static final int MAX_PENDING_FLOWS = 65_536;

    /**
     * On the transport thread that saw the close: queued, and told on one virtual thread at a
     * time, in close order (a drainer started when none runs, tracked with the handlers so
     * {@link #stopHandlers} interrupts it). Nothing is told once the server is stopping.
     */
    @Override
    public void onFlowClosed(Flow flow) {
        if (config.flowClosed() == null || stopping) {
            return;
        }
        if (pendingFlows.incrementAndGet() > MAX_PENDING_FLOWS) {
            pendingFlows.decrementAndGet();
            log.warn("flow-closed listener {} closes behind: {} not told", MAX_PENDING_FLOWS, flow);
            return;
        }
        closedFlows.add(flow);
        startTellingFlows();
    }

    private void startTellingFlows() {
        if (tellingFlows.compareAndSet(false, true)) {
            flowThreads.newThread(this::tellClosedFlows).start();
        }
    }

    private void tellClosedFlows() {
        Thread self = Thread.currentThread();
        running.add(self);
        try {
            Flow flow;
            while (!stopping && (flow = closedFlows.poll()) != null) {
                pendingFlows.decrementAndGet();
                Consumer<Flow> listener = config.flowClosed();
                try {
                    if (listener != null) {
                        listener.accept(flow);
                    }
                } catch (Throwable e) {
                    log.warn("flow-closed listener failed for {}", flow, e);
                }
            }
        } finally {
            running.remove(self);
            tellingFlows.set(false);
        }
        // A flow queued after the last poll but before the flag was cleared found it set.
        if (!stopping && !closedFlows.isEmpty()) {
            startTellingFlows();
        }
    }

    @Override
    public Server supported(String... optionTags) {
        List<String> tags = new ArrayList<>();
        for (String t : optionTags) {
            if (t == null || t.isEmpty() || !t.chars().allMatch(ServerImpl::isTokenChar)) {
                throw new IllegalArgumentException("an option tag must be a token: '" + t + "'");
            }
            tags.add(t);
        }
        return update(c -> c.withSupported(tags));
    }

    @Override
    public Server accept(String... mediaTypes) {
        List<String> types = mediaTypes(mediaTypes);
        return update(c -> c.withAccepted(types));
    }

    @Override
    public Server produces(String... mediaTypes) {
        List<String> types = mediaTypes(mediaTypes);
        return update(c -> c.withProduced(types));
    }

    private static List<String> mediaTypes(String... mediaTypes) {
        List<String> types = new ArrayList<>();
        for (String t : mediaTypes) {
            int slash = t == null ? -1 : t.indexOf('/');
            if (slash <= 0 || slash == t.length() - 1
                    || !t.chars().allMatch(ch -> ch == '/' || isTokenChar(ch)) || t.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("a media type must be type/subtype: '" + t + "'");
            }
            types.add(t.toLowerCase(Locale.ROOT));
        }
        return types;
    }

    private synchronized Server update(UnaryOperator<ServerConfig> change) {
        config = change.apply(config);
        return this;
    }

    /** The configuration now (tests). */
    ServerConfig config() {
        return config;
    }

    /**
     * Installs {@code next} in place of {@code expected} (null for none): a proxy taking the
     * traffic, or giving it back. False when another one was installed meanwhile.
     */
    public synchronized boolean intercept(RequestInterceptor expected, RequestInterceptor next) {
        if (interceptor != expected) {
            return false;
        }
        interceptor = next;
        return true;
    }

    @Override
    public void onStrayResponse(SipResponse response, Flow flow) {
        RequestInterceptor i = interceptor;
        if (i != null) {
            i.onStrayResponse(response, flow);
        }
    }

    @Override
    public void onRequest(ServerTransaction transaction) {
        Objects.requireNonNull(transaction, "transaction");
        RequestInterceptor i = interceptor;
        if (i != null) {
            i.onRequest(transaction);
            return;
        }
        handlerThreads.newThread(() -> {
            Thread self = Thread.currentThread();
            running.add(self);
            try {
                dispatch(transaction);
            } finally {
                running.remove(self);
            }
        }).start();
    }

    /**
     * The end of close's grace period: interrupts the handlers still running and waits up to
     * {@code patience} for them to return. Their late responses fail with
     * {@link TransactionEndedException} ({@code CLOSED}).
     */
    public void stopHandlers(Duration patience) {
        stopping = true;
        List<Thread> left = new ArrayList<>(running);
        // A handler that closes the agent itself is not interrupted or waited for by its own close.
        left.remove(Thread.currentThread());
        for (Thread t : left) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            for (Thread t : left) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || !t.join(Duration.ofNanos(remaining))) {
                    log.warn("{} request handler(s) still running after close", running.size());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onAck(SipRequest ack, Flow flow) {
        RequestInterceptor i = interceptor;
        if (i != null) {
            i.onAck(ack, flow);
            return;
        }
        Dialogs d = dialogs;
        if (d != null && d.onAck(ack)) {
            return; // the ACK of a 2xx a dialog sent: the dialog's (ServerDialog.acked)
        }
        AckHandler handler = config.ackHandler();
        if (handler == null) {
            log.debug("ACK dropped, no ACK handler (Call-ID {})", callIdOf(ack));
            return;
        }
        if (!ackSlots.tryAcquire()) {
            counters.acksDropped.increment();
            log.debug("ACK dropped, every ACK handler slot busy (Call-ID {})", callIdOf(ack));
            return;
        }
        ackThreads.newThread(() -> {
            try {
                handler.handle(ack, flow);
            } catch (Throwable e) {
                log.warn("ACK handler failed (Call-ID {})", callIdOf(ack), e);
            } finally {
                ackSlots.release();
            }
        }).start();
    }

    private void dispatch(ServerTransaction tx) {
        SipRequest request = tx.request();
        ServerConfig c = config;
        try {
            // A request with a To tag goes to its dialog (or gets 481), see sip.router.Dialog.
            Dialogs d = dialogs;
            RequestHandler inDialog = d == null ? null : d.route(request, c.handlerFor(request.method()));
            Optional<Rejection> rejection = RequestValidator.check(request, c, inDialog != null);
            if (rejection.isPresent()) {
                respond(tx, rejection.get());
                return;
            }
            RequestHandler handler = inDialog != null ? inDialog : c.handlerFor(request.method());
            if (handler == null) { // only OPTIONS passes the validator without a handler
                respond(tx, optionsAnswer(tx, c));
                return;
            }
            handler.handle(new HandlerTransaction(tx, contactFor));
        } catch (TransactionEndedException e) {
            if (e.reason() == TransactionEndedException.Reason.ANSWERED) {
                log.warn("handler of {} answered twice (Call-ID {})", request.method(), callIdOf(request), e);
            } else if (e.reason() == TransactionEndedException.Reason.TRANSPORT_ERROR) {
                log.info("{} could not be answered: an earlier response could not be sent (Call-ID {})",
                        request.method(), callIdOf(request));
            } else {
                // The layer ended the request (CANCEL, timeout, close) while the handler worked.
                log.debug("handler of {} outlived its transaction (Call-ID {}): {}", request.method(),
                        callIdOf(request), e.reason());
            }
        } catch (Throwable e) {
            if (stopping) {
                log.debug("handler of {} stopped by close (Call-ID {}): {}", request.method(), callIdOf(request),
                        e.toString());
            } else {
                log.warn("handling {} failed (Call-ID {})", request.method(), callIdOf(request), e);
            }
            answerError(tx);
        }
    }

    private void respond(ServerTransaction tx, Rejection r) throws IOException {
        SipResponse.Builder b = tx.responseBuilder(r.code()).status(r.status());
        for (HeaderField f : r.headers()) {
            b.setHeader(f.name(), f.value());
        }
        respond(tx, b);
    }

    private void respond(ServerTransaction tx, SipResponse.Builder b) throws IOException {
        tx.respond(b.build());
    }

    /** RFC 3261 §11.2: what this server can do, when the application has no OPTIONS handler. */
    private SipResponse.Builder optionsAnswer(ServerTransaction tx, ServerConfig c) {
        SipResponse.Builder b = tx.responseBuilder(200).setHeader(StandardHeader.ALLOW, c.allow());
        // The builder refuses an empty Accept or Supported (the grammar allows them): leave it out.
        if (!c.accepted().isEmpty()) {
            b.setHeader(StandardHeader.ACCEPT, String.join(", ", c.accepted()));
        }
        if (!c.supported().isEmpty()) {
            b.setHeader(StandardHeader.SUPPORTED, String.join(", ", c.supported()));
        }
        return b;
    }

    private void answerError(ServerTransaction tx) {
        if (tx.isAnswered()) {
            return;
        }
        try {
            respond(tx, tx.responseBuilder(500));
        } catch (IllegalStateException e) {
            // The handler's own final response raced ours; the request is answered either way.
            log.debug("500 not sent, request already answered", e);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot send 500 (Call-ID {})", callIdOf(tx.request()), e);
        }
    }

    static String callIdOf(SipMessage m) {
        return m.header(StandardHeader.CALL_ID).orElse("?");
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-.!%*_+`'~".indexOf(c) >= 0;
    }
}
