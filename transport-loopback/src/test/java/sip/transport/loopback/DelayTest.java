package sip.transport.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Connection;
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
