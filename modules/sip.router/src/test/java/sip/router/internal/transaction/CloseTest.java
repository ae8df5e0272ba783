package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.await;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.reply;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.ServerTransaction;
import sip.router.TransactionFailure;
import sip.transport.spi.Protocol;

class CloseTest {

    @Test
    void closeWithNothingLiveClosesTheTransportAtOnce() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.layer.closeAsync(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertTrue(h.wire.stoppedListening);
        assertTrue(h.wire.closed);
    }

    @Test
    void closeWaitsForLiveTransactionsThenEndsTheRest() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction hanging = h.send(Method.INVITE);
        h.receive(reply(hanging.request(), 180, "p"));
        h.receive(inbound("INVITE", "z9hG4bK-in", "c1", 1, null));
        ServerTransaction unanswered = h.onlyRequest();

        CompletableFuture<Void> closed = h.layer.closeAsync(Duration.ofSeconds(5));
        assertTrue(h.wire.stoppedListening);
        h.receive(inbound("OPTIONS", "z9hG4bK-late", "c2", 1, null));
        assertEquals(503, Harness.code(h.wire.stateless.getFirst()), "new requests refused while closing");
        assertEquals(1, h.requests.size());
        assertInstanceOf(TransactionFailure.Closed.class,
                h.layer.sendRequest(Harness.outgoing(Method.OPTIONS), null).failure().orElseThrow());

        h.clock.advance(Duration.ofMillis(4_999));
        assertFalse(closed.isDone());
        h.clock.advance(Duration.ofMillis(1));
        closed.get(5, TimeUnit.SECONDS);

        assertEquals(503, await(hanging).statusCode());
        assertInstanceOf(TransactionFailure.Closed.class, hanging.failure().orElseThrow());
        assertTrue(unanswered.isAnswered());
        assertEquals(1, h.conn.responseTimes(503).size());
        assertTrue(h.wire.closed);
        assertEquals(0, h.live());
    }

    @Test
    void closeReturnsAsSoonAsTheLastTransactionEnds() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.OPTIONS);
        CompletableFuture<Void> closed = h.layer.closeAsync(Duration.ofSeconds(60));
        h.receive(reply(tx.request(), 200, "p"));
        h.clock.advance(Duration.ofSeconds(5));
        closed.get(5, TimeUnit.SECONDS);
        assertEquals(Duration.ofSeconds(5), h.clock.elapsed());
        assertEquals(200, await(tx).statusCode());
        assertEquals(0, h.clock.pending(), "the grace timer was cancelled");
    }

    @Test
    void anAcceptedInviteHoldsUpCloseUntilTheApplicationsAckIsSent() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction invite = h.send(Method.INVITE);
        h.receive(reply(invite.request(), 200, "t1"));
        SipResponse ok = await(invite);

        CompletableFuture<Void> closed = h.layer.closeAsync(Duration.ofSeconds(5));
        assertFalse(h.layer.isDrained(), "the 2xx has no ACK yet");
        SipRequest sent = invite.request();
        h.layer.sendStateless(SipRequest.builder(Method.ACK, sent.requestUri()).from(sent.from()).to(ok.to())
                .callId(sent.callId()).cseq(sent.cseq().sequence()).maxForwards(70).build());
        assertTrue(h.layer.isDrained(), "the ACK is out");
        closed.get(5, TimeUnit.SECONDS);
        assertEquals(1, h.conn.requests("ACK").size());
        assertEquals(Duration.ZERO, h.clock.elapsed());
    }

    @Test
    void aFinalResponseBeingSentHoldsUpCloseUntilItIsOut() throws Exception {
        // Once the transaction counted as answered before its final response was sent, so a
        // closing layer could close the transport under that send (seen as a flaky test).
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("MESSAGE", "z9hG4bK-m", "c-final", 1, null));
        ServerTransaction tx = h.onlyRequest();
        CompletableFuture<Void> closed = h.layer.closeAsync(Duration.ofSeconds(5));
        boolean[] drainedDuringSend = new boolean[1];
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 200) {
                drainedDuringSend[0] = h.layer.isDrained();
            }
        };
        tx.respond(200);
        assertFalse(drainedDuringSend[0], "close went on while the 200 was being sent");
        assertTrue(h.layer.isDrained(), "drained once the 200 is out");
        closed.get(5, TimeUnit.SECONDS);
        assertEquals(1, h.conn.responses().stream().filter(r -> r.statusCode() == 200).count());
    }

    @Test
    void anAcceptedInviteWithoutAnAckHoldsUpCloseOnlyForTheGracePeriod() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction invite = h.send(Method.INVITE);
        h.receive(reply(invite.request(), 200, "t1"));
        await(invite);
        CompletableFuture<Void> closed = h.layer.closeAsync(Duration.ofSeconds(5));
        h.clock.advance(Duration.ofMillis(4_999));
        assertFalse(h.layer.isDrained());
        h.clock.advance(Duration.ofMillis(1));
        closed.get(5, TimeUnit.SECONDS);
        assertTrue(h.wire.closed);
    }

    @Test
    void aRuntimeExceptionEndingOneTransactionNeitherStopsCloseNorLeavesTheOthers() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("INVITE", "z9hG4bK-a", "c1", 1, null));
        h.receive(inbound("INVITE", "z9hG4bK-b", "c2", 1, null));
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 503 && r.callId().equals("c1")) {
                throw new java.io.UncheckedIOException(new java.io.IOException("broken (fake)"));
            }
        };
        h.layer.closeAsync(Duration.ZERO).get(5, TimeUnit.SECONDS);
        assertTrue(h.wire.closed);
        assertEquals(1, h.conn.responseTimes(503).size(), "the other transaction still got its 503");
        assertEquals(0, h.live());
    }

    @Test
    void closeDoesNotWaitForAResponseStuckOnAStalledStreamPeer() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.receive(inbound("INVITE", "z9hG4bK-a", "c1", 1, null));
        ServerTransaction tx = h.onlyRequest();
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 180) {
                sending.countDown(); // the peer stopped reading
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Thread handler = Thread.startVirtualThread(() -> {
            try {
                tx.respond(180);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            assertTrue(sending.await(5, TimeUnit.SECONDS));
            h.layer.closeAsync(Duration.ZERO).get(5, TimeUnit.SECONDS);
            assertTrue(h.wire.closed);
            assertTrue(h.conn.responseTimes(503).isEmpty(), "no 503 behind the stuck 180");
        } finally {
            release.countDown();
            handler.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void aListenerThatWillNotStopDoesNotLeaveCloseHanging() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.wire.stopListeningFailure = new IllegalStateException("will not stop (fake)");
        h.layer.closeAsync(Duration.ZERO).get(5, TimeUnit.SECONDS);
        assertTrue(h.wire.closed);
        h.layer.closeAsync(Duration.ZERO).get(5, TimeUnit.SECONDS); // a second close returns too
    }
}
