package sip.router.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.VirtualScheduler;
import sip.router.proxy.Proxy;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.Target;
import sip.transport.loopback.Fate;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.loopback.Packet;

/**
 * REVIEW1's review of RFC 3263 §4.3 failover (LocatedTransaction, the proxy's located branches)
 * and the §5 response path. Each test states one property; the findings (F1-F3) failed on the
 * reviewed code and pass since their fixes.
 * The bed is a copy in miniature of sip.router.proxy.ProxyBed (package-private there): agents
 * on the in-memory network, every agent's timers on one virtual clock only the test moves.
 */
@Timeout(60)
class FailoverReviewTest {

    static final InetSocketAddress UAC = new InetSocketAddress("10.0.0.1", 5060);
    static final InetSocketAddress UAS1 = new InetSocketAddress("10.0.0.2", 5060);
    static final InetSocketAddress UAS2 = new InetSocketAddress("10.0.0.3", 5060);
    static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.10", 5060);
    /** Nothing listens here on mem-stream: the connect is refused. */
    static final InetSocketAddress REFUSING = new InetSocketAddress("10.0.0.21", 5060);
    /** Nothing listens here on mem: datagrams are lost, so only Timer B/F ends an attempt. */
    static final InetSocketAddress SILENT = new InetSocketAddress("10.0.0.22", 5060);
    static final SipUri SERVICE = SipUri.parse("sip:bob@svc.test");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final LoopbackNetwork network = LoopbackNetwork.newBuilder().build();
    /** Every {@code mem} datagram sent. */
    private final List<Packet> wire = new CopyOnWriteArrayList<>();
    private final List<UserAgent> agents = new ArrayList<>();
    private final List<Proxy> proxies = new ArrayList<>();

    FailoverReviewTest() {
        network.rule(p -> {
            wire.add(p);
            return Fate.CHANCE;
        });
    }

    @AfterEach
    void close() {
        for (Proxy p : proxies) {
            p.close();
        }
        for (UserAgent ua : agents.reversed()) {
            ua.close();
        }
        network.close();
    }

    // ------------------------------------------------------------------ bed

    private UserAgent agent(String name, InetSocketAddress at, UnaryOperator<UserAgent.Builder> tune,
                            String... protocols) throws IOException {
        UserAgent ua = tune.apply(UserAgent.newBuilder().name(name)
                .transportConfig(network.transportConfig().build())
                .scheduler(clock)
                .closeTimeout(Duration.ZERO))
                .build();
        agents.add(ua);
        for (String p : protocols) {
            ua.listen(p, at.getAddress().getHostAddress() + ":" + at.getPort());
        }
        return ua;
    }

    /** A UAC on mem whose locator sends {@link #SERVICE} to {@code located}. */
    private UserAgent uac(List<Destination> located) throws IOException {
        return agent("uac", UAC, b -> b.serverLocator((uri, protocols) ->
                uri.equals(SERVICE) ? located : ServerLocator.jdk().locate(uri, protocols)), "mem");
    }

    /** A proxy relaying everything to {@link #SERVICE}, which its locator finds at {@code located}. */
    private Proxy proxy(List<Destination> located, RelayOptions options) throws IOException {
        UserAgent ua = agent("proxy", PROXY, b -> b.serverLocator((uri, protocols) ->
                uri.equals(SERVICE) ? located : ServerLocator.jdk().locate(uri, protocols)), "mem", "mem-stream");
        Proxy proxy = Proxy.newBuilder(ua).build();
        proxies.add(proxy);
        proxy.onRequest(req -> proxy.relay(req, List.of(Target.of(SERVICE)), options));
        return proxy;
    }

    private Uas uas(String name, InetSocketAddress at) throws IOException {
        return new Uas(agent(name, at, b -> b.inviteHandlerTimeout(Duration.ofHours(1)), "mem"));
    }

    static final class Uas {
        final UserAgent ua;
        final BlockingQueue<ServerTransaction> requests = new LinkedBlockingQueue<>();

        Uas(UserAgent ua) {
            this.ua = ua;
            ua.server().onDefault(requests::add);
        }

        ServerTransaction take(Method method) throws InterruptedException {
            ServerTransaction tx = requests.poll(10, TimeUnit.SECONDS);
            if (tx == null) {
                fail(ua.name() + ": no request within 10 s");
            }
            assertEquals(method, tx.request().method());
            return tx;
        }
    }

    private SipRequest invite(UserAgent uac, SipUri target) {
        return uac.client().newRequest(Method.INVITE, target)
                .contact(Contact.of(SipUri.of("alice", UAC.getAddress().getHostAddress(), UAC.getPort())
                        .withParameter("transport", "mem")))
                .build();
    }

    private static Destination mem(InetSocketAddress a) {
        return Destination.of("mem", a);
    }

    private void settle() throws InterruptedException {
        if (!network.awaitIdle(Duration.ofSeconds(10))) {
            fail("network not idle within 10 s");
        }
    }

    /** Moves the virtual clock in 250 ms steps, letting the network settle after each. */
    private void advance(Duration by) throws InterruptedException {
        Duration step = Duration.ofMillis(250);
        for (Duration done = Duration.ZERO; done.compareTo(by) < 0; done = done.plus(step)) {
            Duration d = by.minus(done).compareTo(step) < 0 ? by.minus(done) : step;
            clock.advance(d);
            settle();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private List<String> startLines(InetSocketAddress from, InetSocketAddress to) {
        return wire.stream().filter(p -> p.from().equals(from) && p.to().equals(to)).map(Packet::startLine).toList();
    }

    // ------------------------------------------------------------------ findings

    /**
     * RelayOptions#responseTimeout documents that the abandoned branch's "client transaction
     * ends by its own timers (B or F, 64×T1)". For an INVITE the proxy also cancels the
     * LocatedTransaction, which stops its failover; a non-INVITE cannot be cancelled
     * (RelayContext#cancelLeg returns at once), so nothing stops it: 32 s after the caller got
     * the proxy's 408, Timer F on the silent first destination fails over and the request is
     * delivered to the next one — a duplicate the caller has already been told failed (and may
     * well have retried). The same holds for any non-INVITE branch the relay no longer wants
     * (branchTimeout, a parallel fork after another branch's 2xx).
     */
    @Test
    void aNonInviteBranchGivenUpByResponseTimeoutDoesNotFailOverLater() throws Exception {
        proxy(List.of(mem(SILENT), mem(UAS1)), RelayOptions.newBuilder().responseTimeout(Duration.ofSeconds(2)).build());
        UserAgent uac = agent("uac", UAC, b -> b, "mem");
        Uas first = uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(uac.client().newRequest(Method.MESSAGE, SERVICE).build(),
                mem(PROXY));
        settle();
        // The branch's timer is armed once its client transaction exists, which may be after the
        // request reached the wire: the clock must not move before (nothing else is due in 2 s).
        await(() -> clock.pendingDelays().contains(Duration.ofSeconds(2)), "the response timer armed");
        advance(Duration.ofSeconds(3));
        assertEquals(408, tx.response().get(10, TimeUnit.SECONDS).statusCode(), "the branch given up");
        advance(Duration.ofSeconds(40)); // past the abandoned branch's Timer F
        ServerTransaction late = first.requests.poll(2, TimeUnit.SECONDS);
        assertNull(late, "the abandoned branch was sent again to the next destination after the caller got 408: "
                + (late == null ? "" : late.request().topVia()));
    }

    /**
     * A caller of Client.request that gave up on a non-INVITE (a timeout of its own) cannot
     * cancel it; {@link ClientTransaction#stopFailover()} keeps the request from going to the
     * next destination when the current attempt later fails (Timer F), which is then the answer.
     */
    @Test
    void stopFailoverKeepsALocatedRequestFromTheNextDestination() throws Exception {
        UserAgent uac = uac(List.of(mem(SILENT), mem(UAS1)));
        Uas first = uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(uac.client().newRequest(Method.OPTIONS, SERVICE).build());
        settle();
        tx.stopFailover();
        tx.stopFailover(); // idempotent
        advance(Duration.ofSeconds(33)); // past Timer F
        SipResponse answer = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(408, answer.statusCode());
        assertTrue(tx.failure().orElseThrow() instanceof sip.router.TransactionFailure.Timeout, "Timer F's");
        assertEquals(0, uac.stats().failovers());
        assertEquals(1, uac.stats().blockedDestinations(), "the silent destination still counts as failed");
        assertNull(first.requests.poll(500, TimeUnit.MILLISECONDS), "nothing at the next destination");
        assertEquals(0, uac.stats().clientTransactions());
    }

    /** Without it the same request does fail over: what the test above stops. */
    @Test
    void withoutStopFailoverTheSameRequestFailsOverOnTimerF() throws Exception {
        UserAgent uac = uac(List.of(mem(SILENT), mem(UAS1)));
        Uas first = uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(uac.client().newRequest(Method.OPTIONS, SERVICE).build());
        settle();
        advance(Duration.ofSeconds(33));
        first.take(Method.OPTIONS).respond(200);
        assertEquals(200, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, uac.stats().failovers());
    }

    /**
     * A parallel fork of a non-INVITE still running when another branch answers 2xx cannot be
     * cancelled; it runs out by its own Timer F but is not sent on to its next destination.
     */
    @Test
    void aNonInviteForkStillRunningAfterAnother2xxDoesNotFailOver() throws Exception {
        SipUri other = SipUri.parse("sip:bob@10.0.0.3:5060;transport=mem");
        UserAgent proxyUa = agent("proxy", PROXY, b -> b.serverLocator((uri, protocols) ->
                uri.equals(SERVICE) ? List.of(mem(SILENT), mem(UAS1)) : ServerLocator.jdk().locate(uri, protocols)),
                "mem");
        Proxy proxy = Proxy.newBuilder(proxyUa).build();
        proxies.add(proxy);
        proxy.onRequest(req -> proxy.relay(req, List.of(Target.of(SERVICE), Target.of(other)), RelayOptions.defaults()));
        UserAgent uac = agent("uac", UAC, b -> b, "mem");
        Uas first = uas("uas1", UAS1);
        Uas second = uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(uac.client().newRequest(Method.MESSAGE, SERVICE).build(),
                mem(PROXY));
        second.take(Method.MESSAGE).respond(200);
        // The proxy ends the other branch's failover before it forwards the 2xx: the caller
        // holding it is what lets the clock move past that branch's Timer F below.
        assertEquals(200, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        // The forks start on threads of their own: the clock moves only once the silent one is
        // out (its timers are armed before its first send).
        await(() -> !startLines(PROXY, SILENT).isEmpty(), "the silent fork sent");
        advance(Duration.ofSeconds(40)); // past the silent fork's Timer F
        assertNull(first.requests.poll(500, TimeUnit.MILLISECONDS), "the fork no one waits for failed over");
        assertEquals(0, proxyUa.stats().failovers());
        await(() -> proxy.stats().liveBranches() == 0 && proxy.stats().liveContexts() == 0, "the relay ended");
    }

    /**
     * RelayContext#upstreamForm decides whether to strip the proxy's Via by asking
     * {@code leg.tx.flow().isPresent()} when the listener runs, not when the response was
     * received. A LocatedTransaction's flow() is the current attempt's, and when a failover
     * ends with no destination reachable the current attempt becomes a machine without a flow.
     * A provisional response of the earlier attempt still waiting in the listener queue (the
     * listener runs on a virtual thread, behind the previous response's onResponse hook) is then
     * forwarded upstream with the proxy's own Via on top (§16.7 item 3 broken): the caller
     * never matches it, and the proxy sends it to its own address.
     */
    @Test
    void aProvisionalOfAnEarlierAttemptIsRelayedWithoutTheProxysVia() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<SipResponse> seen = new CopyOnWriteArrayList<>();
        Proxy proxy = proxy(List.of(mem(UAS1), Destination.of("mem-stream", REFUSING)),
                RelayOptions.newBuilder().onResponse((branch, r) -> {
                    seen.add(r);
                    if (r.statusCode() == 180) {
                        try {
                            release.await(10, TimeUnit.SECONDS); // the hook is slow: the 183 waits behind it
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build());
        UserAgent uac = agent("uac", UAC, b -> b, "mem");
        Uas first = uas("uas1", UAS1);
        ClientTransaction call = uac.client().request(invite(uac, SERVICE), mem(PROXY));
        ServerTransaction at1 = first.take(Method.INVITE);
        at1.respond(180);
        await(() -> !seen.isEmpty(), "the 180 at the hook");
        at1.respond(183);
        at1.respond(503); // failover; the next destination refuses the connect: the branch ends locally
        UserAgent proxyUa = proxy.userAgent();
        await(() -> proxyUa.stats().failovers() == 1 && proxyUa.stats().transportErrors() >= 1,
                "the failover tried and refused");
        // The refused connect is counted a few statements before the attempt without a flow becomes
        // current (LocatedTransaction#attempt), and nothing public marks that moment; no wait for
        // it: RelayContext now decides from the 183 itself, so the answer is the same whichever
        // comes first (the decision on its own: RelayContextUpstreamFormTest).
        release.countDown();
        await(() -> seen.stream().anyMatch(r -> r.statusCode() == 183), "the 183 at the hook");
        SipResponse relayed183 = seen.stream().filter(r -> r.statusCode() == 183).findFirst().orElseThrow();
        Via top = relayed183.topVia();
        assertEquals(UAC.getAddress().getHostAddress(), top.host(),
                "the 183 relayed upstream must have the proxy's Via removed, top Via: " + top);
        await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 183), "the 183 at the caller");
    }

    /**
     * RFC 3263 §5 as built: ServerMachine sends every response with
     * {@code sendResponse(response, arrival)}, and TransportLayer, finding the arrival connection
     * closed, again tries to connect to {@code received} on the sending thread and, when that
     * fails, starts a new SentByConnection: a new lookup and a new connection per response. An
     * INVITE answered 180 then 486 makes two lookups and opens two connections, and the two
     * queues are flushed by two unrelated virtual threads, so the final may overtake the
     * provisional. The SentByConnection a transaction's first response opened should carry the
     * transaction's later responses (as it already carries its retransmissions).
     */
    @Test
    void oneSentByLookupPerServerTransaction() throws Exception {
        record Lookup(String protocol, String host, int port) {
        }
        List<Lookup> lookups = new CopyOnWriteArrayList<>();
        CountDownLatch releaseLookups = new CountDownLatch(1);
        InetSocketAddress peerAt = new InetSocketAddress("10.0.0.2", 5060);
        ServerLocator locator = new ServerLocator() {
            @Override
            public List<Destination> locate(SipUri target, java.util.Set<String> protocols) throws IOException {
                return ServerLocator.jdk().locate(target, protocols);
            }

            @Override
            public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
                lookups.add(new Lookup(protocol, host, port));
                try {
                    releaseLookups.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of(Destination.of("mem-stream", peerAt));
            }
        };
        UserAgent server = agent("uas", UAC, b -> b.serverLocator(locator), "mem-stream");
        BlockingQueue<ServerTransaction> requests = new LinkedBlockingQueue<>();
        server.server().onDefault(requests::add);

        List<sip.message.SipMessage> peerGot = new CopyOnWriteArrayList<>();
        sip.transport.spi.InboundHandler recorder = new sip.transport.spi.InboundHandler() {
            @Override
            public void onMessage(sip.transport.spi.Connection connection, sip.message.SipMessage message) {
                peerGot.add(message);
            }

            @Override
            public void onMalformed(sip.transport.spi.Connection connection, sip.message.ParseResult.Malformed m) {
            }

            @Override
            public void onEvent(sip.transport.spi.ConnectionEvent event) {
            }
        };
        try (sip.transport.spi.Transport peer = sip.transport.spi.Transports.open("mem-stream",
                network.transportConfig().build(), recorder)) {
            peer.listen(peerAt);
            sip.transport.spi.Connection c = peer.connect(UAC, null);
            c.send(("""
                    INVITE sip:bob@10.0.0.1 SIP/2.0
                    Via: SIP/2.0/MEM-STREAM client.test:5077;branch=z9hG4bKreview1sentby
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>
                    Call-ID: review1-sent-by@test
                    CSeq: 1 INVITE
                    Contact: <sip:alice@10.0.0.2:5060;transport=mem-stream>
                    Max-Forwards: 70
                    Content-Length: 0

                    """).replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ServerTransaction tx = requests.poll(10, TimeUnit.SECONDS);
            assertNotNull(tx, "the INVITE at the server");
            c.close();
            settle();
            tx.respond(180);
            tx.respond(486);
            releaseLookups.countDown();
            await(() -> peerGot.size() >= 2, "both responses at the sent-by's server");
            assertEquals(1, lookups.size(), "one §5 lookup for one transaction's responses: " + lookups);
            assertEquals(List.of(180, 486), peerGot.stream().map(m -> ((SipResponse) m).statusCode()).toList(),
                    "in the order sent, on one connection");
        }
    }

    // ------------------------------------------------------------------ checked, correct

    /** RFC 3261 §20.33: "Retry-After: 18000;duration=3600" and a comment still count as Retry-After. */
    @Test
    void a503WithACommentedRetryAfterIsTheAnswerWithoutFailover() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(UAS2)));
        Uas first = uas("uas1", UAS1);
        Uas second = uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(uac.client().newRequest(Method.OPTIONS, SERVICE).build());
        ServerTransaction at1 = first.take(Method.OPTIONS);
        at1.respond(at1.responseBuilder(503).addHeader("Retry-After", "120 (I'm in a meeting);duration=3600").build());
        SipResponse answer = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(503, answer.statusCode());
        assertEquals(0, uac.stats().failovers());
        assertEquals(1, uac.stats().blockedDestinations());
        settle();
        assertNull(second.requests.poll(500, TimeUnit.MILLISECONDS));
    }

    /** A Retry-After of 0 is a Retry-After: passed up, no failover, nothing blocked. */
    @Test
    void a503WithRetryAfterZeroIsTheAnswerAndBlocksNothing() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(UAS2)));
        Uas first = uas("uas1", UAS1);
        uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(uac.client().newRequest(Method.OPTIONS, SERVICE).build());
        ServerTransaction at1 = first.take(Method.OPTIONS);
        at1.respond(at1.responseBuilder(503).addHeader("Retry-After", "0").build());
        assertEquals(503, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(0, uac.stats().failovers());
        assertEquals(0, uac.stats().blockedDestinations());
    }

    /** The 503 that moves an INVITE on is still ACKed by the failed attempt (§17.1.1.3), on its branch. */
    @Test
    void theFailedAttemptsNon2xxIsAckedOnTheWire() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(UAS2)));
        Uas first = uas("uas1", UAS1);
        Uas second = uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(invite(uac, SERVICE));
        ServerTransaction at1 = first.take(Method.INVITE);
        at1.respond(503);
        ServerTransaction at2 = second.take(Method.INVITE);
        settle();
        List<String> toFirst = startLines(UAC, UAS1);
        assertTrue(toFirst.stream().anyMatch(l -> l.startsWith("ACK ")), "ACK of the 503 sent: " + toFirst);
        String ackBranch = wire.stream()
                .filter(p -> p.from().equals(UAC) && p.to().equals(UAS1) && p.startLine().startsWith("ACK "))
                .findFirst().flatMap(Packet::message).map(m -> ((SipRequest) m).topVia().branch()).orElseThrow();
        assertEquals(at1.request().topVia().branch(), ackBranch, "on the failed attempt's branch");
        at2.respond(486);
        assertEquals(486, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertNotNull(tx.request());
        assertEquals(at2.request().topVia().branch(), tx.request().topVia().branch());
    }
}
