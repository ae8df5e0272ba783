package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.transport.spi.Flow;

class ServerImplTest {

    private final sip.router.internal.Counters counters = new sip.router.internal.Counters();
    private final ServerImpl server = new ServerImpl(
            (flow, sips) -> SipUri.of("parley", "192.0.2.1", flow.local().getPort()).withSecure(sips), 2, counters);

    private FakeServerTransaction receive(SipRequest request) {
        FakeServerTransaction tx = new FakeServerTransaction(request);
        server.onRequest(tx);
        return tx;
    }

    @Test
    void methodWithoutHandlerIs405WithAllow() throws Exception {
        server.onInvite(tx -> tx.respond(200)).onBye(tx -> tx.respond(200));
        SipResponse r = receive(Messages.request("MESSAGE", "", "")).next();
        assertEquals(405, r.statusCode());
        assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS", r.header(StandardHeader.ALLOW).orElseThrow());
        assertEquals("fake-to-tag", r.toTag(), "built from the transaction's builder");
    }

    @Test
    void optionsWithoutHandlerIs200WithCapabilities() throws Exception {
        server.onInvite(tx -> tx.respond(200)).supported("100rel", "timer").accept("application/sdp", "text/plain");
        SipResponse r = receive(Messages.request("OPTIONS", "", "")).next();
        assertEquals(200, r.statusCode());
        assertEquals("INVITE, ACK, CANCEL, OPTIONS", r.header(StandardHeader.ALLOW).orElseThrow());
        assertEquals("application/sdp, text/plain", r.header(StandardHeader.ACCEPT).orElseThrow());
        assertEquals("100rel, timer", r.header(StandardHeader.SUPPORTED).orElseThrow());
    }

    @Test
    void acceptDrivesOnly415AndProducesDrives406() throws Exception {
        server.onInvite(tx -> tx.respond(200)).accept("text/plain");
        String sdp = "v=0\r\n";
        SipResponse withSdp = receive(Messages.request("INVITE", "Content-Type: application/sdp\n", sdp)).next();
        assertEquals(415, withSdp.statusCode());
        SipResponse wantsSdp = receive(Messages.request("INVITE", "Accept: application/sdp\n", "")).next();
        assertEquals(200, wantsSdp.statusCode(), "answers still carry SDP: produces() is unchanged");
        server.produces("text/plain");
        SipResponse refused = receive(Messages.request("INVITE", "Accept: application/sdp\n", "")).next();
        assertEquals(406, refused.statusCode());
        assertEquals(java.util.List.of("text/plain"), server.config().produced());
    }

    @Test
    void stopHandlersInterruptsThoseStillRunningAndWaitsForThem() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        server.onBye(tx -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.complete(true);
                throw e;
            }
        });
        FakeServerTransaction tx = receive(Messages.request("BYE", "", ""));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        server.stopHandlers(java.time.Duration.ofSeconds(5));
        assertTrue(interrupted.isDone(), "interrupted, and stopHandlers waited for the handler to see it");
        assertEquals(500, tx.next().statusCode());
    }

    @Test
    void aHandlerThatStopsTheHandlersDoesNotInterruptOrWaitForItself() throws Exception {
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        server.onBye(tx -> {
            server.stopHandlers(java.time.Duration.ofSeconds(5));
            interruptedAfter.complete(Thread.currentThread().isInterrupted());
            tx.respond(200);
        });
        FakeServerTransaction tx = receive(Messages.request("BYE", "", ""));
        assertEquals(false, interruptedAfter.get(5, TimeUnit.SECONDS));
        assertEquals(200, tx.next().statusCode());
    }

    @Test
    void acksBeyondTheCapOfRunningAckHandlersAreDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server.onAck((ack, flow) -> {
            calls.incrementAndGet();
            running.countDown();
            release.await();
        });
        SipRequest ack = Messages.request("ACK", "", "");
        server.onAck(ack, null);
        server.onAck(ack, null);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        server.onAck(ack, null);
        assertEquals(1, counters.acksDropped.sum(), "the third ACK found both slots busy");
        release.countDown();
        assertEquals(2, calls.get());
    }

    @Test
    void optionsHandlerReplacesTheDefaultAnswer() throws Exception {
        server.onOptions(tx -> tx.respond(486));
        assertEquals(486, receive(Messages.request("OPTIONS", "", "")).next().statusCode());
    }

    @Test
    void defaultHandlerTakesMethodsWithoutTheirOwn() throws Exception {
        server.onDefault(tx -> tx.respond(202)).onBye(tx -> tx.respond(200));
        assertEquals(202, receive(Messages.request("MESSAGE", "", "")).next().statusCode());
        assertEquals(200, receive(Messages.request("BYE", "", "")).next().statusCode());
    }

    @Test
    void handlerExceptionIsAnswered500() throws Exception {
        server.onBye(tx -> {
            throw new IllegalStateException("boom");
        });
        SipResponse r = receive(Messages.request("BYE", "", "")).next();
        assertEquals(500, r.statusCode());
    }

    @Test
    void handlerExceptionAfterAnsweringSendsNothingMore() throws Exception {
        CountDownLatch thrown = new CountDownLatch(1);
        server.onBye(tx -> {
            tx.respond(200);
            thrown.countDown();
            throw new IllegalStateException("after the answer");
        });
        FakeServerTransaction tx = receive(Messages.request("BYE", "", ""));
        assertEquals(200, tx.next().statusCode());
        assertTrue(thrown.await(5, TimeUnit.SECONDS));
        // A second request through the same server proves the first handler's thread finished.
        server.onMessage(t -> t.respond(200));
        assertEquals(200, receive(Messages.request("MESSAGE", "", "")).next().statusCode());
        assertEquals(1, tx.sent().size(), "no 500 after a 200: " + tx.sent());
    }

    @Test
    void aSlowHandlerDoesNotDelayAnotherRequest() throws Exception {
        CountDownLatch inviteRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.onInvite(tx -> {
            inviteRunning.countDown();
            release.await();
            tx.respond(200);
        }).onBye(tx -> tx.respond(200));
        FakeServerTransaction invite = receive(Messages.request("INVITE", "", ""));
        assertTrue(inviteRunning.await(5, TimeUnit.SECONDS));
        FakeServerTransaction bye = receive(Messages.request("BYE", "", ""));
        assertEquals(200, bye.next().statusCode());
        assertEquals(0, invite.sent().size(), "the INVITE handler is still blocked");
        release.countDown();
        assertEquals(200, invite.next().statusCode());
    }

    @Test
    void onRequestReturnsWhileTheHandlerBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Thread> handlerThread = new CompletableFuture<>();
        server.onInvite(tx -> {
            handlerThread.complete(Thread.currentThread());
            release.await();
            tx.respond(486);
        });
        FakeServerTransaction tx = receive(Messages.request("INVITE", "", ""));
        Thread t = handlerThread.get(5, TimeUnit.SECONDS);
        assertTrue(t.isVirtual());
        assertTrue(t.getName().startsWith("sip-handler-"), t.getName());
        release.countDown();
        assertEquals(486, tx.next().statusCode());
    }

    @Test
    void rejectedRequestsNeverReachTheHandler() throws Exception {
        CompletableFuture<Void> called = new CompletableFuture<>();
        server.onInvite(tx -> called.complete(null));
        SipResponse r = receive(Messages.request("INVITE", "Require: 100rel\n", "")).next();
        assertEquals(420, r.statusCode());
        assertEquals("100rel", r.header(StandardHeader.UNSUPPORTED).orElseThrow());
        server.supported("100rel");
        receive(Messages.request("INVITE", "Require: 100rel\n", ""));
        called.get(5, TimeUnit.SECONDS);
    }

    @Test
    void ackGoesToTheAckHandlerOnAVirtualThread() throws Exception {
        CompletableFuture<Object[]> got = new CompletableFuture<>();
        server.onAck((ack, flow) -> got.complete(new Object[] {ack, flow, Thread.currentThread()}));
        SipRequest ack = Messages.request("ACK", "", "");
        Flow flow = new Flow("tcp", new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("127.0.0.1", 5999));
        server.onAck(ack, flow);
        Object[] r = got.get(5, TimeUnit.SECONDS);
        assertSame(ack, r[0]);
        assertSame(flow, r[1]);
        assertTrue(((Thread) r[2]).isVirtual());
    }

    @Test
    void ackWithoutHandlerIsDroppedAndAFailingAckHandlerIsContained() throws Exception {
        SipRequest ack = Messages.request("ACK", "", "");
        Flow flow = new Flow("udp", new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("127.0.0.1", 5999));
        server.onAck(ack, flow); // no handler: nothing to call, nothing thrown
        CountDownLatch calls = new CountDownLatch(2);
        server.onAck((a, f) -> {
            calls.countDown();
            throw new Exception("ack handler failure");
        });
        server.onAck(ack, flow);
        server.onAck(ack, flow);
        assertTrue(calls.await(5, TimeUnit.SECONDS), "a failing ACK handler keeps being called");
    }

    @Test
    void ackAndCancelCannotHaveRequestHandlers() {
        IllegalArgumentException ack = assertThrows(IllegalArgumentException.class,
                () -> server.onRequest(Method.ACK, tx -> { }));
        assertTrue(ack.getMessage().contains("onAck"), ack.getMessage());
        IllegalArgumentException cancel = assertThrows(IllegalArgumentException.class,
                () -> server.onRequest(Method.CANCEL, tx -> { }));
        assertTrue(cancel.getMessage().contains("onCancel"), cancel.getMessage());
    }

    @Test
    void badOptionTagsAndMediaTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> server.supported("bad tag"));
        assertThrows(IllegalArgumentException.class, () -> server.accept("application"));
        assertThrows(IllegalArgumentException.class, () -> server.accept("application/sdp/x"));
        assertThrows(IllegalArgumentException.class, () -> server.accept("/sdp"));
        assertThrows(NullPointerException.class, () -> server.onInvite(null));
        server.accept("Application/SDP");
        assertEquals(java.util.List.of("application/sdp"), server.config().accepted());
    }

    @Test
    void optionsWithoutSupportedTagsOrAcceptedTypesLeavesThoseOut() throws Exception {
        server.accept();
        SipResponse r = receive(Messages.request("OPTIONS", "", "")).next();
        assertEquals(200, r.statusCode());
        assertFalse(r.hasHeader(StandardHeader.SUPPORTED));
        assertFalse(r.hasHeader(StandardHeader.ACCEPT));
        assertEquals("ACK, CANCEL, OPTIONS", r.header(StandardHeader.ALLOW).orElseThrow());
    }

    @Test
    void handlersAnswerAnInviteWithContactAdded() throws Exception {
        server.onInvite(tx -> {
            tx.respond(180);
            tx.respond(200);
        });
        FakeServerTransaction tx = receive(Messages.request("INVITE", "", ""));
        for (int code : new int[] {180, 200}) {
            SipResponse r = tx.next();
            assertEquals(code, r.statusCode());
            assertEquals("sip:parley@192.0.2.1:5060", r.contacts().getFirst().uri().toString());
        }
    }

    @Test
    void aSipsInviteIsAnsweredWithASipsContact() throws Exception {
        server.onInvite(tx -> tx.respond(200));
        SipRequest sips = Messages.request("INVITE", "", "").toBuilder()
                .requestUri(SipUri.parse("sips:bob@example.com")).build();
        SipResponse r = receive(sips).next();
        assertEquals(200, r.statusCode());
        assertEquals("sips:parley@192.0.2.1:5060", r.contacts().getFirst().uri().toString());
    }

    @Test
    void whatTheHandlerSetIsKept() throws Exception {
        server.onInvite(tx -> tx.respond(tx.responseBuilder(200)
                .contact(sip.message.Contact.of(SipUri.parse("sip:me@198.51.100.1"))).build()));
        server.onBye(tx -> tx.respond(200));
        SipResponse ok = receive(Messages.request("INVITE", "", "")).next();
        assertEquals(java.util.List.of(SipUri.parse("sip:me@198.51.100.1")),
                ok.contacts().stream().map(c -> c.uri()).toList());
        SipResponse bye = receive(Messages.request("BYE", "", "")).next();
        assertFalse(bye.hasHeader(StandardHeader.CONTACT), "BYE creates no dialog");
    }
}
