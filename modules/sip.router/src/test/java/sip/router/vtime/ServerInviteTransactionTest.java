package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.TransactionState.ACCEPTED;
import static sip.router.TransactionState.COMPLETED;
import static sip.router.TransactionState.CONFIRMED;
import static sip.router.TransactionState.PROCEEDING;
import static sip.router.TransactionState.TERMINATED;
import static sip.router.vtime.Testbed.BOB;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;
import static sip.router.vtime.Testbed.ms;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * The server INVITE machine (RFC 3261 §17.2.1 with RFC 6026 §7.1) under a scripted peer that
 * retransmits, acknowledges or stays silent exactly when each test says. Handlers hand their
 * transaction to the test, which answers from its own thread: {@code respond} has sent the
 * response when it returns, so the clock cannot overtake it.
 */
@Timeout(60)
class ServerInviteTransactionTest {

    private final Testbed bed = new Testbed();
    private final Testbed.Inbox inbox = new Testbed.Inbox();
    private final List<SipRequest> acks = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private UserAgent bob(String protocol) throws Exception {
        UserAgent bob = bed.agent(protocol, BOB);
        bob.server().onInvite(inbox::accept).onAck((ack, flow) -> acks.add(ack));
        return bob;
    }

    /** The peer sends an INVITE to Bob and the test gets Bob's server transaction for it. */
    private ServerTransaction invite(ScriptedPeer peer, SipRequest invite) throws InterruptedException {
        peer.send(invite, BOB);
        bed.network.deliverAll();
        ServerTransaction tx = inbox.take();
        assertEquals(invite.callId(), tx.request().callId());
        return tx;
    }

    @Test
    void non2xxFinalIsRetransmittedOnTimerGUntilTimerH() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        ServerTransaction tx = invite(peer, peer.newRequest(Method.INVITE, BOB));
        assertEquals(PROCEEDING, tx.state());

        tx.respond(486);
        assertTrue(tx.isAnswered());
        assertEquals(COMPLETED, tx.state());
        assertThrows(IllegalStateException.class, () -> tx.respond(200));

        bed.advanceTo(ms(31_999));
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(32));
        assertEquals(TERMINATED, tx.state());
        // G: T1, doubling, capped at T2; H = 64×T1 from entering Completed
        assertEquals(ms(0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500),
                bed.wire.times(Wire.response(486, Method.INVITE, BOB)));
        assertEquals(0, bed.wire.count(Wire.response(100, Method.INVITE, BOB)), "answered before the trying delay");
        assertEquals(11, peer.responses().size());
        assertIdle(bob);
        assertCounters(bob, 10, 0, 0);
    }

    @Test
    void ackForNon2xxConfirmsIsAbsorbedAndTimerIEnds() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        ServerTransaction tx = invite(peer, invite);
        tx.respond(486);

        bed.advanceTo(Duration.ofSeconds(1));
        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getFirst()), BOB);
        bed.network.deliverAll();
        assertEquals(CONFIRMED, tx.state());

        // I = T4 from entering Confirmed; G is ignored there
        bed.advanceTo(ms(5_999));
        assertEquals(CONFIRMED, tx.state());
        bed.advanceTo(Duration.ofSeconds(6));
        assertEquals(TERMINATED, tx.state());
        assertEquals(ms(0, 500), bed.wire.times(Wire.response(486, Method.INVITE, BOB)));

        // the absorbed ACK never reached the AckHandler: a stray one does, and is the only one
        SipRequest stray = peer.ackFor2xx(invite, peer.responses().getFirst());
        peer.send(stray, BOB);
        bed.network.deliverAll();
        Testbed.await(() -> !acks.isEmpty(), "the stray ACK reaches the AckHandler");
        assertEquals(List.of(stray.topVia().branch()), acks.stream().map(a -> a.topVia().branch()).toList());
        assertIdle(bob);
        assertCounters(bob, 1, 0, 0);
    }

    @Test
    void retransmittedInviteIsAnsweredWithTheLastResponseAndNeverReachesTheHandlerAgain() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        ServerTransaction tx = invite(peer, invite);
        tx.respond(180);
        assertEquals(PROCEEDING, tx.state());

        bed.advanceTo(ms(100));
        peer.send(invite, BOB);
        bed.network.deliverAll();
        tx.respond(486);

        bed.advanceTo(ms(300));
        peer.send(invite, BOB);
        bed.advanceTo(ms(400));
        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getLast()), BOB);
        bed.network.deliverAll();
        assertEquals(CONFIRMED, tx.state());

        assertEquals(ms(0, 100), bed.wire.times(Wire.response(180, Method.INVITE, BOB)));
        assertEquals(ms(100, 300), bed.wire.times(Wire.response(486, Method.INVITE, BOB)));
        assertEquals(0, bed.wire.count(Wire.response(100, Method.INVITE, BOB)));
        bed.advanceTo(ms(5_400));
        assertEquals(TERMINATED, tx.state());
        assertEquals(0, inbox.size(), "retransmissions are absorbed by the transaction");
        assertIdle(bob);
        Testbed.assertAbsorbedAndTimeouts(bob, 2, 0);
    }

    @Test
    void slowHandlerGets100TryingAfterTheTryingDelay() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        ServerTransaction tx = invite(peer, invite);

        bed.advanceTo(ms(199));
        assertEquals(0, bed.wire.count(Wire.anyResponse(BOB)));
        bed.advanceTo(ms(200));
        assertEquals(List.of(ms(200)), bed.wire.times(Wire.response(100, Method.INVITE, BOB)));
        assertEquals(PROCEEDING, tx.state());

        // the 100 is now the last provisional: a retransmitted INVITE gets it again
        bed.advanceTo(ms(500));
        peer.send(invite, BOB);
        bed.network.deliverAll();
        assertEquals(ms(200, 500), bed.wire.times(Wire.response(100, Method.INVITE, BOB)));

        tx.respond(486);
        bed.network.deliverAll();
        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getLast()), BOB);
        bed.network.deliverAll();
        assertEquals(CONFIRMED, tx.state());
        bed.advanceTo(ms(5_500));
        assertIdle(bob);
        Testbed.assertAbsorbedAndTimeouts(bob, 1, 0);
    }

    @Test
    void handlerAnsweringAtOnceSendsNo100Trying() throws Exception {
        UserAgent bob = bed.agent("mem", BOB);
        CountDownLatch answered = new CountDownLatch(1);
        bob.server().onInvite(tx -> {
            tx.respond(603);
            answered.countDown();
        });
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        peer.send(invite, BOB);
        bed.network.deliverAll();
        assertTrue(answered.await(5, SECONDS));

        bed.advanceTo(ms(250));
        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getLast()), BOB);
        bed.advanceTo(Duration.ofSeconds(6));
        assertEquals(List.of(603), ClientInviteTransactionTest.codes(peer.responses()));
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void inviteLeftUnansweredIsAnswered408AfterTheInviteHandlerTimeout() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        ServerTransaction tx = invite(peer, invite);

        bed.advanceTo(ms(179_999));
        assertEquals(List.of(ms(200)), bed.wire.times(Wire.anyResponse(BOB)), "only the automatic 100 so far");
        bed.advanceTo(Duration.ofMinutes(3));
        assertEquals(List.of(Duration.ofMinutes(3)), bed.wire.times(Wire.response(408, Method.INVITE, BOB)));
        assertTrue(tx.isAnswered());
        assertEquals(COMPLETED, tx.state());

        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getLast()), BOB);
        bed.network.deliverAll();
        assertEquals(CONFIRMED, tx.state());
        bed.advance(Duration.ofSeconds(5));
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void twoXxEntersAcceptedAbsorbsInviteRetransmissionsAndHandsTheAckUpUntilTimerL() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        ServerTransaction tx = invite(peer, invite);

        tx.respond(200);
        assertEquals(ACCEPTED, tx.state());
        bed.network.deliverAll();
        SipResponse ok = peer.responses().getLast();
        assertEquals(200, ok.statusCode());
        SipRequest ack = peer.ackFor2xx(invite, ok);
        peer.send(ack, BOB);
        bed.network.deliverAll();
        Testbed.await(() -> !acks.isEmpty(), "the ACK for the 2xx reaches the AckHandler");
        assertEquals(ack.topVia().branch(), acks.getFirst().topVia().branch());
        assertEquals(ACCEPTED, tx.state(), "the ACK for a 2xx is a transaction of its own (§17.1.1.3)");

        // RFC 6026 §7.1: INVITE retransmissions in Accepted are absorbed, not passed to the TU
        bed.advanceTo(Duration.ofSeconds(1));
        peer.send(invite, BOB);
        bed.network.deliverAll();
        assertEquals(ACCEPTED, tx.state());

        bed.advanceTo(ms(31_999));
        assertEquals(ACCEPTED, tx.state());
        bed.advanceTo(Duration.ofSeconds(32));
        assertEquals(TERMINATED, tx.state());
        assertEquals(0, inbox.size());
        Testbed.await(() -> !acks.isEmpty(), "the ACK reaches the AckHandler (on its virtual thread)");
        assertEquals(1, acks.size());
        assertIdle(bob);
        assertCounters(bob, 0, 1, 0);
    }

    @Test
    void twoXxIsResentUntilItsAckOnAnUnreliableTransport() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        invite(peer, invite).respond(200);

        bed.advanceTo(Duration.ofSeconds(10));
        peer.send(peer.ackFor2xx(invite, peer.responses().getLast()), BOB);
        bed.advanceTo(Duration.ofSeconds(32));
        // RFC 3261 §13.3.1.4: from T1, doubling up to T2, until the ACK
        assertEquals(ms(0, 500, 1500, 3500, 7500), bed.wire.times(Wire.response(200, Method.INVITE, BOB)));
        Testbed.await(() -> !acks.isEmpty(), "the ACK reaches the AckHandler (on its virtual thread)");
        assertEquals(1, acks.size());
        assertIdle(bob);
        Testbed.assertAbsorbedAndTimeouts(bob, 0, 0);
    }

    @Test
    void reliableTransportNeitherRetransmitsNorLingersAfterTheAck() throws Exception {
        UserAgent bob = bob("mem-stream");
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        ServerTransaction tx = invite(peer, invite);
        tx.respond(486);

        bed.advanceTo(Duration.ofSeconds(10));
        assertEquals(1, peer.responses().size(), "Timer G is not set on a reliable transport");
        assertEquals(COMPLETED, tx.state());
        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getFirst()), BOB);
        bed.network.deliverAll();
        bed.clock.runDue();
        assertEquals(TERMINATED, tx.state(), "Timer I is zero on a reliable transport");
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void reliableTransportHoldsAcceptedForTimerLWithoutResendingThe2xx() throws Exception {
        UserAgent bob = bob("mem-stream");
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ServerTransaction tx = invite(peer, peer.newRequest(Method.INVITE, BOB));
        tx.respond(200);

        // RFC 6026 §7.1: L is 64×T1 whatever the transport
        bed.advanceTo(ms(31_999));
        assertEquals(ACCEPTED, tx.state());
        bed.advanceTo(Duration.ofSeconds(32));
        assertEquals(TERMINATED, tx.state());
        assertEquals(List.of(200), ClientInviteTransactionTest.codes(peer.responses()));
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void reliableTransportStillEndsOnTimerHWithoutAnAck() throws Exception {
        UserAgent bob = bob("mem-stream");
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ServerTransaction tx = invite(peer, peer.newRequest(Method.INVITE, BOB));
        tx.respond(480);

        bed.advanceTo(ms(31_999));
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(32));
        assertEquals(TERMINATED, tx.state());
        assertEquals(1, peer.responses().size());
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }
}
