package sip.router.vtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.TransactionState.COMPLETED;
import static sip.router.TransactionState.PROCEEDING;
import static sip.router.TransactionState.TERMINATED;
import static sip.router.TransactionState.TRYING;
import static sip.router.vtime.Testbed.BOB;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;
import static sip.router.vtime.Testbed.ms;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** The server non-INVITE machine (RFC 3261 §17.2.2) under a scripted peer. */
@Timeout(60)
class ServerNonInviteTransactionTest {

    private final Testbed bed = new Testbed();
    private final Testbed.Inbox inbox = new Testbed.Inbox();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private UserAgent bob(String protocol) throws Exception {
        UserAgent bob = bed.agent(protocol, BOB);
        bob.server().onMessage(inbox::accept);
        return bob;
    }

    private ServerTransaction message(ScriptedPeer peer, SipRequest message) throws InterruptedException {
        peer.send(message, BOB);
        bed.network.deliverAll();
        return inbox.take();
    }

    @Test
    void finalResponseIsRepeatedForEveryRetransmissionUntilTimerJ() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest message = peer.newRequest(Method.MESSAGE, BOB);
        ServerTransaction tx = message(peer, message);
        assertEquals(TRYING, tx.state());

        tx.respond(200);
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(1));
        peer.send(message, BOB);
        bed.advanceTo(Duration.ofSeconds(2));
        peer.send(message, BOB);
        bed.network.deliverAll();

        // J = 64×T1 on an unreliable transport, from entering Completed
        bed.advanceTo(ms(31_999));
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(32));
        assertEquals(TERMINATED, tx.state());
        assertEquals(ms(0, 1000, 2000), bed.wire.times(Wire.response(200, Method.MESSAGE, BOB)),
                "a non-INVITE server transaction never retransmits on its own");
        assertEquals(0, inbox.size());
        assertIdle(bob);
        Testbed.assertAbsorbedAndTimeouts(bob, 2, 0);
    }

    @Test
    void requestArrivingAfterTimerJIsANewTransaction() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest message = peer.newRequest(Method.MESSAGE, BOB);
        message(peer, message).respond(200);
        bed.advanceTo(Duration.ofSeconds(32));
        assertIdle(bob);

        ServerTransaction again = message(peer, message);
        assertEquals(TRYING, again.state());
        assertEquals(2, bob.stats().serverCreated());
        again.respond(200);
        bed.advanceTo(Duration.ofSeconds(64));
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void retransmissionIsAbsorbedSilentlyInTryingAndAnsweredWithTheProvisionalInProceeding() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest message = peer.newRequest(Method.MESSAGE, BOB);
        ServerTransaction tx = message(peer, message);

        bed.advanceTo(ms(500));
        peer.send(message, BOB);
        bed.network.deliverAll();
        assertEquals(TRYING, tx.state());
        assertEquals(0, bed.wire.count(Wire.anyResponse(BOB)), "nothing to repeat in Trying (§17.2.2)");

        bed.advanceTo(Duration.ofSeconds(1));
        tx.respond(100);
        assertEquals(PROCEEDING, tx.state());
        bed.advanceTo(ms(1500));
        peer.send(message, BOB);
        bed.network.deliverAll();
        assertEquals(ms(1000, 1500), bed.wire.times(Wire.response(100, Method.MESSAGE, BOB)));

        bed.advanceTo(Duration.ofSeconds(2));
        tx.respond(202);
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(34));
        assertEquals(TERMINATED, tx.state());
        assertEquals(0, inbox.size());
        assertIdle(bob);
        Testbed.assertAbsorbedAndTimeouts(bob, 2, 0);
    }

    @Test
    void aResponseRepeatedForARetransmittedRequestCountsAsSentAgainAndAbsorbed() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest message = peer.newRequest(Method.MESSAGE, BOB);
        message(peer, message).respond(200);
        bed.advanceTo(Duration.ofSeconds(1));
        peer.send(message, BOB);
        bed.network.deliverAll();

        assertEquals(2, bed.wire.count(Wire.response(200, Method.MESSAGE, BOB)));
        // TransactionStats: the request retransmission was absorbed once, and the 200 it got
        // back is a message sent again
        assertCounters(bob, 1, 1, 0);
    }

    @Test
    void reliableTransportLeavesCompletedAtOnceWithTimerJZero() throws Exception {
        UserAgent bob = bob("mem-stream");
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ServerTransaction tx = message(peer, peer.newRequest(Method.MESSAGE, BOB));

        tx.respond(200);
        bed.clock.runDue();
        assertEquals(TERMINATED, tx.state());
        assertEquals(Duration.ZERO, bed.clock.elapsed());
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void requestLeftUnansweredIsAnswered500AfterTheHandlerTimeout() throws Exception {
        UserAgent bob = bob("mem");
        ScriptedPeer peer = bed.peer("mem", PEER);
        ServerTransaction tx = message(peer, peer.newRequest(Method.MESSAGE, BOB));

        bed.advanceTo(ms(31_999));
        assertEquals(0, bed.wire.count(Wire.anyResponse(BOB)));
        bed.advanceTo(Duration.ofSeconds(32));
        assertEquals(List.of(ms(32_000)), bed.wire.times(Wire.response(500, Method.MESSAGE, BOB)));
        assertTrue(tx.isAnswered());
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(64));
        assertEquals(TERMINATED, tx.state());
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }
}
