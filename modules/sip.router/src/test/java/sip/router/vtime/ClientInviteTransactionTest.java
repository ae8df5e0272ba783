package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.TransactionState.ACCEPTED;
import static sip.router.TransactionState.CALLING;
import static sip.router.TransactionState.COMPLETED;
import static sip.router.TransactionState.PROCEEDING;
import static sip.router.TransactionState.TERMINATED;
import static sip.router.vtime.Testbed.ALICE;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.T1;
import static sip.router.vtime.Testbed.T4;
import static sip.router.vtime.Testbed.TIMEOUT;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;
import static sip.router.vtime.Testbed.ms;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.CSeq;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.TransactionFailure;
import sip.router.UserAgent;

/**
 * The client INVITE machine (RFC 3261 §17.1.1 with RFC 6026 §7.2) against a scripted peer, so
 * that what the other side sends, and when, is exactly what each test says.
 */
@Timeout(60)
class ClientInviteTransactionTest {

    private final Testbed bed = new Testbed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void unansweredInviteIsRetransmittedOnTimerADoublingAndEndsOnTimerB() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem", ALICE, PEER), "mem", PEER, T1, TIMEOUT);
        assertEquals(CALLING, tx.state());

        bed.advanceTo(ms(31_999));
        assertEquals(CALLING, tx.state());
        assertFalse(tx.response().isDone());
        bed.advanceTo(TIMEOUT);

        SipResponse response = tx.response().get(5, SECONDS);
        assertEquals(408, response.statusCode());
        assertEquals(Optional.of(new TransactionFailure.Timeout("B")), tx.failure());
        assertEquals(TERMINATED, tx.state());
        // A starts at T1 and doubles without a cap (§17.1.1.2); B = 64×T1
        assertEquals(ms(0, 500, 1500, 3500, 7500, 15500, 31500), bed.wire.times(Wire.request(Method.INVITE, ALICE)));
        assertEquals(7, peer.requests(Method.INVITE).stream()
                .filter(r -> r.topVia().branch().equals(tx.request().topVia().branch())).count());
        assertEquals(0, bed.wire.count(Wire.request(Method.ACK, ALICE)), "a local 408 is not acknowledged");
        assertIdle(alice);
        assertCounters(alice, 6, 0, 1);
    }

    @Test
    void provisionalStopsRetransmissionsAndNon2xxFinalIsAcknowledgedByTheTransactionUntilTimerD() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem", ALICE, PEER), "mem", PEER, T1, TIMEOUT);
        List<SipResponse> passedUp = new CopyOnWriteArrayList<>();
        tx.onResponse(passedUp::add);
        SipRequest invite = peer.lastRequest(Method.INVITE);

        peer.answer(invite, 180);
        bed.network.deliverAll();
        assertEquals(PROCEEDING, tx.state());
        assertEquals(List.of(180), codes(tx.provisionalResponses()));

        // no retransmission in Proceeding, and Timer B only applies in Calling (§17.1.1.2)
        bed.advanceTo(Duration.ofSeconds(40));
        assertEquals(PROCEEDING, tx.state());
        assertFalse(tx.response().isDone());
        assertEquals(1, peer.requests(Method.INVITE).size());

        SipResponse busy = peer.answer(invite, 486);
        bed.network.deliverAll();
        assertEquals(486, tx.response().get(5, SECONDS).statusCode());
        assertEquals(Optional.empty(), tx.failure());
        assertEquals(COMPLETED, tx.state());
        SipRequest ack = peer.lastRequest(Method.ACK);
        assertAckForNon2xx(invite, busy, ack);

        // a retransmitted final response gets the ACK again and is not passed up (§17.1.1.2)
        bed.advanceTo(Duration.ofSeconds(41));
        peer.send(busy, peer.connectionOf(invite));
        bed.network.deliverAll();
        assertEquals(2, peer.requests(Method.ACK).size());
        assertEquals(peer.requests(Method.ACK).get(0).toString(), peer.requests(Method.ACK).get(1).toString());

        // Timer D: at least 32 s on an unreliable transport, from entering Completed at 40 s
        bed.advanceTo(ms(71_999));
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(72));
        assertEquals(TERMINATED, tx.state());
        Testbed.await(() -> passedUp.size() >= 2, "the 180 and the 486 reach the listener");
        assertEquals(List.of(180, 486), codes(passedUp));
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void inviteRingingForeverIsCancelledAndEndedByTimerC() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem", ALICE, PEER), "mem", PEER, T1, TIMEOUT);
        SipRequest invite = peer.lastRequest(Method.INVITE);
        peer.answer(invite, 180);
        bed.network.deliverAll();

        // inviteHandlerTimeout (3 min) + 64×T1 after the first provisional
        Duration timerC = Duration.ofMinutes(3).plus(TIMEOUT);
        bed.advanceTo(timerC.minusMillis(1));
        assertEquals(PROCEEDING, tx.state());
        assertEquals(0, bed.wire.count(Wire.request(Method.CANCEL, ALICE)));
        bed.advanceTo(timerC);

        // Timer C cancels (§9.1) and waits 64×T1 for the 487, which this peer never sends
        assertEquals(timerC, bed.wire.await(Wire.request(Method.CANCEL, ALICE), 1).at());
        assertEquals(PROCEEDING, tx.state());
        assertFalse(tx.response().isDone());
        bed.network.deliverAll();
        peer.answer(peer.lastRequest(Method.CANCEL), 200);
        bed.network.deliverAll();
        bed.advanceTo(timerC.plus(TIMEOUT));
        assertEquals(408, tx.response().get(5, SECONDS).statusCode());
        assertEquals(Optional.of(new TransactionFailure.Timeout("C")), tx.failure());
        bed.advance(T4);
        assertIdle(alice);
        assertCounters(alice, 0, 0, 1);
    }

    @Test
    void twoHundredEntersAcceptedWhereEvery2xxReachesTheListenerUntilTimerM() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem", ALICE, PEER), "mem", PEER, T1, TIMEOUT);
        List<SipResponse> passedUp = new CopyOnWriteArrayList<>();
        tx.onResponse(passedUp::add);
        SipRequest invite = peer.lastRequest(Method.INVITE);

        SipResponse ok = peer.answer(invite, 200);
        bed.network.deliverAll();
        assertEquals(200, tx.response().get(5, SECONDS).statusCode());
        assertEquals(ACCEPTED, tx.state());

        // RFC 6026 §7.2: retransmissions and forks of the 2xx go up to the TU in Accepted
        bed.advanceTo(Duration.ofSeconds(1));
        peer.send(ok, peer.connectionOf(invite));
        bed.advanceTo(Duration.ofSeconds(2));
        peer.send(ok, peer.connectionOf(invite));
        bed.advanceTo(Duration.ofSeconds(3));
        peer.send(ok.toBuilder().toTag("fork-tag").build(), peer.connectionOf(invite));
        bed.network.deliverAll();
        Testbed.await(() -> passedUp.size() >= 4, "three copies of the 2xx and a fork reach the listener");
        assertEquals(List.of(ScriptedPeer.TO_TAG, ScriptedPeer.TO_TAG, ScriptedPeer.TO_TAG, "fork-tag"),
                passedUp.stream().map(SipResponse::toTag).toList());
        assertEquals(ACCEPTED, tx.state());
        assertEquals(0, alice.stats().strayResponses());

        // the ACK for a 2xx is the TU's (§13.2.2.4): a new branch, sent once, to the Contact
        SipRequest ack = alice.client().ack(tx.request(), ok);
        bed.network.deliverAll();
        SipRequest received = peer.lastRequest(Method.ACK);
        assertEquals(ack.callId(), received.callId());
        assertNotEquals(invite.topVia().branch(), received.topVia().branch());
        assertTrue(received.topVia().hasRfc3261Branch());
        assertEquals(new CSeq(invite.cseq().sequence(), Method.ACK), received.cseq());
        assertEquals(ScriptedPeer.TO_TAG, received.toTag());
        assertEquals(ok.contacts().getFirst().uri(), received.requestUri());

        bed.advanceTo(ms(31_999));
        assertEquals(ACCEPTED, tx.state());
        bed.advanceTo(TIMEOUT);
        assertEquals(TERMINATED, tx.state());
        assertEquals(1, bed.wire.count(Wire.request(Method.INVITE, ALICE)));
        assertEquals(1, bed.wire.count(Wire.request(Method.ACK, ALICE)), "the transaction never sends or repeats a 2xx ACK");

        // after Timer M a 2xx matches no transaction
        peer.send(ok, peer.connectionOf(invite));
        bed.network.deliverAll();
        assertEquals(1, alice.stats().strayResponses());
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void ackFor2xxIsReturnedAsSent() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem", ALICE, PEER), "mem", PEER, T1, TIMEOUT);
        peer.answer(peer.lastRequest(Method.INVITE), 200);
        bed.network.deliverAll();

        SipRequest ack = alice.client().ack(tx.request(), tx.response().get(5, SECONDS));
        bed.network.deliverAll();
        assertEquals(peer.lastRequest(Method.ACK).vias(), ack.vias(),
                "Client.ack returns the ACK as sent, with the Via the transport layer gave it");
    }

    @Test
    void reliableTransportSendsOnceAndStillEndsOnTimerB() throws Exception {
        UserAgent alice = bed.agent("mem-stream", ALICE);
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem-stream", ALICE, PEER), "mem-stream",
                PEER, TIMEOUT);

        bed.advanceTo(ms(31_999));
        assertEquals(CALLING, tx.state());
        bed.advanceTo(TIMEOUT);

        assertEquals(408, tx.response().get(5, SECONDS).statusCode());
        assertEquals(Optional.of(new TransactionFailure.Timeout("B")), tx.failure());
        assertEquals(List.of(Duration.ZERO), peer.arrivalTimes(Method.INVITE), "Timer A is not set on a reliable transport");
        assertIdle(alice);
        assertCounters(alice, 0, 0, 1);
    }

    @Test
    void reliableTransportLeavesCompletedAtOnceWithTimerDZero() throws Exception {
        UserAgent alice = bed.agent("mem-stream", ALICE);
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem-stream", ALICE, PEER), "mem-stream",
                PEER, TIMEOUT);
        SipRequest invite = peer.lastRequest(Method.INVITE);

        SipResponse busy = peer.answer(invite, 486);
        bed.network.deliverAll();
        assertEquals(486, tx.response().get(5, SECONDS).statusCode());
        bed.clock.runDue();
        bed.network.deliverAll();

        assertEquals(TERMINATED, tx.state());
        assertEquals(Duration.ZERO, bed.clock.elapsed());
        assertAckForNon2xx(invite, busy, peer.lastRequest(Method.ACK));
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void reliableTransportStillHoldsAcceptedForTimerM() throws Exception {
        UserAgent alice = bed.agent("mem-stream", ALICE);
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem-stream", ALICE, PEER), "mem-stream",
                PEER, TIMEOUT);
        peer.answer(peer.lastRequest(Method.INVITE), 200);
        bed.network.deliverAll();
        assertEquals(200, tx.response().get(5, SECONDS).statusCode());

        // RFC 6026 §7.2: M is 64×T1 whatever the transport
        bed.advanceTo(ms(31_999));
        assertEquals(ACCEPTED, tx.state());
        bed.advanceTo(TIMEOUT);
        assertEquals(TERMINATED, tx.state());
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    /** §17.1.1.3: same Request-URI, Call-ID, From, CSeq number and the one Via; the response's To. */
    static void assertAckForNon2xx(SipRequest invite, SipResponse response, SipRequest ack) {
        assertEquals(invite.requestUri(), ack.requestUri());
        assertEquals(invite.callId(), ack.callId());
        assertEquals(invite.fromTag(), ack.fromTag());
        assertEquals(response.toTag(), ack.toTag());
        assertEquals(new CSeq(invite.cseq().sequence(), Method.ACK), ack.cseq());
        assertEquals(List.of(invite.topVia()), ack.vias());
    }

    static List<Integer> codes(List<SipResponse> responses) {
        return responses.stream().map(SipResponse::statusCode).toList();
    }
}
