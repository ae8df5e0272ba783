package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.invite;
import static sip.router.internal.transaction.Harness.seconds;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Protocol;

class InviteServerMachineTest {

    private static final String BRANCH = "z9hG4bK-inv1";

    @Test
    void sends100TryingItselfAfterTheTryingDelay() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        assertEquals(TransactionState.PROCEEDING, tx.state());
        h.clock.advance(Duration.ofMillis(199));
        assertTrue(h.conn.responses().isEmpty());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(seconds(0.2), h.conn.responseTimes(100));
        SipResponse trying = h.conn.responses().getFirst();
        assertEquals(null, trying.toTag(), "never a To tag on 100");
        assertEquals("Parley-test", trying.header(StandardHeader.SERVER).orElseThrow());
    }

    @Test
    void noAutomatic100WhenTheUserAnsweredFirst() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        h.clock.advance(Duration.ofMillis(100));
        h.onlyRequest().respond(180);
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), h.conn.responseTimes(100));
        assertEquals(seconds(0.1), h.conn.responseTimes(180));
    }

    @Test
    void retransmittedInviteGetsTheLastProvisionalAgain() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        h.receive(invite(BRANCH));
        assertTrue(h.conn.responses().isEmpty(), "nothing to resend yet");
        h.onlyRequest().respond(183);
        h.receive(invite(BRANCH));
        assertEquals(2, h.conn.responseTimes(183).size());
        assertEquals(2, h.counters.retransmissionsAbsorbed.sum());
        assertEquals(1, h.requests.size(), "the user saw the INVITE once");
    }

    @Test
    void nonSuccessFinalRetransmittedByTimerGCappedAtT2UntilTimerH() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(486);
        assertEquals(TransactionState.COMPLETED, tx.state());
        assertTrue(tx.isAnswered());
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(seconds(0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5),
                h.conn.responseTimes(486));
        assertEquals(TransactionState.TERMINATED, tx.state(), "Timer H, no ACK");
        assertEquals(0, h.live());
    }

    @Test
    void ackConfirmsAndTimerIEnds() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(404);
        h.clock.advance(Duration.ofMillis(600));
        h.receive(invite(BRANCH));
        assertEquals(seconds(0, 0.5, 0.6), h.conn.responseTimes(404), "retransmitted INVITE answered");
        String tag = h.conn.responses().getFirst().toTag();

        h.receive(inbound("ACK", BRANCH, "call-in", 1, tag));
        assertEquals(TransactionState.CONFIRMED, tx.state());
        h.receive(inbound("ACK", BRANCH, "call-in", 1, tag));
        assertTrue(h.acks.isEmpty(), "the ACK of a non-2xx is absorbed");
        h.clock.advance(Duration.ofMillis(4_999));
        assertEquals(3, h.conn.responseTimes(404).size(), "Timer G stopped");
        assertEquals(TransactionState.CONFIRMED, tx.state());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(TransactionState.TERMINATED, tx.state(), "Timer I = T4");
        assertEquals(0, h.live());
    }

    @Test
    void reliableTransportNoTimerGAndZeroTimerI() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(480);
        h.clock.advance(Duration.ofSeconds(10));
        assertEquals(1, h.conn.responseTimes(480).size());
        h.receive(inbound("ACK", BRANCH, "call-in", 1, h.conn.responses().getLast().toTag()));
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(0, h.live());
    }

    @Test
    void acceptedResends2xxUntilItsAckAndAbsorbsInviteRetransmissions() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(200);
        assertEquals(TransactionState.ACCEPTED, tx.state());
        h.clock.advance(Duration.ofMillis(8_000));
        assertEquals(seconds(0, 0.5, 1.5, 3.5, 7.5), h.conn.responseTimes(200));
        h.receive(invite(BRANCH));
        assertEquals(5, h.conn.responseTimes(200).size(), "INVITE retransmission absorbed in ACCEPTED");

        // The ACK of a 2xx is a transaction of its own (new branch): matched by dialog ids.
        String tag = h.conn.responses().getFirst().toTag();
        h.receive(inbound("ACK", "z9hG4bK-ack", "call-in", 1, tag));
        assertEquals(1, h.acks.size(), "the ACK of a 2xx goes to the user");
        h.clock.advance(Duration.ofSeconds(10));
        assertEquals(5, h.conn.responseTimes(200).size(), "2xx retransmission stopped by the ACK");
        assertEquals(TransactionState.ACCEPTED, tx.state());
        h.clock.advance(Duration.ofMillis(14_000));
        assertEquals(TransactionState.TERMINATED, tx.state(), "Timer L = 64*T1");
        assertEquals(0, h.live());
    }

    @Test
    void twoHundredRetransmissionEndsWithTimerLWithoutAck() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        h.onlyRequest().respond(200);
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(seconds(0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5),
                h.conn.responseTimes(200));
        assertEquals(0, h.live());
        assertEquals(0, h.clock.pending());
    }

    @Test
    void reliableAcceptedDoesNotResend() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.receive(invite(BRANCH));
        h.onlyRequest().respond(200);
        h.clock.advance(Duration.ofSeconds(31));
        assertEquals(1, h.conn.responseTimes(200).size());
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(0, h.live());
    }

    @Test
    void oneToTagPerTransactionAndNoSecondFinal() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(180);
        tx.respond(tx.responseBuilder(183).build());
        tx.respond(SipResponse.forRequest(tx.request(), 603));
        List<String> tags = h.conn.responses().stream().map(SipResponse::toTag).distinct().toList();
        assertEquals(1, tags.size());
        assertNotNull(tags.getFirst());
        assertTrue(h.conn.responses().stream().allMatch(r -> r.hasHeader(StandardHeader.SERVER)));
        assertThrows(IllegalStateException.class, () -> tx.respond(200));
        assertThrows(IllegalStateException.class, () -> tx.respond(180));
    }

    @Test
    void aResponseToAnotherRequestIsRefused() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        SipResponse other = SipResponse.forRequest(inbound("INVITE", BRANCH, "other-call", 1, null), 200);
        assertThrows(IllegalStateException.class, () -> tx.respond(other));
        SipResponse otherVia = SipResponse.forRequest(invite("z9hG4bK-other"), 200);
        assertThrows(IllegalStateException.class, () -> tx.respond(otherVia));
        assertEquals(TransactionState.PROCEEDING, tx.state());
    }

    @Test
    void unansweredInviteGets408AfterTheInviteHandlerTimeout() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        h.clock.advance(Duration.ofMinutes(3).minusMillis(1));
        assertEquals(List.of(), h.conn.responseTimes(408));
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(Duration.ofMinutes(3)), h.conn.responseTimes(408));
        assertEquals(TransactionState.COMPLETED, h.onlyRequest().state());
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    /** Runs {@code action} on another thread and says whether it finished within 5 s. */
    private static boolean finishesWhileSending(Runnable action) {
        Thread t = Thread.ofPlatform().start(action);
        try {
            t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return !t.isAlive();
    }

    @Test
    void anAckRacingTheSendOfThe2xxIsMatchedAndStopsItsRetransmission() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        java.util.concurrent.atomic.AtomicBoolean ackDelivered = new java.util.concurrent.atomic.AtomicBoolean();
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 200 && !ackDelivered.getAndSet(true)) {
                // Another UDP worker hands up the ACK while this thread is still sending.
                ackDelivered.set(finishesWhileSending(
                        () -> h.receive(inbound("ACK", "z9hG4bK-ack", "call-in", 1, r.toTag()))));
            }
        };
        tx.respond(200);
        assertTrue(ackDelivered.get(), "the ACK was handled while the 2xx was being sent");
        assertEquals(1, h.acks.size());
        h.clock.advance(Duration.ofSeconds(10));
        assertEquals(1, h.conn.responseTimes(200).size(), "the 2xx is not resent once ACKed");
        h.clock.advance(Duration.ofSeconds(30));
        assertEquals(0, h.live());
    }

    @Test
    void aFailedSendOfThe2xxStillLeavesEveryTable() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        h.conn.failing = true;
        assertThrows(java.io.IOException.class, () -> tx.respond(200));
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(0, h.live());
        assertEquals(0, h.layer.unansweredServerTransactions());
        h.conn.failing = false;
        String tag = tx.responseBuilder(200).build().toTag();
        h.receive(inbound("ACK", "z9hG4bK-ack", "call-in", 1, tag));
        assertEquals(1, h.acks.size(), "no 2xx left waiting for this ACK");
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.clock.pending());
        assertTrue(h.conn.responses().isEmpty());
    }

    @Test
    void theMonitorIsNotHeldAcrossTheSendOfAResponse() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        java.util.concurrent.atomic.AtomicBoolean retransmissionHandled = new java.util.concurrent.atomic.AtomicBoolean();
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 180) {
                retransmissionHandled.set(finishesWhileSending(() -> h.receive(invite(BRANCH))));
            }
        };
        tx.respond(180);
        assertTrue(retransmissionHandled.get(), "a retransmitted INVITE is not held up by a slow send");
        h.conn.duringSend = null;
        tx.respond(486);
        assertEquals(List.of(180, 486), h.conn.responses().stream().map(SipResponse::statusCode).toList());
    }

    @Test
    void responsesFromTwoThreadsLeaveInTheOrderTheirStateChangesWereMade() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        java.util.concurrent.CountDownLatch sending183 = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 183) {
                sending183.countDown();
                try {
                    release.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        };
        Thread provisional = Thread.ofPlatform().start(() -> {
            try {
                tx.respond(183);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(sending183.await(5, java.util.concurrent.TimeUnit.SECONDS));
        Thread fin = Thread.ofPlatform().start(() -> {
            try {
                tx.respond(486);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // The 486 must wait for the 183's send: release it only once the 486's thread is parked.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (fin.getState() != Thread.State.WAITING && fin.getState() != Thread.State.BLOCKED
                && fin.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown();
        provisional.join(Duration.ofSeconds(5));
        fin.join(Duration.ofSeconds(5));
        assertEquals(List.of(183, 486), h.conn.responses().stream().map(SipResponse::statusCode).toList());
    }

    @Test
    void anAnsweredTransactionKeepsNoParsedResponseAndNoHandlerOrTryingTimer() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        InviteServerMachine tx = (InviteServerMachine) h.onlyRequest();
        tx.onCancel(c -> { });
        tx.respond(180);
        tx.respond(486);
        // Timer G and Timer H only: the 3 min handler timeout and the trying timer are gone.
        assertEquals(2, h.clock.pending());
        for (Class<?> c = tx.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v = f.get(tx);
                assertFalse(v instanceof SipResponse || v instanceof sip.router.internal.transport.OutboundResponse,
                        f.getName() + " keeps a parsed response");
                if (f.getName().equals("handlerTimer") || f.getName().equals("tryingTimer")
                        || f.getName().equals("cancelActions")) {
                    assertEquals(null, v, f.getName() + " kept after the final response");
                }
            }
        }
        h.receive(invite(BRANCH));
        assertEquals(2, h.conn.responseTimes(486).size(), "the final is still resent from its bytes");
    }
}
