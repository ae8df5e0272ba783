package sip.router.internal.proxy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.RetryAfter;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.router.Scheduler;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;
import sip.router.UserAgent;
import sip.router.internal.Settings;
import sip.router.internal.UserAgentImpl;
import sip.router.internal.core.RequestInterceptor;
import sip.router.internal.core.ServerImpl;
import sip.router.internal.transaction.Forwarding;
import sip.router.internal.transaction.TransactionLayer;
import sip.router.internal.transport.TransportLayer;
import sip.router.proxy.Proxy;
import sip.router.proxy.ProxyHandler;
import sip.router.proxy.ProxyRequest;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.transport.spi.Flow;

/**
 * The {@link Proxy}: takes the user agent's traffic through a {@link RequestInterceptor},
 * validates (§16.3, {@link Validation}) and route-processes (§16.4, {@link RouteProcessing})
 * each request on a virtual thread of its own, relays in-dialog requests routed through it,
 * hands the rest to the {@link ProxyHandler}, and runs a {@link RelayContext} per relay.
 */
public final class ProxyImpl implements Proxy {

    private static final Logger log = LoggerFactory.getLogger(ProxyImpl.class);

    final ProxyConfig config;
    final TransactionLayer layer;
    final TransportLayer transport;
    final BranchBuilder branches;
    final Scheduler scheduler;
    final ProxyCounters counters = new ProxyCounters();
    private final Settings settings;
    private final ServerImpl server;
    private final Interceptor interceptor = new Interceptor();
    private final ThreadFactory threads = Thread.ofVirtual().name("sip-proxy-", 0).factory();
    /** Stateless forwards (ACKs) running at once; beyond, an ACK is dropped (the UAC resends). */
    private final Semaphore forwardSlots;
    private volatile ProxyHandler handler = this::relayToRequestUri;

    private ProxyImpl(ProxyConfig config, UserAgentImpl ua) {
        this.config = config;
        this.settings = ua.settings();
        this.layer = ua.transactionLayer();
        this.transport = layer.transport();
        this.server = ua.serverImpl();
        this.scheduler = settings.scheduler();
        this.branches = new BranchBuilder(transport, settings.locator());
        this.forwardSlots = new Semaphore(settings.maxServerTransactions());
    }

    /** Builds the proxy of {@code config} and installs it on its user agent. */
    public static Proxy install(ProxyConfig config) {
        if (!(config.userAgent() instanceof UserAgentImpl ua)) {
            throw new IllegalArgumentException("not a user agent of UserAgent.newBuilder(): " + config.userAgent());
        }
        ProxyImpl proxy = new ProxyImpl(config, ua);
        if (!proxy.server.intercept(null, proxy.interceptor)) {
            throw new IllegalStateException("this user agent has a proxy already: " + ua);
        }
        return proxy;
    }

    @Override
    public UserAgent userAgent() {
        return config.userAgent();
    }

    @Override
    public Proxy onRequest(ProxyHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    @Override
    public ProxyStats stats() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        server.intercept(interceptor, null);
    }

    /** 64×T1: how long a cancelled branch may take to end. */
    Duration timeout() {
        return settings.timers().timeout();
    }

    // ------------------------------------------------------------------ requests

    /** The user agent's traffic, on transport threads: each piece is handed to a virtual thread. */
    private final class Interceptor implements RequestInterceptor {
        @Override
        public void onRequest(ServerTransaction tx) {
            if (tx instanceof Forwarding f) {
                f.forwardResponses(); // before a CANCEL can find the transaction
            }
            Arrival arrival = new Arrival(ProxyImpl.this, tx);
            if (tx.request().method().equals(Method.INVITE)) {
                tx.onCancel(c -> arrival.onCancel());
            }
            threads.newThread(() -> dispatch(arrival)).start();
        }

        @Override
        public void onAck(SipRequest ack, Flow flow) {
            if (!forwardSlots.tryAcquire()) {
                log.debug("ACK dropped, every forwarding slot busy (Call-ID {})", ack.header(StandardHeader.CALL_ID));
                return;
            }
            threads.newThread(() -> {
                try {
                    forwardAck(ack);
                } finally {
                    forwardSlots.release();
                }
            }).start();
        }

        @Override
        public void onStrayResponse(SipResponse response, Flow flow) {
            boolean inviteOk;
            try {
                inviteOk = response.statusCode() / 100 == 2 && response.cseq().method().equals(Method.INVITE);
            } catch (SipParseException e) {
                return;
            }
            if (inviteOk) {
                threads.newThread(() -> forwardStatelessly(response.toBuilder().removeFirst(HeaderType.VIA).build()))
                        .start();
            }
        }
    }

    private void dispatch(Arrival arrival) {
        ServerTransaction tx = arrival.tx;
        SipRequest received = tx.request();
        try {
            Optional<Validation.Rejection> syntax = Validation.syntax(received);
            if (syntax.isPresent()) {
                reject(tx, syntax.get());
                return;
            }
            RouteProcessing.Routed routed;
            String hash;
            try {
                routed = RouteProcessing.process(received, transport::isLocal);
                hash = LoopHash.of(routed.request());
            } catch (SipParseException e) {
                reject(tx, new Validation.Rejection(e.error().status(), null));
                return;
            }
            Optional<Validation.Rejection> rejection = Validation.check(received, routed.request(),
                    config.loopDetection() ? hash : null, transport::isLocal, config.supported());
            if (rejection.isPresent()) {
                reject(tx, rejection.get());
                return;
            }
            arrival.loopHash = hash;
            IncomingRequest request = new IncomingRequest(routed.request(), arrival);
            if (routed.toUs() && received.toTag() != null) {
                // Inside a dialog this proxy record-routed: on along the route set, no handler.
                relay(request, List.of(Target.of(routed.request().requestUri())),
                        RelayOptions.newBuilder().recordRoute(false).build());
                return;
            }
            handler.handle(request);
        } catch (TransactionEndedException e) {
            log.debug("request handler of {} outlived its transaction (Call-ID {}): {}", received.method(),
                    received.header(StandardHeader.CALL_ID).orElse("?"), e.reason());
        } catch (Throwable e) {
            log.warn("proxying {} failed (Call-ID {})", received.method(),
                    received.header(StandardHeader.CALL_ID).orElse("?"), e);
            if (!arrival.isRelayed() && !tx.isAnswered()) {
                respondQuietly(tx, tx.responseBuilder(500).build());
            }
        }
    }

    private void reject(ServerTransaction tx, Validation.Rejection r) throws IOException {
        counters.rejected.increment();
        if (r.code() == 482) {
            counters.loops.increment();
        }
        SipResponse.Builder b = tx.responseBuilder(r.code()).status(r.status());
        if (r.unsupported() != null) {
            b.setHeader(StandardHeader.UNSUPPORTED, r.unsupported());
        }
        tx.respond(b.build());
    }

    /**
     * The default routing: relay to the Request-URI; a request to this proxy itself (no Route
     * left, the Request-URI naming one of its listeners) is answered {@code 200} for OPTIONS and
     * {@code 404} otherwise, as relaying it would only loop.
     */
    private void relayToRequestUri(ProxyRequest request) throws IOException {
        SipRequest r = request.request();
        if (r.requestUri() instanceof SipUri u && !r.hasHeader(StandardHeader.ROUTE) && transport.isLocal(u)) {
            ServerTransaction tx = request.transaction();
            tx.respond(tx.responseBuilder(r.method().equals(Method.OPTIONS) ? 200 : 404).build());
            return;
        }
        relay(request, r.requestUri());
    }

    // ------------------------------------------------------------------ relay

    @Override
    public CompletableFuture<RelayOutcome> relay(ProxyRequest request, Uri... targets) {
        return relay(request, Arrays.stream(targets).map(Target::of).toList(), RelayOptions.defaults());
    }

    @Override
    public CompletableFuture<RelayOutcome> relay(ProxyRequest request, List<Target> targets, RelayOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        List<Target> list = List.copyOf(targets);
        if (!(request instanceof IncomingRequest in) || in.arrival.owner != this) {
            throw new IllegalArgumentException("not a request of this proxy: " + request);
        }
        Arrival arrival = in.arrival;
        ServerTransaction tx = arrival.tx;
        if (!arrival.startRelay()) {
            return CompletableFuture.completedFuture(new RelayOutcome.NotSent("cancelled before the relay (487 sent)"));
        }
        if (tx.isAnswered()) {
            return CompletableFuture.completedFuture(new RelayOutcome.NotSent("answered already"));
        }
        if (counters.liveContexts.incrementAndGet() > config.maxContexts()) {
            counters.liveContexts.decrementAndGet();
            counters.overloaded.increment();
            SipResponse busy = tx.responseBuilder(503)
                    .set(HeaderType.RETRY_AFTER, RetryAfter.of(settings.retryAfter().toSeconds())).build();
            return answered(tx, busy, RelayOutcome.Cause.OVERLOADED);
        }
        counters.relayed.increment();
        if (list.isEmpty()) {
            counters.liveContexts.decrementAndGet();
            counters.failed.increment();
            return answered(tx, tx.responseBuilder(480).build(), RelayOutcome.Cause.NO_TARGETS);
        }
        if (tx instanceof Forwarding f) {
            f.relayStarted();
        }
        boolean recordRoute = options.recordRoute().orElse(config.recordRoute())
                && !in.request().method().equals(Method.REGISTER);
        RelayContext context = new RelayContext(this, arrival, in.request(), options, recordRoute);
        boolean cancelled = arrival.relaying(context);
        context.start(list);
        if (cancelled) {
            context.cancel();
        }
        return context.outcome();
    }

    private static CompletableFuture<RelayOutcome> answered(ServerTransaction tx, SipResponse response,
                                                            RelayOutcome.Cause cause) {
        return CompletableFuture.completedFuture(respondQuietly(tx, response)
                ? new RelayOutcome.Answered(response, cause)
                : new RelayOutcome.NotSent("the server transaction took no more responses"));
    }

    private static boolean respondQuietly(ServerTransaction tx, SipResponse response) {
        try {
            tx.respond(response);
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("{} not sent: {}", response.statusCode(), e.toString());
            return false;
        }
    }

    // ------------------------------------------------------------------ stateless

    /**
     * An ACK no transaction absorbed (§16.11): route-processed and forwarded statelessly when its
     * route set names this proxy or its Request-URI is elsewhere; dropped when it is for this
     * proxy itself or has no hops left.
     */
    private void forwardAck(SipRequest ack) {
        try {
            RouteProcessing.Routed routed = RouteProcessing.process(ack, transport::isLocal);
            SipRequest r = routed.request();
            if (!routed.toUs() && r.requestUri() instanceof SipUri u && transport.isLocal(u)) {
                log.debug("ACK for this proxy itself dropped (Call-ID {})", ack.callId());
                return;
            }
            if (r.maxForwards().orElse(70) <= 0) {
                log.debug("ACK dropped, Max-Forwards 0 (Call-ID {})", ack.callId());
                return;
            }
            layer.sendStateless(BranchBuilder.statelessCopy(r));
            counters.statelessForwarded.increment();
        } catch (IOException | RuntimeException e) {
            log.info("ACK not forwarded (Call-ID {}): {}", ack.header(StandardHeader.CALL_ID).orElse("?"),
                    e.toString());
        }
    }

    /** A 2xx (its Via for us already removed) sent on to its next Via without a transaction. */
    void forwardStatelessly(SipResponse response) {
        try {
            if (response.vias().isEmpty()) {
                return;
            }
            transport.sendResponse(response, null);
            counters.statelessForwarded.increment();
        } catch (IOException | RuntimeException e) {
            log.info("{} not forwarded statelessly (Call-ID {}): {}", response.statusCode(),
                    response.header(StandardHeader.CALL_ID).orElse("?"), e.toString());
        }
    }

    @Override
    public String toString() {
        return "Proxy[" + config.userAgent() + "]";
    }
}
