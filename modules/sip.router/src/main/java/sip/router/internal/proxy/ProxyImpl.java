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
import sip.message.NameAddress;
import sip.message.RetryAfter;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.router.Destination;
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
    final ProxyKeys keys = new ProxyKeys();
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
        this.branches = new BranchBuilder(transport, keys);
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
        proxy.layer.onUnmatchedCancel(proxy::onUnmatchedCancel);
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
        layer.onUnmatchedCancel(null);
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
            RouteProcessing.Routed routed;
            try {
                routed = RouteProcessing.process(ack, transport::isLocal);
            } catch (RuntimeException e) {
                counters.strayDropped.increment();
                return;
            }
            if (nextHopIsAnAddress(routed.request())) {
                // On this thread, so the ACK leaves before anything that arrived after it on the
                // same flow (the BYE a caller sends right after its ACK is relayed on threads of
                // its own): no lookup can block here, as the next hop needs no DNS.
                forwardAck(ack, flow, routed);
                return;
            }
            if (!forwardSlots.tryAcquire()) {
                log.debug("ACK dropped, every forwarding slot busy (Call-ID {})", ack.header(StandardHeader.CALL_ID));
                return;
            }
            threads.newThread(() -> {
                try {
                    forwardAck(ack, flow, routed);
                } finally {
                    forwardSlots.release();
                }
            }).start();
        }

        @Override
        public void onStrayResponse(SipResponse response, Flow flow) {
            boolean forwardable;
            try {
                Method m = response.cseq().method();
                // A 2xx to INVITE whose transaction ended (RFC 6026), or any response to a CANCEL
                // this proxy forwarded statelessly (§16.10); both only for a branch of ours.
                forwardable = response.statusCode() / 100 == 2 && m.equals(Method.INVITE)
                        || response.statusCode() >= 200 && m.equals(Method.CANCEL);
            } catch (SipParseException e) {
                return;
            }
            if (!forwardable) {
                return;
            }
            if (!keys.verifiesBranch(response)) {
                // Not an answer to a branch of ours (forged, or for a proxy instance before a restart).
                counters.strayDropped.increment();
                log.debug("stray {} dropped: its branch is not one this proxy made (Call-ID {})",
                        response.statusCode(), response.header(StandardHeader.CALL_ID).orElse("?"));
                return;
            }
            if (!forwardSlots.tryAcquire()) {
                log.debug("stray 2xx dropped, every forwarding slot busy (Call-ID {})",
                        response.header(StandardHeader.CALL_ID).orElse("?"));
                return;
            }
            threads.newThread(() -> {
                try {
                    forwardStatelessly(response.toBuilder().removeFirst(HeaderType.VIA).build());
                } finally {
                    forwardSlots.release();
                }
            }).start();
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
            boolean inDialog = received.toTag() != null;
            IncomingRequest request = new IncomingRequest(routed.request(), arrival, inDialog);
            if (inDialog && routed.toUs() && keys.verifies(routed.own(), received)) {
                // Inside a dialog this proxy record-routed (its token proves it): on along the
                // route set, no handler. Anything else with a To tag is the handler's to judge.
                // Towards a peer reached only over its flow (a WebSocket client), over that flow.
                Flow back = keys.flowBack(routed.own(), tx.flow(), received);
                if (back == null ? keys.hasUnusableFlowToken(routed.own(), received) : !transport.isOpen(back)) {
                    flowFailed(tx);
                    return;
                }
                relay(request, List.of(new Target(routed.request().requestUri(), List.of(), back)),
                        RelayOptions.newBuilder().recordRoute(false).build());
                return;
            }
            if (inDialog && routed.toUs() && keys.hasUnusableFlowToken(routed.own(), received)) {
                // A flow token of ours not made by this instance (it restarted: its keys are new):
                // the flow it named cannot be told from a forged one, and is gone anyway.
                flowFailed(tx);
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

    /** RFC 5626 §5.3: "If the flow ... no longer exists, the proxy MUST send a 430 (Flow Failed)". */
    private void flowFailed(ServerTransaction tx) throws IOException {
        counters.rejected.increment();
        tx.respond(tx.responseBuilder(430).status(sip.message.Status.of(430, "Flow Failed")).build());
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
     * The default routing: a request to this proxy itself (no Route left, the Request-URI naming
     * one of its listeners) is answered {@code 200} for OPTIONS and {@code 404} otherwise, as
     * relaying it would only loop; one whose Request-URI host is in the configured relay hosts
     * is relayed there; anything else is answered {@code 403}: without routing logic of the
     * application's, the proxy must not relay to whatever host a request names.
     */
    private void relayToRequestUri(ProxyRequest request) throws IOException {
        SipRequest r = request.request();
        ServerTransaction tx = request.transaction();
        if (r.requestUri() instanceof SipUri u && !r.hasHeader(StandardHeader.ROUTE) && transport.isLocal(u)) {
            tx.respond(tx.responseBuilder(r.method().equals(Method.OPTIONS) ? 200 : 404).build());
            return;
        }
        if (!config.mayRelayTo(r.requestUri())) {
            tx.respond(tx.responseBuilder(403).build());
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
        if (MaxBreadth.of(in.request()) == 0) {
            counters.liveContexts.decrementAndGet();
            counters.failed.increment();
            return answered(tx, tx.responseBuilder(440).status(sip.message.Status.of(440, "Max-Breadth Exceeded"))
                    .build(), RelayOutcome.Cause.BREADTH_EXCEEDED);
        }
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
     * An ACK no transaction absorbed (§16.11): route-processed and forwarded statelessly only when
     * route processing removed a Route value of this proxy carrying a valid dialog token (the ACK
     * follows a route set this proxy record-routed); every other one is dropped and counted in
     * {@link ProxyStats#strayDropped}, as is one with no hops left or towards a closed flow. An ACK has no response, so
     * nothing else could tell a forged one from a real one.
     */
    private void forwardAck(SipRequest ack, Flow arrivalFlow, RouteProcessing.Routed routed) {
        try {
            SipRequest r = routed.request();
            if (!routed.toUs() || !keys.verifies(routed.own(), ack)) {
                counters.strayDropped.increment();
                log.debug("ACK dropped: no Route of this proxy with a valid token (Call-ID {})", ack.callId());
                return;
            }
            if (r.maxForwards().orElse(70) <= 0) {
                counters.strayDropped.increment();
                log.debug("ACK dropped, Max-Forwards 0 (Call-ID {})", ack.callId());
                return;
            }
            Flow back = keys.flowBack(routed.own(), arrivalFlow, ack);
            if (back == null ? keys.hasUnusableFlowToken(routed.own(), ack) : !transport.isOpen(back)) {
                // Sent by address, it would open a new connection to the client's old source
                // ip:port, to whoever holds it now: a gone flow is not re-created (RFC 5626 §5.3),
                // and a WebSocket client accepts no connection (RFC 7118 §5). No 430 for an ACK.
                counters.strayDropped.increment();
                log.debug("ACK dropped: its flow is closed (Call-ID {})", ack.callId());
                return;
            }
            layer.sendStateless(BranchBuilder.statelessCopy(r),
                    back == null ? null : Destination.of(back.protocol(), back.remote()));
            counters.statelessForwarded.increment();
        } catch (IOException | RuntimeException e) {
            log.info("ACK not forwarded (Call-ID {}): {}", ack.header(StandardHeader.CALL_ID).orElse("?"),
                    e.toString());
        }
    }

    /** Whether {@code request}'s next hop (a loose Route, else its Request-URI) is an IP literal. */
    private static boolean nextHopIsAnAddress(SipRequest request) {
        List<NameAddress> routes = request.all(HeaderType.ROUTE);
        Uri hop = !routes.isEmpty() && routes.getFirst().uri() instanceof SipUri r && r.isLooseRouting()
                ? r : request.requestUri();
        if (!(hop instanceof SipUri uri)) {
            return false;
        }
        String host = uri.host();
        return uri.isIpv6() || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** A CANCEL matching no server transaction, on the transport thread. */
    private void onUnmatchedCancel(SipRequest cancel, Flow flow) {
        if (!forwardSlots.tryAcquire()) {
            log.debug("CANCEL dropped, every forwarding slot busy (Call-ID {})", cancel.callId());
            return;
        }
        threads.newThread(() -> {
            try {
                forwardCancel(cancel);
            } finally {
                forwardSlots.release();
            }
        }).start();
    }

    /**
     * §16.10: a CANCEL with no response context is forwarded statelessly, after route processing,
     * to where the INVITE it cancels went: along a route set of this proxy when a Route value of
     * ours carries a valid dialog token, else by its Request-URI when that is not this proxy and
     * its host is one of {@link Proxy.Builder#relayHosts} (the default routing's rule: a CANCEL
     * cannot go where an INVITE would not have). A Route naming us without a valid
     * token, a Request-URI naming this proxy, or no hops left: {@code 481} statelessly, as a user
     * agent would (§9.2). Its branch carries our MAC, so the response comes back through
     * {@link Interceptor#onStrayResponse}. Forwarding cannot cancel anything this proxy relayed
     * (that CANCEL matches its context), only what went on statelessly.
     */
    private void forwardCancel(SipRequest cancel) {
        try {
            RouteProcessing.Routed routed = RouteProcessing.process(cancel, transport::isLocal);
            SipRequest r = routed.request();
            boolean allowed = routed.toUs() ? keys.verifies(routed.own(), cancel)
                    : !(r.requestUri() instanceof SipUri u && transport.isLocal(u)) && config.mayRelayTo(r.requestUri());
            if (!allowed || r.maxForwards().orElse(70) <= 0) {
                counters.strayDropped.increment();
                layer.sendStateless(SipResponse.builder(cancel, 481).build());
                return;
            }
            SipRequest copy = BranchBuilder.statelessCopy(r);
            sip.router.internal.transport.OutboundRequest out =
                    transport.prepare(copy, null, keys.branchSuffix(LoopHash.of(r), r));
            out.connection().send(out.bytes());
            counters.statelessForwarded.increment();
        } catch (IOException | RuntimeException e) {
            log.info("CANCEL not forwarded (Call-ID {}): {}", cancel.header(StandardHeader.CALL_ID).orElse("?"),
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
