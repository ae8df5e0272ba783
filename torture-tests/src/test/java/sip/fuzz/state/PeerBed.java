package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.UnaryOperator;
import sip.message.Method;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.ServerTransaction;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.transport.loopback.Fate;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.loopback.Packet;
import sip.transport.spi.Connection;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.Transports;

/**
 * A {@link UserAgent} under test and a bare {@code mem} peer that sends whatever the fuzz target
 * tells it, on one {@link VirtualClock} and one loopback network with manual delivery. Every send
 * is logged (with its bytes, in send order), every request reaches a handler that parks until the
 * target tells it to return or throw, and {@link #settle()} delivers until nothing is in flight
 * and every request delivered has reached its handler, so each step of a run is complete before
 * the next one is chosen and a run depends on its input only.
 */
final class PeerBed implements AutoCloseable {

    static final InetSocketAddress UA = new InetSocketAddress("10.0.0.2", 5060);
    static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.9", 5060);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final SipParser LENIENT = SipParser.lenient();

    /** One send on the network, in send order. */
    record Sent(int index, Duration at, InetSocketAddress from, InetSocketAddress to, byte[] bytes,
                SipMessage message) {
        boolean fromUa() {
            return from.equals(UA);
        }

        boolean isRequest(Method m) {
            return message instanceof SipRequest r && r.method().equals(m);
        }
    }

    /** A request that reached the handler: it waits for one command, then returns or throws. */
    record Handled(ServerTransaction tx, Thread thread, BlockingQueue<Boolean> finish) {
        boolean running() {
            return thread.isAlive();
        }
    }

    final VirtualClock clock = new VirtualClock();
    final LoopbackNetwork network;
    final UserAgent ua;
    private final Transport peer;
    private final Connection toUa;
    final List<Sent> log = new CopyOnWriteArrayList<>();
    final List<Handled> handled = new CopyOnWriteArrayList<>();
    final List<SipRequest> acks = new CopyOnWriteArrayList<>();
    final List<ClientTransaction> clientTransactions = new ArrayList<>();
    /** What went wrong off the test's thread: unexpected exceptions, unparsable messages. */
    final List<String> problems = new CopyOnWriteArrayList<>();

    PeerBed(UnaryOperator<UserAgent.Builder> tune) throws IOException {
        network = LoopbackNetwork.newBuilder().scheduler(clock.delays()).manualDelivery().build();
        network.rule(this::record);
        ua = tune.apply(UserAgent.newBuilder()
                .name("fuzz-ua")
                .transportConfig(network.transportConfig().build())
                .scheduler(clock)
                .closeTimeout(Duration.ZERO)).build();
        ua.listen("mem", "10.0.0.2:5060");
        ua.server().onDefault(tx -> {
            Handled h = new Handled(tx, Thread.currentThread(), new LinkedBlockingQueue<>());
            handled.add(h);
            parked(tx.request());
            if (h.finish().take()) {
                throw new IllegalStateException("fuzz: this handler fails on purpose");
            }
        });
        ua.server().onAck((ack, flow) -> acks.add(ack));
        peer = Transports.open("mem", network.transportConfig().build(), new InboundHandler() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                // Everything the UA sends is in the log already, with its bytes.
            }

            @Override
            public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
                problems.add("the peer could not parse what the UA sent: " + malformed.error());
            }
        });
        peer.listen(PEER);
        toUa = peer.connect(UA);
    }

    private Fate record(Packet p) {
        byte[] bytes = p.bytes();
        SipMessage m = LENIENT.parse(bytes.clone()) instanceof ParseResult.Parsed(SipMessage parsed) ? parsed : null;
        synchronized (log) {
            log.add(new Sent(log.size(), clock.elapsed(), p.from(), p.to(), bytes, m));
        }
        return Fate.CHANCE;
    }

    /** Sends {@code message} from the peer to the UA and settles. */
    void peerSends(SipMessage message) {
        try {
            toUa.send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settle();
    }

    /**
     * Delivers one message at a time until nothing is in flight and every request the UA took
     * into a new server transaction has been decided (and, with a {@link #quietPeriod}, until
     * the network has stayed quiet that long): answered, or parked in a handler. The
     * network logs and queues each send under one lock, so the n-th delivery is {@code log[n]};
     * a delivery that raised {@code serverCreated} started a transaction for that request.
     */
    void settle() {
        if (quietPeriod.isZero()) {
            settleOnce();
        } else {
            quiesce(quietPeriod);
        }
    }

    private void settleOnce() {
        for (int round = 0; ; round++) {
            if (round > 100_000) {
                fail("the network never went quiet: a message storm");
            }
            if (network.pending() == 0) {
                await(this::decided, () -> "requests taken into server transactions were neither answered nor"
                        + " handed to a handler: " + undecided() + " (" + ua.stats() + ")");
                if (network.pending() == 0) {
                    return;
                }
            }
            if (network.stats().dropped() > 0) {
                fail("the network dropped a message: the log no longer tells what each delivery was");
            }
            long created = ua.stats().serverCreated();
            int index = (int) network.stats().delivered();
            network.deliverNext();
            if (ua.stats().serverCreated() > created && log.get(index).message() instanceof SipRequest r
                    && !r.method().equals(Method.CANCEL)) {
                undecided.add(new Decision(key(r), index));
            }
        }
    }

    /** A request that started a server transaction at log index {@code index}. */
    private record Decision(String key, int index) {
    }

    private final List<Decision> undecided = new ArrayList<>();
    /** Requests handlers took, with the log size when they did (so a later copy is told apart). */
    private final List<Decision> parkedAt = new CopyOnWriteArrayList<>();

    /** The server transaction a message belongs to, as RFC 3261 §17.2.3 matches it. */
    static String key(SipMessage m) {
        Method method = m.cseq().method().equals(Method.ACK) ? Method.INVITE : m.cseq().method();
        return m.topVia().branch() + " " + m.topVia().sentBy() + " " + method;
    }

    /** Records that a handler of the test now holds the request {@code request} (and will answer it, or not). */
    void parked(SipRequest request) {
        parkedAt.add(new Decision(key(request), log.size()));
    }

    private boolean decided() {
        undecided.removeIf(d -> parkedAt.stream().anyMatch(p -> p.key().equals(d.key()) && p.index() > d.index())
                || log.stream().anyMatch(s -> s.index() > d.index()
                && s.fromUa() && s.message() instanceof SipResponse r && key(r).equals(d.key())));
        return undecided.isEmpty();
    }

    private String undecided() {
        return undecided.toString();
    }

    /**
     * How long (real time) {@link #settle()} also waits for the network to stay quiet, for work
     * the stack does on virtual threads of its own after an event (the dialog layer's ACK of a
     * 2xx, its BYE after a 408, a queued re-INVITE). Zero (the default) skips the wait: the
     * transaction layer answers on the delivering thread or in a handler, which settle tracks.
     */
    volatile Duration quietPeriod = Duration.ZERO;

    /** Settles, waiting for {@code period} of quiet (10 s at most) whatever {@link #quietPeriod} says. */
    void quiesce(Duration period) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        int seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < period.toNanos() && System.nanoTime() < deadline) {
            settleOnce();
            if (log.size() != seen) {
                seen = log.size();
                quietSince = System.nanoTime();
            }
            LockSupport.parkNanos(100_000);
        }
        settleOnce();
    }

    /** Moves the clock by {@code by}, one due timer at a time, settling after each. */
    void advance(Duration by) {
        Duration end = clock.elapsed().plus(by);
        settle();
        while (true) {
            Duration left = end.minus(clock.elapsed());
            boolean ran = clock.step(left.isNegative() ? Duration.ZERO : left);
            settle();
            if (!ran) {
                return;
            }
        }
    }

    /** Tells the handler of {@code h} to return (or throw) and waits until its thread has ended. */
    void finish(Handled h, boolean fail) {
        if (!h.running()) {
            return;
        }
        h.finish().add(fail);
        try {
            if (!h.thread().join(Duration.ofNanos(WAIT_NANOS))) {
                fail("a handler thread did not end: " + h.tx().request().method());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        settle();
    }

    static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what.get());
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** Messages the UA sent, parsed, with their index in the log. */
    List<Sent> fromUa() {
        return log.stream().filter(Sent::fromUa).toList();
    }

    List<Sent> fromPeer() {
        return log.stream().filter(s -> !s.fromUa()).toList();
    }

    @Override
    public void close() {
        for (Handled h : handled) {
            h.finish().add(false);
        }
        Thread closing = Thread.ofVirtual().start(ua::close);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (closing.isAlive()) {
            if (System.nanoTime() > deadline) {
                problems.add("UserAgent.close() did not return");
                break;
            }
            clock.step(Duration.ZERO);
            network.deliverAll();
            LockSupport.parkNanos(20_000);
        }
        peer.close();
        network.releaseHeld();
        network.close();
    }
}
