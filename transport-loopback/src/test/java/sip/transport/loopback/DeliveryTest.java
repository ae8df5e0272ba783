package sip.transport.loopback;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;

/** How messages get delivered: single-stepping, the delivery thread, idleness, capacity. */
class DeliveryTest {

    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5060);
    private static final Duration IDLE = Duration.ofSeconds(5);

    @Test
    void singleSteppingDeliversOneAtATimeInOrder() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox bob = new Inbox();
            Transport a = net.open("mem", new Inbox());
            net.open("mem", bob).listen(B);
            Connection out = a.connect(B);
            out.send(Sip.options(1));
            out.send(Sip.options(2));
            assertEquals(2, network.pending());
            assertEquals(List.of(), bob.drainSequences(), "nothing until the test says so");
            assertTrue(network.deliverNext());
            assertEquals(List.of(1L), bob.drainSequences());
            assertEquals(1, network.pending());
            assertTrue(network.deliverNext());
            assertFalse(network.deliverNext());
            assertEquals(List.of(2L), bob.drainSequences());
            assertTrue(network.awaitIdle(Duration.ZERO));
        }
    }

    @Test
    void deliverAllIncludesWhatHandlersSendMeanwhile() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            Inbox alice = new Inbox();
            Inbox bob = new Inbox((c, m) -> c.send(SipResponse.forRequest((SipRequest) m, 200)));
            Transport a = net.open("mem", alice);
            a.listen(A);
            net.open("mem", bob).listen(B);
            a.connect(B).send(Sip.options(1));
            assertEquals(2, net.network.deliverAll(), "the request, then the response it caused");
            assertEquals(List.of(1L), alice.drainSequences());
        }
    }

    @Test
    void steppingIsOnlyForManualNetworks() {
        try (LoopbackNetwork network = LoopbackNetwork.newBuilder().build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, network::deliverNext);
            assertTrue(e.getMessage().contains("manualDelivery()"), e.getMessage());
            assertThrows(IllegalStateException.class, network::deliverAll);
        }
    }

    @Test
    void everyHandlerRunsOnTheOneDeliveryThread() throws Exception {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().build())) {
            Inbox alice = new Inbox((c, m) -> threads.add(Thread.currentThread()));
            Inbox bob = new Inbox((c, m) -> {
                threads.add(Thread.currentThread());
                c.send(SipResponse.forRequest((SipRequest) m, 200));
            });
            Transport a = net.open("mem", alice);
            a.listen(A);
            net.open("mem", bob).listen(B);
            Connection out = a.connect(B);
            for (int i = 1; i <= 20; i++) {
                out.send(Sip.options(i));
            }
            assertTrue(net.network.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(20, alice.drain().size(), "every answer is in once idle");
            assertEquals(1, threads.size(), threads::toString);
            assertFalse(threads.contains(Thread.currentThread()));
        }
    }

    @Test
    void aFullNetworkDropsDatagramsAndRefusesStreamSends() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().capacity(3).manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Transport a = net.open("mem", new Inbox());
            net.open("mem", new Inbox()).listen(B);
            Connection out = a.connect(B);
            for (int i = 1; i <= 4; i++) {
                out.send(Sip.options(i));
            }
            assertEquals(new NetworkStats(4, 0, 1, 0, 0, 3, 0), network.stats(), "the fourth did not fit");
            assertEquals(3, network.deliverAll());

            Transport s = net.open("mem-stream", new Inbox());
            net.open("mem-stream", new Inbox()).listen(B);
            Connection stream = s.connect(B);
            for (int i = 1; i <= 3; i++) {
                stream.send(Sip.options(i));
            }
            IOException full = assertThrows(IOException.class, () -> stream.send(Sip.options(4)));
            assertTrue(full.getMessage().contains("capacity"), full.getMessage());
            assertFalse(stream.isOpen(), "a failed write closes the connection");
            network.deliverAll();
            assertTrue(network.awaitIdle(Duration.ZERO));
            assertEquals(new NetworkStats(7, 6, 1, 0, 0, 0, 0), network.stats());
        }
    }

    /**
     * A handler's AssertionError (common in tests) must not end the one delivery thread: delivery
     * goes on, and the Error comes out of awaitIdle, once, where the test sees it.
     */
    @Test
    void anErrorThrownByAHandlerIsRethrownByAwaitIdleAndDeliveryGoesOn() throws Exception {
        AssertionError failure = new AssertionError("a test assertion failing inside a handler");
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().build())) {
            Inbox bob = new Inbox((c, m) -> {
                if (m.cseq().sequence() == 1) {
                    throw failure;
                }
            });
            Transport b = net.open("mem", bob);
            b.listen(B);
            Connection out = net.open("mem", new Inbox()).connect(B);
            out.send(Sip.options(1));
            out.send(Sip.options(2));
            assertSame(failure, assertThrows(AssertionError.class, () -> net.network.awaitIdle(IDLE)));
            assertTrue(net.network.awaitIdle(IDLE), "rethrown once; then idle like any network");
            assertEquals(List.of(1L, 2L), bob.drainSequences(), "the message after the Error was delivered");
            assertEquals(1, b.stats().handlerErrors());
            out.send(Sip.options(3));
            assertEquals(3L, bob.take().message().cseq().sequence(), "the delivery thread is alive");
        }
    }

    @Test
    void anErrorThrownByAHandlerIsRethrownByCloseIfNothingElseDid() throws Exception {
        AssertionError failure = new AssertionError("expected by the test");
        TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().build());
        Inbox bob = new Inbox((c, m) -> {
            throw failure;
        });
        net.open("mem", bob).listen(B);
        net.open("mem", new Inbox()).connect(B).send(Sip.options(1));
        bob.take();
        // the Error may still be on its way from the handler to the network: close rethrows it either way
        AssertionError thrown = assertThrows(AssertionError.class, () -> {
            assertTrue(net.network.awaitIdle(IDLE));
            net.close();
        });
        assertSame(failure, thrown);
        net.close(); // reported once
    }

    /** close does not wait for a handler that is still running: its Error comes out of the next close. */
    @Test
    void anErrorFromAHandlerStillRunningAtCloseComesOutOfTheNextClose() throws Exception {
        AssertionError failure = new AssertionError("expected by the test");
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().build());
        net.open("mem", new Inbox((c, m) -> {
            inHandler.countDown();
            assertTrue(release.await(5, TimeUnit.SECONDS));
            throw failure;
        })).listen(B);
        net.open("mem", new Inbox()).connect(B).send(Sip.options(1));
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        net.close();
        release.countDown();
        AssertionError thrown = null;
        for (long deadline = System.nanoTime() + IDLE.toNanos(); thrown == null && System.nanoTime() < deadline; ) {
            try {
                net.network.close();
                Thread.yield();
            } catch (AssertionError e) {
                thrown = e;
            }
        }
        assertSame(failure, thrown);
    }

    @Test
    void manualDeliveryRethrowsAHandlersErrorFromTheDeliveryThatRanIt() throws Exception {
        AssertionError failure = new AssertionError("expected by the test");
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            Inbox bob = new Inbox((c, m) -> {
                if (m.cseq().sequence() % 2 == 1) {
                    throw failure;
                }
            });
            Transport b = net.open("mem", bob);
            b.listen(B);
            Connection out = net.open("mem", new Inbox()).connect(B);
            for (int i = 1; i <= 4; i++) {
                out.send(Sip.options(i));
            }
            assertSame(failure, assertThrows(AssertionError.class, net.network::deliverNext));
            assertEquals(3, net.network.pending(), "counted delivered; the rest waits");
            assertSame(failure, assertThrows(AssertionError.class, net.network::deliverAll), "stops at message 3");
            assertEquals(1, net.network.pending());
            assertEquals(1, net.network.deliverAll());
            assertEquals(List.of(1L, 2L, 3L, 4L), bob.drainSequences());
            assertEquals(2, b.stats().handlerErrors());
            assertEquals(new NetworkStats(4, 4, 0, 0, 0, 0, 0), net.network.stats());
        }
    }

    @Test
    void anErrorInAnEventOrMalformedHandlerSkipsNothingAfterIt() throws Exception {
        AssertionError failure = new AssertionError("expected by the test");
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            List<Long> got = new ArrayList<>();
            Transport b = net.open("mem-stream", new InboundHandler() {
                @Override
                public void onMessage(Connection c, SipMessage m) {
                    got.add(m.cseq().sequence());
                }

                @Override
                public void onMalformed(Connection c, ParseResult.Malformed m) {
                    throw failure;
                }

                @Override
                public void onEvent(ConnectionEvent e) {
                    throw failure;
                }
            });
            b.listen(B);
            Connection out = net.open("mem-stream", new Inbox()).connect(B);
            String bad = new String(Sip.options(1).toBytes(), US_ASCII).replace("Max-Forwards: 70", "Max-Forwards: x");
            out.send((bad + new String(Sip.options(2).toBytes(), US_ASCII)).getBytes(US_ASCII)); // one delivery
            assertSame(failure, assertThrows(AssertionError.class, net.network::deliverAll), "the Opened event");
            assertSame(failure, assertThrows(AssertionError.class, net.network::deliverAll), "the malformed request");
            assertEquals(List.of(2L), got, "the request in the same delivery, after the malformed one");
            assertEquals(0, net.network.deliverAll());
            assertEquals(2, b.stats().handlerErrors());
            assertTrue(out.isOpen());
        }
    }

    /** A handler that restores an interrupt it caught leaves the flag on the one delivery thread. */
    @Test
    void aHandlerLeavingItsThreadInterruptedDoesNotEndDelivery() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().build())) {
            Inbox bob = new Inbox((c, m) -> Thread.currentThread().interrupt());
            net.open("mem", bob).listen(B);
            Connection out = net.open("mem", new Inbox()).connect(B);
            out.send(Sip.options(1));
            assertEquals(1L, bob.take().message().cseq().sequence());
            assertTrue(net.network.awaitIdle(IDLE));
            out.send(Sip.options(2));
            assertEquals(2L, bob.take().message().cseq().sequence(), "the delivery thread is alive");
        }
    }

    /** What close forgets is counted as dropped: sent + duplicated == delivered + dropped + inFlight + held. */
    @Test
    void closeCountsWhatItForgetsAsDropped() throws Exception {
        TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build());
        LoopbackNetwork network = net.network;
        network.rule(Rule.when(p -> p.sequence() == 0, Fate.REORDER));
        net.open("mem", new Inbox()).listen(B);
        Connection out = net.open("mem", new Inbox()).connect(B);
        for (int i = 1; i <= 3; i++) {
            out.send(Sip.options(i));
        }
        assertEquals(1, network.deliverNext() ? 1 : 0);
        assertEquals(new NetworkStats(3, 1, 0, 0, 1, 2, 0), network.stats(), "1 overtaken by 2, 3 behind");
        net.close();
        assertEquals(new NetworkStats(3, 1, 2, 0, 1, 0, 0), network.stats());
    }

    @Test
    void builderRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LoopbackNetwork.newBuilder().loss(1.5));
        assertThrows(IllegalArgumentException.class, () -> LoopbackNetwork.newBuilder().duplication(-0.1));
        assertThrows(IllegalArgumentException.class, () -> LoopbackNetwork.newBuilder().reorder(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> LoopbackNetwork.newBuilder().delay(Duration.ofMillis(5), Duration.ofMillis(4)));
        assertThrows(IllegalArgumentException.class, () -> LoopbackNetwork.newBuilder().delay(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> LoopbackNetwork.newBuilder().capacity(1));
        assertThrows(IllegalArgumentException.class, () -> Rule.first(0, Fate.DROP, p -> true));
    }
}
