package sip.transport.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Transport;

/** Delays, on a virtual clock as the transaction tests will run them, and on real time. */
class DelayTest {

    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5060);

    @Test
    void aDelayedMessageArrivesWhenVirtualTimeSaysSo() throws Exception {
        VirtualClock clock = new VirtualClock();
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder()
                .delay(Duration.ofMillis(100)).scheduler(clock).manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox bob = new Inbox();
            Transport a = net.open("mem", new Inbox());
            net.open("mem", bob).listen(B);
            a.connect(B).send(Sip.options(1));

            assertEquals(List.of(Duration.ofMillis(100)), clock.requested());
            assertEquals(0, network.pending());
            assertEquals(1, network.stats().inFlight());
            clock.advance(Duration.ofMillis(99));
            assertEquals(0, network.pending(), "not yet");
            clock.advance(Duration.ofMillis(1));
            assertEquals(1, network.pending());
            assertEquals(1, network.deliverAll());
            assertEquals(List.of(1L), bob.drainSequences());
            assertEquals(0, network.stats().inFlight());
        }
    }

    @Test
    void randomDelaysReorderDatagramsButNeverAStream() throws Exception {
        VirtualClock clock = new VirtualClock();
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().seed(3)
                .delay(Duration.ofMillis(10), Duration.ofMillis(200)).scheduler(clock).manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox datagrams = new Inbox();
            Inbox stream = new Inbox();
            Transport a = net.open("mem", new Inbox());
            Transport s = net.open("mem-stream", new Inbox());
            net.open("mem", datagrams).listen(B);
            net.open("mem-stream", stream).listen(B);
            Connection udpLike = a.connect(B);
            Connection tcpLike = s.connect(B);
            for (int i = 1; i <= 30; i++) {
                udpLike.send(Sip.options(i));
                tcpLike.send(Sip.options(i));
            }
            List<Duration> delays = clock.requested();
            assertEquals(60, delays.size());
            assertTrue(delays.stream().allMatch(d -> d.compareTo(Duration.ofMillis(10)) >= 0
                    && d.compareTo(Duration.ofMillis(200)) <= 0), delays::toString);
            assertTrue(new HashSet<>(delays).size() > 10, "drawn, not fixed");

            clock.advance(Duration.ofMillis(200));
            network.deliverAll();
            List<Long> inOrder = LongStream.rangeClosed(1, 30).boxed().toList();
            List<Long> gotDatagrams = datagrams.drainSequences();
            assertEquals(inOrder, gotDatagrams.stream().sorted().toList(), "all datagrams arrived");
            assertNotEquals(inOrder, gotDatagrams, "datagrams overtook each other");
            assertEquals(inOrder, stream.drainSequences(), "the stream stayed in order");
        }
    }

    @Test
    void awaitIdleWaitsForVirtualTime() throws Exception {
        VirtualClock clock = new VirtualClock();
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder()
                .delay(Duration.ofSeconds(30)).scheduler(clock).build())) {
            Inbox bob = new Inbox();
            Transport a = net.open("mem", new Inbox());
            net.open("mem", bob).listen(B);
            a.connect(B).send(Sip.options(1));
            assertFalse(net.network.awaitIdle(Duration.ofMillis(50)), "in flight until the clock moves");
            clock.advance(Duration.ofSeconds(30));
            assertTrue(net.network.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(List.of(1L), bob.drainSequences());
        }
    }

    /** A scheduler that refuses a datagram: the send fails, the message counts as dropped, nothing hangs. */
    @Test
    void aDatagramTheSchedulerRefusesIsDroppedAndTheSendFails() throws Exception {
        DelayScheduler refusing = (delay, task) -> {
            throw new RejectedExecutionException("clock stopped (expected by the test)");
        };
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder()
                .delay(Duration.ofMillis(10)).scheduler(refusing).manualDelivery().build())) {
            net.open("mem", new Inbox()).listen(B);
            Connection out = net.open("mem", new Inbox()).connect(B);
            IOException e = assertThrows(IOException.class, () -> out.send(Sip.options(1)));
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
            assertEquals(new NetworkStats(1, 0, 1, 0, 0, 0, 0), net.network.stats());
            assertTrue(net.network.awaitIdle(Duration.ZERO));
        }
    }

    /**
     * A scheduler that refuses a stream segment: the stream has a hole, so the send fails and the
     * connection closes (ERROR) as on a failed write; the peer still gets what came before, then the end.
     */
    @Test
    void aStreamSegmentTheSchedulerRefusesClosesTheConnection() throws Exception {
        VirtualClock clock = new VirtualClock();
        AtomicInteger calls = new AtomicInteger();
        DelayScheduler refusingTheSecond = (delay, task) -> {
            if (calls.incrementAndGet() == 2) {
                throw new RejectedExecutionException("expected by the test");
            }
            clock.schedule(delay, task);
        };
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder()
                .delay(Duration.ofMillis(10)).scheduler(refusingTheSecond).manualDelivery().build())) {
            Inbox alice = new Inbox();
            Inbox bob = new Inbox();
            net.open("mem-stream", bob).listen(B);
            Connection out = net.open("mem-stream", alice).connect(B);
            out.send(Sip.options(1));
            IOException e = assertThrows(IOException.class, () -> out.send(Sip.options(2)));
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
            assertFalse(out.isOpen());
            clock.advance(Duration.ofMillis(10));
            net.network.deliverAll();
            assertEquals(List.of(1L), bob.drainSequences());
            assertTrue(bob.drainEvents().stream().anyMatch(ev -> ev instanceof ConnectionEvent.Closed c
                    && c.reason() == CloseReason.PEER), "the end of the stream arrived");
            assertTrue(alice.drainEvents().stream().anyMatch(ev -> ev instanceof ConnectionEvent.Closed c
                    && c.reason() == CloseReason.ERROR));
            assertTrue(net.network.awaitIdle(Duration.ZERO));
            assertEquals(new NetworkStats(2, 1, 1, 0, 0, 0, 0), net.network.stats());
        }
    }

    @Test
    void realTimeDelaysByDefault() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder()
                .delay(Duration.ofMillis(1), Duration.ofMillis(20)).build())) {
            Inbox bob = new Inbox();
            Transport a = net.open("mem", new Inbox());
            a.listen(A);
            net.open("mem", bob).listen(B);
            Connection out = a.connect(B);
            for (int i = 1; i <= 10; i++) {
                out.send(Sip.options(i));
            }
            assertTrue(net.network.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(10, bob.drain().size());
            assertEquals(10, net.network.stats().delivered());
        }
    }
}
