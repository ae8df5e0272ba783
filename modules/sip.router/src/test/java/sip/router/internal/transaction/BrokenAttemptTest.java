package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.await;
import static sip.router.internal.transaction.Harness.reply;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.SipTimers;
import sip.router.TransactionFailure;
import sip.router.VirtualScheduler;
import sip.router.internal.Counters;
import sip.router.internal.Settings;
import sip.router.internal.transport.OutboundRequest;
import sip.router.internal.transport.OutboundResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportConfig;

/**
 * REVIEW1 F4: an unchecked exception while starting an attempt of a located request (from the
 * wire preparing it, or from the connection sending it), on the failover thread or the caller's,
 * ends the request with a local 503 (TransportError with that cause) instead of killing the
 * thread and leaving {@link ClientTransaction#response()} incomplete; no further destination is
 * tried, and nothing stays live.
 */
@Timeout(30)
class BrokenAttemptTest {

    static final Destination FIRST = Destination.of("tcp", new InetSocketAddress("127.0.0.1", 5071));
    static final Destination SECOND = Destination.of("tcp", new InetSocketAddress("127.0.0.1", 5072));
    static final Destination THIRD = Destination.of("tcp", new InetSocketAddress("127.0.0.1", 5073));

    private final VirtualScheduler clock = new VirtualScheduler();
    private final FakeConnection first = new FakeConnection(Protocol.TCP, clock, 5071);
    private final FakeConnection second = new FakeConnection(Protocol.TCP, clock, 5072);
    private final FakeConnection third = new FakeConnection(Protocol.TCP, clock, 5073);
    private final Counters counters = new Counters();
    private final LocatingWire wire = new LocatingWire();
    private final TransactionLayer layer;

    BrokenAttemptTest() {
        Settings settings = new Settings("Parley-test", null, null, TransportConfig.defaults(),
                SipTimers.DEFAULT, clock, null, Duration.ofMillis(200), 10_000,
                Duration.ofMillis(5_400), Duration.ofSeconds(32), Duration.ofMinutes(3), Duration.ofSeconds(5));
        layer = new TransactionLayer(settings, new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction) {
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
            }
        }, counters, l -> wire);
    }

    @AfterEach
    void close() {
        layer.close();
    }

    /** Locates every request at FIRST, SECOND, THIRD; {@link #breaking} throws instead of preparing. */
    final class LocatingWire implements Wire {
        private final AtomicInteger branches = new AtomicInteger();
        volatile Destination breaking;
        final List<Destination> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<Destination> locate(SipRequest request) {
            return List.of(FIRST, SECOND, THIRD);
        }

        @Override
        public OutboundRequest prepare(SipRequest request, Destination explicit) throws IOException {
            throw new AssertionError("only located requests here");
        }

        @Override
        public OutboundRequest prepareLocated(SipRequest request, Destination located, String branchSuffix) {
            prepared.add(located);
            if (located.equals(breaking)) {
                throw new IllegalStateException("injected: a locator or transport breaking its contract");
            }
            FakeConnection c = located.equals(FIRST) ? first : located.equals(SECOND) ? second : third;
            Via via = Via.of("TCP", "127.0.0.1", 5060, "z9hG4bKbroken" + branches.incrementAndGet());
            SipRequest stamped = request.toBuilder().via(via).build();
            return new OutboundRequest(stamped, located, c, stamped.toBytes());
        }

        @Override
        public OutboundResponse sendResponse(SipResponse response, Connection arrival) {
            throw new AssertionError("no server transactions here");
        }

        @Override
        public SipMessage sendStateless(SipMessage message, Connection arrivalOrNull) {
            return message;
        }

        @Override
        public void stopListening() {
        }

        @Override
        public void close() {
        }
    }

    private ClientTransaction send() {
        return layer.sendRequest(Harness.outgoing(Method.OPTIONS), null);
    }

    /** The first attempt's request answered 503 without Retry-After: a failover. */
    private void answer503() {
        SipRequest sent = first.requests("OPTIONS").getFirst();
        layer.onResponse(reply(sent, 503, "t1"), first);
    }

    private void assertBroken(ClientTransaction tx, Destination at) throws Exception {
        SipResponse answer = await(tx);
        assertEquals(503, answer.statusCode());
        TransactionFailure why = tx.failure().orElseThrow();
        TransactionFailure.TransportError error = assertInstanceOf(why);
        assertEquals(at.toString(), error.target());
        assertTrue(error.cause() instanceof IllegalStateException, "the cause kept: " + error.cause());
        assertTrue(error.cause().getMessage().startsWith("injected"), error.cause().getMessage());
        assertTrue(third.sent().isEmpty(), "no further destination tried after the bug");
        assertFalse(wire.prepared.contains(THIRD), "not even prepared: " + wire.prepared);
        eventually(() -> layer.stats().liveTransactions() == 0, "nothing live");
    }

    private static TransactionFailure.TransportError assertInstanceOf(TransactionFailure why) {
        assertTrue(why instanceof TransactionFailure.TransportError, "a transport error: " + why);
        return (TransactionFailure.TransportError) why;
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    @Test
    void aFailoverWhosePrepareThrowsEndsWithA503() throws Exception {
        wire.breaking = SECOND;
        ClientTransaction tx = send();
        answer503();
        assertBroken(tx, SECOND);
        assertEquals(1, layer.stats().failovers());
    }

    @Test
    void aFailoverWhoseSendThrowsUncheckedEndsWithA503AndLeavesTheTable() throws Exception {
        second.duringSend = m -> {
            throw new IllegalStateException("injected: a transport's send breaking its contract");
        };
        ClientTransaction tx = send();
        answer503();
        assertBroken(tx, SECOND);
        assertTrue(second.sent().isEmpty(), "the broken send recorded nothing");
        assertEquals(1, layer.stats().failovers());
    }

    @Test
    void aFirstAttemptThatThrowsEndsWithA503OnTheCallersThread() throws Exception {
        wire.breaking = FIRST;
        ClientTransaction tx = send();
        assertBroken(tx, FIRST);
        assertTrue(first.sent().isEmpty());
        assertEquals(0, layer.stats().failovers());
    }
}
