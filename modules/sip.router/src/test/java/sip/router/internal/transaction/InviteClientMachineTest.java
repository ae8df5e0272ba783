package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.await;
import static sip.router.internal.transaction.Harness.reply;
import static sip.router.internal.transaction.Harness.seconds;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.internal.transport.UnresolvableException;
import sip.transport.spi.Protocol;

class InviteClientMachineTest {

    @Test
    void timerADoublesFromT1UntilTimerBEndsItWith408() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        assertEquals(TransactionState.CALLING, tx.state());
        h.clock.advance(Duration.ofSeconds(40));

        assertEquals(seconds(0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5), h.conn.requestTimes("INVITE"));
        SipResponse r = await(tx);
        assertEquals(408, r.statusCode());
        assertEquals(new TransactionFailure.Timeout("B"), tx.failure().orElseThrow());
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(6, h.counters.retransmissionsSent.sum());
        assertEquals(1, h.counters.timeouts.sum());
        assertEquals(0, h.live());
    }

    @Test
    void reliableTransportNeverRetransmits() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.clock.advance(Duration.ofSeconds(31));
        assertEquals(1, h.conn.requestTimes("INVITE").size());
        assertFalse(tx.response().isDone());
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(408, await(tx).statusCode());
        assertEquals(0, h.live());
    }

    @Test
    void provisionalStopsTimerAAndNonSuccessFinalIsAckedAsSection17113Says() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        SipRequest sent = tx.request();
        h.clock.advance(Duration.ofMillis(700));
        h.receive(reply(sent, 180, "peer"));
        assertEquals(TransactionState.PROCEEDING, tx.state());
        h.clock.advance(Duration.ofSeconds(60));
        assertEquals(seconds(0, 0.5), h.conn.requestTimes("INVITE"));
        assertEquals(List.of(180), tx.provisionalResponses().stream().map(SipResponse::statusCode).toList());

        h.receive(reply(sent, 486, "peer"));
        assertEquals(486, await(tx).statusCode());
        assertEquals(TransactionState.COMPLETED, tx.state());
        SipRequest ack = h.conn.requests("ACK").getFirst();
        assertEquals(sent.requestUri(), ack.requestUri());
        assertEquals(sent.callId(), ack.callId());
        assertEquals(sent.from(), ack.from());
        assertEquals("peer", ack.toTag());
        assertEquals(sent.cseq().sequence(), ack.cseq().sequence());
        assertEquals(Method.ACK, ack.cseq().method());
        assertEquals(List.of(sent.topVia()), ack.vias());
        assertEquals(sent.all(HeaderType.ROUTE), ack.all(HeaderType.ROUTE));

        // A retransmitted final is ACKed again and not passed up.
        h.receive(reply(sent, 486, "peer"));
        assertEquals(2, h.conn.requests("ACK").size());

        h.clock.advance(Duration.ofSeconds(31));
        assertEquals(TransactionState.COMPLETED, tx.state());
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(TransactionState.TERMINATED, tx.state(), "Timer D, 32 s");
        assertEquals(0, h.live());
    }

    @Test
    void timerDIsZeroOnReliableTransports() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.receive(reply(tx.request(), 603, "peer"));
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(1, h.conn.requests("ACK").size());
        assertEquals(603, await(tx).statusCode());
        assertEquals(0, h.live());
    }

    @Test
    void acceptedPassesEveryFurther2xxToListenersAndEndsWithTimerM() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        SipRequest sent = tx.request();
        h.receive(reply(sent, 100, null));
        h.receive(reply(sent, 200, "fork1"));
        assertEquals(TransactionState.ACCEPTED, tx.state());
        h.receive(reply(sent, 200, "fork1"));
        h.receive(reply(sent, 200, "fork2"));
        assertEquals("fork1", await(tx).toTag());
        assertTrue(h.conn.requests("ACK").isEmpty(), "the ACK of a 2xx is the TU's");

        List<String> seen = new ArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        tx.onResponse(r -> {
            seen.add(r.statusCode() + "/" + r.toTag());
            three.countDown();
        });
        assertTrue(three.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("100/null", "200/fork1", "200/fork2"), seen, "a late listener: each fork's first 2xx");

        h.clock.advance(Duration.ofMillis(31_999));
        assertEquals(TransactionState.ACCEPTED, tx.state());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(0, h.live());
        h.receive(reply(sent, 200, "fork1"));
        assertEquals(1, h.counters.strayResponses.sum());
    }

    @Test
    void sendFailurePrepareFailureAndClosedFlowGive503WithTheirReason() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.conn.failing = true;
        ClientTransaction refused = h.send(Method.INVITE);
        assertEquals(503, await(refused).statusCode());
        assertInstanceOf(TransactionFailure.TransportError.class, refused.failure().orElseThrow());
        h.conn.failing = false;

        h.wire.prepareFailure = new UnresolvableException("sip:nowhere.invalid", "no such host");
        ClientTransaction unresolvable = h.send(Method.INVITE);
        assertEquals(503, await(unresolvable).statusCode());
        assertEquals("sip:nowhere.invalid",
                ((TransactionFailure.Unresolvable) unresolvable.failure().orElseThrow()).target());
        assertTrue(unresolvable.flow().isEmpty());
        h.wire.prepareFailure = null;

        ClientTransaction dropped = h.send(Method.INVITE);
        h.receive(reply(dropped.request(), 180, "t"));
        h.layer.onFlowClosed(h.conn.flow());
        assertEquals(503, await(dropped).statusCode());
        assertInstanceOf(TransactionFailure.TransportError.class, dropped.failure().orElseThrow());
        assertEquals(0, h.live());
        assertEquals(2, h.counters.transportErrors.sum());
    }

    @Test
    void aClosedFlowFailsOnlyItsOwnTransactionsWithoutScanningTheRest() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        List<ClientTransaction> live = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            live.add(h.send(Method.INVITE));
        }
        sip.transport.spi.Flow own = h.conn.flow();
        int before = h.conn.flowReads.get();
        h.layer.onFlowClosed(new sip.transport.spi.Flow(own.protocol(), new java.net.InetSocketAddress(0), own.remote()));
        h.layer.onFlowClosed(new sip.transport.spi.Flow(own.protocol(), own.local(),
                new java.net.InetSocketAddress("127.0.0.1", 9999)));
        assertEquals(before, h.conn.flowReads.get(), "no transaction looked at for another flow");
        assertEquals(50, h.live());

        h.layer.onFlowClosed(own);
        for (ClientTransaction tx : live) {
            assertEquals(503, await(tx).statusCode());
        }
        assertEquals(0, h.live());
    }

    @Test
    void cancelWaitsForAProvisionalThenGoesOutOnTheSameBranch() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        SipRequest sent = tx.request();
        tx.cancel();
        h.clock.advance(Duration.ofMillis(100));
        assertTrue(h.conn.requests("CANCEL").isEmpty(), "no CANCEL before a provisional");

        h.receive(reply(sent, 180, "peer"));
        SipRequest cancel = h.conn.requests("CANCEL").getFirst();
        assertEquals(sent.requestUri(), cancel.requestUri());
        assertEquals(sent.callId(), cancel.callId());
        assertEquals(sent.from(), cancel.from());
        assertEquals(sent.to(), cancel.to());
        assertEquals(sent.cseq().sequence(), cancel.cseq().sequence());
        assertEquals(Method.CANCEL, cancel.cseq().method());
        assertEquals(List.of(sent.topVia()), cancel.vias());
        assertEquals(sent.all(HeaderType.ROUTE), cancel.all(HeaderType.ROUTE));
        assertEquals(2, h.live(), "the CANCEL has a transaction of its own");
        tx.cancel();
        assertEquals(1, h.conn.requests("CANCEL").size(), "cancel() twice sends one CANCEL");

        // The CANCEL's own Timer E runs; its 200 ends it, and the INVITE ends with 487.
        h.clock.advance(Duration.ofMillis(500));
        assertEquals(2, h.conn.requests("CANCEL").size());
        h.receive(reply(cancel, 200, "peer"));
        h.receive(reply(sent, 487, "peer"));
        assertEquals(487, await(tx).statusCode());
        assertEquals(1, h.conn.requests("ACK").size());
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    @Test
    void aDeferredCancelOnAStreamIsNotSentOnTheThreadThatDeliveredThe1xx() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        ClientTransaction tx = h.send(Method.INVITE);
        tx.cancel();
        java.util.concurrent.CompletableFuture<Thread> sender = new java.util.concurrent.CompletableFuture<>();
        h.conn.duringSend = m -> {
            if (m instanceof SipRequest r && r.method().equals(Method.CANCEL)) {
                sender.complete(Thread.currentThread());
            }
        };
        h.receive(reply(tx.request(), 180, "peer"));
        Thread t = sender.get(5, TimeUnit.SECONDS);
        assertTrue(t.isVirtual(), "CANCEL handed to a virtual thread, not " + t);
    }

    @Test
    void cancelIsDroppedWhenAFinalArrivesFirstAndRefusedForNonInvite() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        tx.cancel();
        h.receive(reply(tx.request(), 200, "peer"));
        tx.cancel();
        h.clock.advance(Duration.ofSeconds(40));
        assertTrue(h.conn.requests("CANCEL").isEmpty());
        assertEquals(200, await(tx).statusCode());

        ClientTransaction options = h.send(Method.OPTIONS);
        assertThrows(IllegalStateException.class, options::cancel);
        assertThrows(IllegalArgumentException.class,
                () -> h.layer.sendRequest(Harness.outgoing(Method.ACK), null));
        assertThrows(IllegalArgumentException.class,
                () -> h.layer.sendRequest(Harness.outgoing(Method.CANCEL), null));
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    @Test
    void listenersRunOneAtATimeInArrivalOrder() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        var dependantOnVirtualThread = tx.response().thenApply(r -> Thread.currentThread().isVirtual());
        tx.onResponse(r -> {
            seen.add(r.statusCode());
            if (r.statusCode() == 200) {
                done.countDown();
            }
        });
        for (int code : new int[] {100, 180, 181, 183, 200}) {
            h.receive(reply(tx.request(), code, code == 100 ? null : "p"));
        }
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(100, 180, 181, 183, 200), seen);
        assertTrue(dependantOnVirtualThread.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aCallerCompletingTheReturnedFutureDoesNotChangeTheOutcome() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        SipResponse forged = reply(tx.request(), 603, "forged");
        assertTrue(tx.response().complete(forged));
        tx.response().completeExceptionally(new IllegalStateException("not mine"));
        var dependantOnVirtualThread = tx.response().thenApply(r -> Thread.currentThread().isVirtual());

        h.receive(reply(tx.request(), 486, "peer"));
        assertEquals(486, await(tx).statusCode());
        assertEquals("peer", await(tx).toTag());
        assertEquals(TransactionState.COMPLETED, tx.state());
        assertTrue(dependantOnVirtualThread.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aFinalResponseThatBreaksTheMachineIsCountedAndTheTransactionStillEnds() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.receive(reply(tx.request(), 180, "peer"));
        String good = new String(reply(tx.request(), 486, "peer").toBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String broken = good.replaceFirst("(?m)^To: .*$", "To: <sip:bob@127.0.0.1;tag=peer");
        // As a transport parsing with LAZY validation would hand it up: To is only read late.
        var parsed = sip.message.SipParser.newBuilder().validation(sip.message.SipParser.Validation.LAZY).build()
                .parse(broken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SipResponse malformed = (SipResponse) ((sip.message.ParseResult.Parsed) parsed).message();
        assertThrows(RuntimeException.class, malformed::to, "the test needs a response whose To fails late");

        h.receive(malformed);
        assertEquals(1, h.counters.malformedDropped.sum());
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(503, await(tx).statusCode());
        assertEquals(0, h.live());
        assertEquals(0, h.clock.pending());
    }

    @Test
    void ioExceptionOfARetransmissionEndsTheTransaction() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.conn.failing = true;
        h.clock.advance(Duration.ofMillis(500));
        assertEquals(503, await(tx).statusCode());
        assertEquals(0, h.live());
        assertThrows(IOException.class, () -> h.conn.send(new byte[1]));
    }

    @Test
    void timerCCancelsARingingInviteAndThe487IsAckedAndPassedUp() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.receive(reply(tx.request(), 180, "peer"));
        h.clock.advance(Duration.ofMinutes(3).plusSeconds(31));
        assertFalse(tx.response().isDone(), "Timer B does not run in PROCEEDING");
        assertTrue(h.conn.requests("CANCEL").isEmpty());
        h.clock.advance(Duration.ofSeconds(1));
        SipRequest cancel = h.conn.requests("CANCEL").getFirst();
        assertEquals(TransactionState.PROCEEDING, tx.state(), "waits for the 487 (§9.1)");
        assertFalse(tx.response().isDone());

        h.receive(reply(cancel, 200, "peer"));
        h.receive(reply(tx.request(), 487, "peer"));
        assertEquals(487, await(tx).statusCode());
        assertEquals(1, h.conn.requests("ACK").size(), "§17.1.1.3: the 487 is ACKed");
        assertTrue(tx.failure().isEmpty());
        assertEquals(0, h.counters.strayResponses.sum());
        assertEquals(0, h.counters.timeouts.sum());
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    @Test
    void aRingingInviteWhoseCancelGoesUnansweredEndsWith408TimerC64T1Later() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.receive(reply(tx.request(), 180, "peer"));
        h.clock.advance(Duration.ofMinutes(3).plusSeconds(32));
        assertEquals(1, h.conn.requests("CANCEL").size());
        h.clock.advance(Duration.ofMillis(31_999));
        assertFalse(tx.response().isDone());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(408, await(tx).statusCode());
        assertEquals(new TransactionFailure.Timeout("C"), tx.failure().orElseThrow());
        assertEquals(TransactionState.TERMINATED, tx.state());
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live(), "the CANCEL's own transaction ended by Timer F");
    }

    @Test
    void timerCSendsTheCancelOverAStreamOffTheTimerThreadAndWithoutTheInvitesMonitor() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        ClientTransaction tx = h.send(Method.INVITE);
        h.receive(reply(tx.request(), 180, "peer"));
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        h.conn.duringSend = m -> {
            if (m instanceof SipRequest r && r.method().equals(Method.CANCEL)) {
                sending.countDown(); // a peer that stopped reading: the send blocks
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            Thread timers = Thread.startVirtualThread(() -> h.clock.advance(Duration.ofMinutes(3).plusSeconds(32)));
            assertTrue(sending.await(5, TimeUnit.SECONDS), "Timer C sends a CANCEL");
            assertTrue(timers.join(Duration.ofSeconds(5)), "the timer thread does not wait for the send");
            h.receive(reply(tx.request(), 487, "peer")); // needs the INVITE's monitor
            assertEquals(487, await(tx).statusCode());
        } finally {
            release.countDown();
        }
    }

    @Test
    void acceptedKeepsOnlyTheFirst2xxPerToTagForLateListenersButEarlyOnesGetEvery2xx() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.INVITE);
        List<String> early = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch six = new CountDownLatch(6);
        tx.onResponse(r -> {
            early.add(r.statusCode() + "/" + r.toTag());
            six.countDown();
        });
        for (String tag : new String[] {"t1", "t1", "t1", "t2", "t1", "t2"}) {
            h.receive(reply(tx.request(), 200, tag));
        }
        assertTrue(six.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("200/t1", "200/t1", "200/t1", "200/t2", "200/t1", "200/t2"), early);
        List<String> late = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch two = new CountDownLatch(2);
        tx.onResponse(r -> {
            late.add(r.statusCode() + "/" + r.toTag());
            two.countDown();
        });
        assertTrue(two.await(5, TimeUnit.SECONDS));
        // Both replays are queued before onResponse returns, on the listener's own runner: a
        // third would have been submitted with them.
        CountDownLatch after = new CountDownLatch(1);
        tx.onResponse(r -> after.countDown());
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("200/t1", "200/t2"), late);
    }
}
