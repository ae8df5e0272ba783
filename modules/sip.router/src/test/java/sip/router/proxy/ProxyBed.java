package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.VirtualScheduler;
import sip.transport.loopback.Fate;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.loopback.Packet;
import sip.transport.loopback.Rule;

/**
 * A UAC, a proxy and UASes on the in-memory network. Delivery runs on the network's own thread,
 * so messages flow as soon as they are sent; the timers of every agent run on one
 * {@link VirtualScheduler} that only the test moves, so no retransmission or timeout happens
 * unless a test advances the clock. Waits are bounded polls on observable state.
 */
final class ProxyBed implements AutoCloseable {

    static final InetSocketAddress UAC = new InetSocketAddress("10.0.0.1", 5060);
    static final InetSocketAddress UAS1 = new InetSocketAddress("10.0.0.2", 5060);
    static final InetSocketAddress UAS2 = new InetSocketAddress("10.0.0.3", 5060);
    static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.10", 5060);

    final VirtualScheduler clock = new VirtualScheduler();
    final LoopbackNetwork network;
    /** Every {@code mem} datagram sent (mem-stream is not seen by rules). */
    final List<Packet> wire = new CopyOnWriteArrayList<>();
    private final List<UserAgent> agents = new ArrayList<>();
    private final List<Proxy> proxies = new ArrayList<>();

    ProxyBed() {
        this(b -> b);
    }

    /** @param tune loss, duplication, seed of the network */
    ProxyBed(UnaryOperator<LoopbackNetwork.Builder> tune) {
        network = tune.apply(LoopbackNetwork.newBuilder()).build();
        network.rule(p -> {
            wire.add(p);
            return Fate.CHANCE;
        });
    }

    /** A user agent listening at {@code at} on each of {@code protocols}. */
    UserAgent agent(String name, InetSocketAddress at, String... protocols) throws IOException {
        return agent(name, at, b -> b, protocols);
    }

    UserAgent agent(String name, InetSocketAddress at, UnaryOperator<UserAgent.Builder> tune, String... protocols)
            throws IOException {
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

    /** The proxy agent at {@link #PROXY}, listening on mem and mem-stream. */
    Proxy proxy(UnaryOperator<Proxy.Builder> tune) throws IOException {
        UserAgent ua = agent("proxy", PROXY, "mem", "mem-stream");
        // The default routing relays only to hosts the application allows: the UASes here.
        Proxy p = tune.apply(Proxy.newBuilder(ua).relayHosts(UAS1.getAddress().getHostAddress(),
                UAS2.getAddress().getHostAddress())).build();
        proxies.add(p);
        return p;
    }

    Proxy proxy() throws IOException {
        return proxy(b -> b);
    }

    /** A UAS whose handlers queue what they get, for the test to answer. */
    Uas uas(String name, InetSocketAddress at, String... protocols) throws IOException {
        return new Uas(agent(name, at, protocols.length == 0 ? new String[] {"mem"} : protocols));
    }

    /**
     * A UAS (on mem) and, through {@code tune}, its settings: a long {@code inviteHandlerTimeout}
     * keeps its own 408 out of a test about the proxy's timers.
     */
    Uas uas(String name, InetSocketAddress at, UnaryOperator<UserAgent.Builder> tune) throws IOException {
        return new Uas(agent(name, at, tune, "mem"));
    }

    static final class Uas {
        final UserAgent ua;
        final BlockingQueue<ServerTransaction> requests = new LinkedBlockingQueue<>();
        final List<SipRequest> acks = new CopyOnWriteArrayList<>();

        Uas(UserAgent ua) {
            this.ua = ua;
            ua.server().onDefault(requests::add).onAck((ack, flow) -> acks.add(ack));
        }

        ServerTransaction take() throws InterruptedException {
            ServerTransaction tx = requests.poll(10, TimeUnit.SECONDS);
            if (tx == null) {
                fail(ua.name() + ": no request within 10 s");
            }
            return tx;
        }

        /** Takes the next request and checks its method. */
        ServerTransaction take(Method method) throws InterruptedException {
            ServerTransaction tx = take();
            assertEquals(method, tx.request().method(), () -> "at " + ua.name() + ": " + tx.request());
            return tx;
        }
    }

    /** An INVITE from {@code uac} to {@code target}, with a Contact of the UAC's. */
    static SipRequest invite(UserAgent uac, Uri target) {
        return uac.client().newRequest(Method.INVITE, target)
                .contact(Contact.of(SipUri.of("alice", UAC.getAddress().getHostAddress(), UAC.getPort())
                        .withParameter("transport", "mem")))
                .build();
    }

    static SipUri memUri(String user, InetSocketAddress at) {
        return SipUri.of(user, at.getAddress().getHostAddress(), at.getPort()).withParameter("transport", "mem");
    }

    /**
     * A request inside the dialog {@code ok} answered (RFC 3261 §12.2.1.1, UAC side): to the
     * remote Contact, through the Record-Route set reversed, tags from the 2xx.
     */
    static SipRequest inDialog(UserAgent uac, Method method, SipRequest invite, SipResponse ok, long cseq) {
        SipRequest.Builder b = SipRequest.builder(method, ok.contacts().getFirst().uri())
                .callId(invite.callId())
                .from(invite.from())
                .to(ok.to())
                .cseq(cseq);
        List<NameAddress> rr = new ArrayList<>(ok.all(HeaderType.RECORD_ROUTE));
        for (NameAddress r : rr.reversed()) {
            b.add(HeaderType.ROUTE, r);
        }
        return b.build();
    }

    /** The {@code mem} datagrams sent so far that {@code which} matches, parsed. */
    List<SipMessage> sent(Predicate<Packet> which) {
        List<SipMessage> out = new ArrayList<>();
        for (Packet p : wire) {
            if (which.test(p)) {
                p.message().ifPresent(out::add);
            }
        }
        return out;
    }

    static Predicate<Packet> from(InetSocketAddress a) {
        return p -> p.from().equals(a);
    }

    static Predicate<Packet> to(InetSocketAddress a) {
        return p -> p.to().equals(a);
    }

    static Predicate<Packet> startsWith(String startLine) {
        return p -> p.startLine().startsWith(startLine);
    }

    /** Waits until {@code condition} holds, 10 s at most (work runs on other threads). */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Waits until a {@code mem} datagram {@code which} matches has been sent. What runs on a
     * virtual thread (a failover attempt, a proxy's branch) is not covered by {@link #settle()},
     * which only waits for the network: a client transaction arms its timers before its first
     * send, so once its request is on the wire the clock may move.
     */
    void awaitSent(Predicate<Packet> which, String what) {
        await(() -> wire.stream().anyMatch(which), what);
    }

    /**
     * Waits until the network has nothing in flight and nothing ready. Work handed to virtual
     * threads (handlers, failover attempts, a proxy's branches) may still be pending: before
     * moving the clock past a timer such work arms, wait for what it does ({@link #awaitSent}).
     */
    void settle() throws InterruptedException {
        if (!network.awaitIdle(Duration.ofSeconds(10))) {
            fail("network not idle within 10 s");
        }
    }

    /**
     * Moves the clock {@code by} in steps of a second, letting the network settle after each,
     * so what a timer sends is delivered before the next timer fires.
     */
    void advance(Duration by) throws InterruptedException {
        Duration step = Duration.ofMillis(250);
        for (Duration done = Duration.ZERO; done.compareTo(by) < 0; done = done.plus(step)) {
            Duration d = by.minus(done).compareTo(step) < 0 ? by.minus(done) : step;
            clock.advance(d);
            settle();
        }
    }

    /**
     * Runs the clock past every lingering timer (Timers D, I, J, K, L, M: 32 s; Timer C bounds
     * plus 64×T1 at most) until every agent has no live transaction and every proxy no live
     * context or branch; fails otherwise.
     */
    void drain() throws InterruptedException {
        for (int i = 0; i < 20 && !idle(); i++) {
            advance(Duration.ofSeconds(20));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        await(this::idle, "every transaction, context and branch ended: " + describe());
    }

    private boolean idle() {
        for (UserAgent ua : agents) {
            if (ua.stats().liveTransactions() > 0) {
                return false;
            }
        }
        for (Proxy p : proxies) {
            if (p.stats().liveContexts() > 0 || p.stats().liveBranches() > 0) {
                return false;
            }
        }
        return true;
    }

    private String describe() {
        StringBuilder s = new StringBuilder();
        for (UserAgent ua : agents) {
            s.append(ua.name()).append(' ').append(ua.stats()).append('\n');
        }
        for (Proxy p : proxies) {
            s.append(p.stats()).append('\n');
        }
        return s.toString();
    }

    /** Rule helper: drop every {@code mem} datagram {@code which} matches. */
    Rule drop(Predicate<Packet> which) {
        Rule r = Rule.when(which, Fate.DROP);
        network.rule(r);
        return r;
    }

    @Override
    public void close() throws Exception {
        for (Proxy p : proxies) {
            p.close();
        }
        for (UserAgent ua : agents.reversed()) {
            ua.close();
        }
        network.close();
    }
}
