package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.DialogStats;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.VirtualScheduler;
import sip.transport.loopback.Fate;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.loopback.Packet;
import sip.transport.loopback.Rule;

/**
 * Two (or more) user agents on one in-memory {@code mem} network and one virtual clock, with
 * manual delivery and a record of every message sent: the dialog tests' world. Time moves only
 * in {@link #advance}; work on other threads (handlers, future dependants) is waited for by
 * {@link #until}, which keeps delivering meanwhile.
 */
final class DialogBed implements AutoCloseable {

    static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5060);
    static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5060);
    static final InetSocketAddress CAROL = new InetSocketAddress("10.0.0.3", 5060);

    static final Duration T1 = Duration.ofMillis(500);
    static final Duration TIMEOUT = T1.multipliedBy(64);
    static final byte[] OFFER = "v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\ns=-\r\n".getBytes();
    static final byte[] ANSWER = "v=0\r\no=bob 1 1 IN IP4 10.0.0.2\r\ns=-\r\n".getBytes();

    /** One message on the wire, when it was sent. */
    record Sent(Duration at, Packet packet) {
        SipMessage message() {
            return packet.message().orElseThrow(() -> new AssertionError("unparsable: " + packet));
        }

        SipRequest request() {
            return (SipRequest) message();
        }

        SipResponse response() {
            return (SipResponse) message();
        }
    }

    final VirtualScheduler clock = new VirtualScheduler();
    final LoopbackNetwork network;
    private final List<Sent> log = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    DialogBed() {
        this(b -> { });
    }

    DialogBed(Consumer<LoopbackNetwork.Builder> tune) {
        LoopbackNetwork.Builder b = LoopbackNetwork.newBuilder().scheduler(clock.delays()).manualDelivery();
        tune.accept(b);
        network = b.build();
        network.rule(p -> {
            synchronized (log) {
                log.add(new Sent(clock.elapsed(), p));
            }
            return Fate.CHANCE;
        });
    }

    UserAgent agent(InetSocketAddress at) throws IOException {
        return agent(at, b -> b);
    }

    UserAgent agent(InetSocketAddress at, UnaryOperator<UserAgent.Builder> tune) throws IOException {
        UserAgent ua = tune.apply(UserAgent.newBuilder()
                .name("dlg-" + at.getAddress().getHostAddress())
                .transportConfig(network.transportConfig().build())
                .scheduler(clock)
                .closeTimeout(Duration.ZERO)).build();
        opened.add(ua);
        ua.listen("mem", at.getAddress().getHostAddress() + ":" + at.getPort());
        return ua;
    }

    static SipUri uri(String user, InetSocketAddress at) {
        return SipUri.of(user, at.getAddress().getHostAddress(), at.getPort()).withParameter("transport", "mem");
    }

    /** Drops every message {@code which} matches, from now on. */
    Rule drop(Predicate<Packet> which) {
        Rule r = Rule.when(which, Fate.DROP);
        network.rule(r);
        return r;
    }

    /** Drops the first {@code times} messages {@code which} matches. */
    void dropFirst(int times, Predicate<Packet> which) {
        network.rule(Rule.first(times, Fate.DROP, which));
    }

    static Predicate<Packet> request(Method method, InetSocketAddress from) {
        return p -> p.from().equals(from) && p.startLine().startsWith(method.name() + " ");
    }

    static Predicate<Packet> response(int code, Method method, InetSocketAddress from) {
        return p -> p.from().equals(from) && p.startLine().startsWith("SIP/2.0 " + code + " ")
                && p.message().map(m -> m.cseq().method().equals(method)).orElse(false);
    }

    /** What was sent so far that {@code which} matches, in order. */
    List<Sent> sent(Predicate<Packet> which) {
        synchronized (log) {
            return log.stream().filter(s -> which.test(s.packet())).toList();
        }
    }

    int count(Predicate<Packet> which) {
        return sent(which).size();
    }

    /** Delivers and waits (5 s at most) until {@code f} is done; its value. */
    <T> T await(CompletableFuture<T> f, String what) {
        until(f::isDone, what);
        return f.join();
    }

    /** Delivers and waits for work on other threads until {@code condition} holds, 5 s at most. */
    void until(BooleanSupplier condition, String what) {
        until(condition, what, true);
    }

    /**
     * Waits for work on other threads until {@code condition} holds, 5 s at most, delivering
     * nothing meanwhile: what those threads send stays queued, so two sides can each act
     * before seeing the other's answer.
     */
    void untilWithoutDelivering(BooleanSupplier condition, String what) {
        until(condition, what, false);
    }

    private void until(BooleanSupplier condition, String what, boolean deliver) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            if (deliver) {
                network.deliverAll();
            }
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("not within 5 s: " + what + "; wire: " + summary());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Lets work on other threads settle: delivers until nothing moved for a while. */
    void settle() {
        int quiet = 0;
        while (quiet < 20) {
            int before;
            synchronized (log) {
                before = log.size();
            }
            network.deliverAll();
            LockSupport.parkNanos(1_000_000);
            synchronized (log) {
                quiet = log.size() == before && network.pending() == 0 ? quiet + 1 : 0;
            }
        }
    }

    /** Moves the clock by {@code by}, timer by timer, letting each step's work settle. */
    void advance(Duration by) {
        Duration end = clock.elapsed().plus(by);
        settle();
        while (true) {
            Duration next = clock.nextDue();
            Duration left = end.minus(clock.elapsed());
            if (next == null || next.compareTo(left) > 0) {
                clock.advance(left);
                settle();
                return;
            }
            clock.advance(next);
            settle();
        }
    }

    String summary() {
        synchronized (log) {
            StringBuilder sb = new StringBuilder();
            for (Sent s : log) {
                sb.append("\n  ").append(s.at().toMillis()).append("ms ").append(s.packet().from().getAddress().getHostAddress())
                        .append("->").append(s.packet().to().getAddress().getHostAddress()).append(' ')
                        .append(s.packet().startLine());
            }
            return sb.toString();
        }
    }

    /**
     * Runs the clock past every transaction's lingering timers and checks that {@code agents}
     * hold no transaction and no dialog.
     */
    void assertIdle(UserAgent... agents) {
        advance(TIMEOUT.plus(Duration.ofSeconds(1)));
        for (UserAgent ua : agents) {
            until(() -> ua.stats().liveTransactions() == 0 && ua.dialogStats().live() == 0,
                    ua.name() + " idle: " + ua.stats() + " " + ua.dialogStats());
            TransactionStats s = ua.stats();
            DialogStats d = ua.dialogStats();
            assertEquals(0, s.liveTransactions(), () -> "live transactions: " + s);
            assertEquals(0, d.live(), () -> "live dialogs: " + d);
        }
    }

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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (closing.isAlive()) {
                clock.runDue();
                network.deliverAll();
                if (System.nanoTime() > deadline) {
                    fail("close " + c + " took over 5 s");
                }
                LockSupport.parkNanos(200_000);
            }
        }
        network.releaseHeld();
        network.close();
    }
}
