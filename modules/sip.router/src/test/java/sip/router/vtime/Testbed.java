package sip.router.vtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import sip.message.Contact;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.VirtualScheduler;
import sip.transport.loopback.LoopbackNetwork;

/**
 * One virtual clock, one in-memory network on it with manual delivery, a {@link Wire} recording
 * every {@code mem} send, and the user agents and scripted peers of one scenario. Time moves only
 * in {@link #advance}, which steps from one due timer to the next and delivers what each step sent,
 * so a timer-driven message is on the wire at exactly its timer's due time.
 */
final class Testbed implements AutoCloseable {

    static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5060);
    static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5060);
    static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.9", 5060);

    static final Duration T1 = Duration.ofMillis(500);
    static final Duration T4 = Duration.ofSeconds(5);
    /** 64×T1: Timers B, F, H, J (unreliable), L and M; Timer D on unreliable transports too. */
    static final Duration TIMEOUT = T1.multipliedBy(64);

    final VirtualScheduler clock = new VirtualScheduler();
    final Wire wire = new Wire(clock);
    final LoopbackNetwork network;
    private final List<AutoCloseable> opened = new ArrayList<>();

    Testbed() {
        this(b -> { });
    }

    /** @param tune loss, duplication, reordering, seed (delivery is manual and on the virtual clock) */
    Testbed(Consumer<LoopbackNetwork.Builder> tune) {
        LoopbackNetwork.Builder builder = LoopbackNetwork.newBuilder().scheduler(clock.delays()).manualDelivery();
        tune.accept(builder);
        network = builder.build();
        network.rule(wire);
    }

    /** A user agent on the virtual clock listening at {@code at} with {@code protocol}. */
    UserAgent agent(String protocol, InetSocketAddress at) throws IOException {
        return agent(protocol, at, b -> b);
    }

    UserAgent agent(String protocol, InetSocketAddress at, UnaryOperator<UserAgent.Builder> tune)
            throws IOException {
        UserAgent ua = tune.apply(UserAgent.newBuilder()
                .name("vtime-" + at.getAddress().getHostAddress())
                .transportConfig(network.transportConfig().build())
                .scheduler(clock)
                // close() waits on the scheduler's clock, which only the test moves
                .closeTimeout(Duration.ZERO)).build();
        opened.add(ua);
        ua.listen(protocol, at.getAddress().getHostAddress() + ":" + at.getPort());
        return ua;
    }

    ScriptedPeer peer(String protocol, InetSocketAddress at) throws IOException {
        ScriptedPeer peer = new ScriptedPeer(clock, protocol, network.transportConfig().build(), at);
        opened.add(peer);
        return peer;
    }

    /** An INVITE from {@code ua} to {@code target}, with a Contact so that no validation objects. */
    static SipRequest invite(UserAgent ua, String protocol, InetSocketAddress from, InetSocketAddress target) {
        return request(ua, Method.INVITE, protocol, from, target);
    }

    static SipRequest request(UserAgent ua, Method method, String protocol, InetSocketAddress from,
                              InetSocketAddress target) {
        SipRequest.Builder b = ua.client().newRequest(method,
                SipUri.of("bob", target.getAddress().getHostAddress(), target.getPort()));
        if (method.equals(Method.INVITE)) {
            b.contact(Contact.of(SipUri.of("alice", from.getAddress().getHostAddress(), from.getPort())
                    .withParameter("transport", protocol)));
        }
        return b.build();
    }

    /**
     * Starts a client transaction and waits until its request is on the network and its timers
     * are armed ({@code armed}, as delays from now), so that moving the clock afterwards cannot
     * overtake a send still running on another thread.
     */
    ClientTransaction start(UserAgent ua, SipRequest request, String protocol, InetSocketAddress target,
                            Duration... armed) {
        ClientTransaction tx = ua.client().request(request, Destination.of(protocol, target));
        until(() -> tx.flow().isPresent() && clock.pendingDelays().containsAll(Arrays.asList(armed)),
                "the request is sent and timers " + Arrays.toString(armed) + " are armed");
        network.deliverAll();
        return tx;
    }

    /**
     * Moves the clock by {@code by}: to each due timer in turn, delivering after each step what it
     * sent (and what the deliveries sent in turn), then to the end.
     */
    void advance(Duration by) {
        advance(by, network::deliverAll);
    }

    /** As {@link #advance(Duration)}, delivering with {@code deliver} after each step. */
    void advance(Duration by, Runnable deliver) {
        Duration end = clock.elapsed().plus(by);
        deliver.run();
        while (true) {
            Duration next = clock.nextDue();
            Duration left = end.minus(clock.elapsed());
            if (next == null || next.compareTo(left) > 0) {
                clock.advance(left);
                deliver.run();
                return;
            }
            clock.advance(next);
            deliver.run();
        }
    }

    /** Moves the clock to {@code at} since the start of the test. */
    void advanceTo(Duration at) {
        Duration by = at.minus(clock.elapsed());
        if (by.isNegative()) {
            fail("the clock is already at " + clock.elapsed() + ", past " + at);
        }
        advance(by);
    }

    /**
     * Delivers and waits for work running on other threads (handlers, the client's sends) until
     * {@code condition} holds, 5 s at most; the clock does not move meanwhile.
     */
    void until(BooleanSupplier condition, String what) {
        await(() -> {
            network.deliverAll();
            return condition.getAsBoolean();
        }, what);
    }

    /**
     * Waits until {@code condition} holds, 5 s at most, without delivering. What it waits for runs
     * on virtual threads that signal nothing to wait on, hence a bounded poll.
     */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 5 s: " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Requests arriving at a handler, in order, for the test to answer from its own thread. */
    static final class Inbox {
        private final BlockingQueue<ServerTransaction> received = new LinkedBlockingQueue<>();

        void accept(ServerTransaction tx) {
            received.add(tx);
        }

        /** The next request a handler got, waiting 5 s at most. */
        ServerTransaction take() throws InterruptedException {
            ServerTransaction tx = received.poll(5, TimeUnit.SECONDS);
            if (tx == null) {
                fail("no request reached the handler within 5 s");
            }
            return tx;
        }

        /** How many handler calls are waiting to be taken. */
        int size() {
            return received.size();
        }
    }

    /** Asserts that {@code ua} has no live transaction. */
    static void assertIdle(UserAgent ua) {
        TransactionStats s = ua.stats();
        assertEquals(0, s.clientTransactions(), () -> "live client transactions: " + s);
        assertEquals(0, s.serverTransactions(), () -> "live server transactions: " + s);
    }

    /** Asserts the three counters every scenario pins down. */
    static void assertCounters(UserAgent ua, long retransmissionsSent, long retransmissionsAbsorbed, long timeouts) {
        TransactionStats s = ua.stats();
        assertEquals(retransmissionsSent, s.retransmissionsSent(), () -> "retransmissionsSent: " + s);
        assertEquals(retransmissionsAbsorbed, s.retransmissionsAbsorbed(), () -> "retransmissionsAbsorbed: " + s);
        assertEquals(timeouts, s.timeouts(), () -> "timeouts: " + s);
    }

    /**
     * As {@link #assertCounters} without retransmissionsSent, for scenarios where a response is
     * repeated because its request was (which that counter's documentation leaves out; pinned by
     * {@code ServerNonInviteTransactionTest.responsesRepeatedForRetransmittedRequestsAreNotTimerRetransmissions}).
     */
    static void assertAbsorbedAndTimeouts(UserAgent ua, long retransmissionsAbsorbed, long timeouts) {
        TransactionStats s = ua.stats();
        assertEquals(retransmissionsAbsorbed, s.retransmissionsAbsorbed(), () -> "retransmissionsAbsorbed: " + s);
        assertEquals(timeouts, s.timeouts(), () -> "timeouts: " + s);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static List<Duration> ms(long... millis) {
        return Arrays.stream(millis).mapToObj(Duration::ofMillis).toList();
    }

    /**
     * Closes everything. A user agent's close waits out its grace period on the scheduler's
     * clock (zero here, but still a timer), so it runs on its own thread while this one keeps the
     * clock and the network going.
     */
    @Override
    public void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            Thread closing = Thread.ofVirtual().start(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> {
                clock.runDue();
                network.deliverAll();
                return !closing.isAlive();
            }, "close " + c);
        }
        network.releaseHeld();
        network.close();
    }
}
