package sip.interop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import sip.interop.script.SipPeers;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.proxy.Proxy;
import sip.router.proxy.ProxyRequest;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.Target;

/**
 * A Parley {@link Proxy} on 127.0.0.1, UDP and TCP on one port, with a routing written in Java
 * against the public API only: a {@link Routing}, or the targets a function picks (relayed in
 * parallel, Record-Routing). In-dialog requests follow their Route set without the routing, as
 * the proxy does.
 *
 * <p>Timers: T1 250 ms, so a SIPp UAS (T1 500 ms) is not sent the INVITE again before it could
 * answer, and every transaction ends within 16 s (64×T1) — but Timer D is 32 s on UDP, so a
 * branch that got a non-2xx final response over UDP keeps its client transaction that long.
 */
final class RelayingProxy implements AutoCloseable {

    static final SipTimers TIMERS = new SipTimers(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(250));
    /** Past Timer D (32 s), the longest a transaction of these tests lives. */
    static final Duration IDLE_WITHIN = Duration.ofSeconds(60);

    private final UserAgent ua;
    private final Proxy proxy;
    private final int port;

    /** The Java routing: answers or relays each new request, through {@code proxy}. */
    @FunctionalInterface
    interface Routing {
        void route(Proxy proxy, ProxyRequest request) throws Exception;
    }

    /** Relays each new request to {@code route}'s targets with {@code options}. */
    RelayingProxy(Function<ProxyRequest, List<Target>> route, RelayOptions options) throws IOException {
        this((proxy, request) -> proxy.relay(request, route.apply(request), options));
    }

    /** Routes each new request with {@code routing}. */
    RelayingProxy(Routing routing) throws IOException {
        ua = UserAgent.newBuilder().name("parley-interop-proxy").timers(TIMERS)
                .closeTimeout(Duration.ofSeconds(1)).build();
        try {
            // A UDP port alone may have its TCP twin in use: one free for both.
            port = SipPeers.freePort();
            ua.listen("udp", "127.0.0.1:" + port);
            ua.listen("tcp", "127.0.0.1:" + port);
            proxy = Proxy.newBuilder(ua).build();
        } catch (IOException | RuntimeException e) {
            ua.close();
            throw e;
        }
        proxy.onRequest(request -> routing.route(proxy, request));
    }

    /** Relays every new request to {@code target}. */
    static RelayingProxy to(String target) throws IOException {
        Target t = Target.parse(target);
        return new RelayingProxy(request -> List.of(t), RelayOptions.defaults());
    }

    int port() {
        return port;
    }

    ProxyStats stats() {
        return proxy.stats();
    }

    /** What is live once every context, branch and transaction ended, or at the deadline. */
    record Idle(ProxyStats proxy, TransactionStats transactions) {
        boolean isIdle() {
            return proxy.liveContexts() == 0 && proxy.liveBranches() == 0 && transactions.liveTransactions() == 0;
        }
    }

    /** Polls until nothing is live, bounded by {@link #IDLE_WITHIN}; the caller asserts {@link Idle#isIdle()}. */
    Idle awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + IDLE_WITHIN.toNanos();
        Idle idle = new Idle(proxy.stats(), ua.stats());
        while (!idle.isIdle() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            idle = new Idle(proxy.stats(), ua.stats());
        }
        return idle;
    }

    @Override
    public void close() {
        proxy.close();
        ua.close();
    }
}
