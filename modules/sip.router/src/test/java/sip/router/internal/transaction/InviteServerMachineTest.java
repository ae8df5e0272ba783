package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
