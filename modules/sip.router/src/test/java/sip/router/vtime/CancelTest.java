package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.TransactionState.COMPLETED;
import static sip.router.TransactionState.CONFIRMED;
import static sip.router.TransactionState.PROCEEDING;
import static sip.router.vtime.ClientInviteTransactionTest.assertAckForNon2xx;
import static sip.router.vtime.ClientInviteTransactionTest.codes;
import static sip.router.vtime.Testbed.ALICE;
import static sip.router.vtime.Testbed.BOB;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.T1;
import static sip.router.vtime.Testbed.TIMEOUT;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;
import static sip.router.vtime.Testbed.ms;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.CSeq;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** CANCEL (RFC 3261 §9) racing the INVITE's responses, on both sides. */
@Timeout(60)
class CancelTest {

    private final Testbed bed = new Testbed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private ClientTransaction invite(UserAgent alice, InetSocketAddress target) {
        return bed.start(alice, Testbed.invite(alice, "mem", ALICE, target), "mem", target, T1, TIMEOUT);
    }

    @Test
    void cancelBeforeAnyProvisionalIsHeldUntilOneArrives() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = invite(alice, PEER);
        SipRequest invite = peer.lastRequest(Method.INVITE);

        tx.cancel();
        bed.advanceTo(ms(400));
        assertEquals(0, bed.wire.count(Wire.request(Method.CANCEL, ALICE)), "no CANCEL before a provisional (§9.1)");

        peer.answer(invite, 180);
        bed.network.deliverAll();
        Wire.Sent sent = bed.wire.await(Wire.request(Method.CANCEL, ALICE), 1);
        assertEquals(ms(400), sent.at());
        bed.network.deliverAll();
        SipRequest cancel = peer.lastRequest(Method.CANCEL);
        // §9.1: Request-URI, Call-ID, To, From and CSeq number of the INVITE, and its one Via
        assertEquals(invite.requestUri(), cancel.requestUri());
        assertEquals(invite.callId(), cancel.callId());
        assertEquals(invite.fromTag(), cancel.fromTag());
        assertEquals(invite.to().toString(), cancel.to().toString());
        assertEquals(new CSeq(invite.cseq().sequence(), Method.CANCEL), cancel.cseq());
        assertEquals(List.of(invite.topVia()), cancel.vias());

        peer.answer(cancel, 200);
        SipResponse terminated = peer.answer(invite, 487);
        bed.network.deliverAll();
        assertEquals(487, tx.response().get(5, SECONDS).statusCode());
        assertAckForNon2xx(invite, terminated, peer.lastRequest(Method.ACK));
        assertEquals(1, bed.wire.count(Wire.request(Method.INVITE, ALICE)), "the 180 came before Timer A");

        bed.advanceTo(ms(32_400));
        assertEquals(1, bed.wire.count(Wire.request(Method.CANCEL, ALICE)));
        assertEquals(0, alice.stats().strayResponses(), "the 200 matched the CANCEL's own transaction");
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void cancelPendingWhenAFinalArrivesWithoutProvisionalIsNeverSent() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = invite(alice, PEER);
        tx.cancel();

        bed.advanceTo(ms(200));
        peer.answer(peer.lastRequest(Method.INVITE), 486);
        bed.network.deliverAll();
        assertEquals(486, tx.response().get(5, SECONDS).statusCode());

        bed.advanceTo(ms(32_200));
        assertEquals(0, bed.wire.count(Wire.request(Method.CANCEL, ALICE)));
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void cancelAfterTheFinalResponseSendsNothing() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = invite(alice, PEER);
        peer.answer(peer.lastRequest(Method.INVITE), 180);
        peer.answer(peer.lastRequest(Method.INVITE), 486);
        bed.network.deliverAll();
        assertEquals(486, tx.response().get(5, SECONDS).statusCode());

        tx.cancel();
        bed.advanceTo(Duration.ofSeconds(33));
        assertEquals(0, bed.wire.count(Wire.request(Method.CANCEL, ALICE)));
        assertEquals(486, tx.response().get(5, SECONDS).statusCode());
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void cancelAfterProvisionalGets200And487AndTellsTheHandler() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        UserAgent bob = bed.agent("mem", BOB);
        Testbed.Inbox inbox = new Testbed.Inbox();
        CompletableFuture<SipRequest> cancelled = new CompletableFuture<>();
        List<SipRequest> acks = new CopyOnWriteArrayList<>();
        bob.server().onInvite(stx -> {
            stx.onCancel(cancelled::complete);
            inbox.accept(stx);
        }).onAck((ack, flow) -> acks.add(ack));

        ClientTransaction tx = invite(alice, BOB);
        ServerTransaction stx = inbox.take();
        stx.respond(180);
        bed.network.deliverAll();
        assertEquals(PROCEEDING, tx.state());
        assertEquals(List.of(180), codes(tx.provisionalResponses()));

        tx.cancel();
        bed.until(() -> tx.response().isDone(), "the INVITE ends");
        assertEquals(487, tx.response().get(5, SECONDS).statusCode());
        SipRequest cancel = cancelled.get(5, SECONDS);
        assertEquals(Method.CANCEL, cancel.method());
        assertEquals(tx.request().callId(), cancel.callId());
        assertTrue(stx.isCancelled());
        assertTrue(stx.isAnswered());
        assertThrows(IllegalStateException.class, () -> stx.respond(200), "the transaction answered 487 already");

        assertEquals(1, bed.wire.count(Wire.response(200, Method.CANCEL, BOB)));
        assertEquals(1, bed.wire.count(Wire.response(487, Method.INVITE, BOB)));
        assertEquals(1, bed.wire.count(Wire.request(Method.ACK, ALICE)));
        assertEquals(COMPLETED, tx.state());
        assertEquals(CONFIRMED, stx.state(), "the 487's ACK is absorbed by the server transaction");

        bed.advanceTo(Duration.ofSeconds(33));
        assertEquals(List.of(), acks, "an ACK for a non-2xx never reaches the AckHandler");
        assertEquals(0, alice.stats().strayResponses());
        assertIdle(alice);
        assertIdle(bob);
        assertCounters(alice, 0, 0, 0);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void cancelAfterTheServerAnsweredGets200AndChangesNothing() throws Exception {
        UserAgent bob = bed.agent("mem", BOB);
        Testbed.Inbox inbox = new Testbed.Inbox();
        bob.server().onInvite(inbox::accept);
        ScriptedPeer peer = bed.peer("mem", PEER);
        SipRequest invite = peer.newRequest(Method.INVITE, BOB);
        peer.send(invite, BOB);
        bed.network.deliverAll();
        ServerTransaction stx = inbox.take();
        List<SipRequest> onCancel = new CopyOnWriteArrayList<>();
        stx.onCancel(onCancel::add);
        stx.respond(486);
        bed.network.deliverAll();

        peer.send(ScriptedPeer.cancelFor(invite), BOB);
        bed.network.deliverAll();
        // §9.2: the CANCEL matched a transaction, so it gets 200; the answered INVITE is untouched
        assertEquals(1, bed.wire.count(Wire.response(200, Method.CANCEL, BOB)));
        assertEquals(0, bed.wire.count(Wire.response(487, Method.INVITE, BOB)));
        assertFalse(stx.isCancelled());
        assertEquals(COMPLETED, stx.state());

        peer.send(ScriptedPeer.ackFor(invite, peer.responses().getFirst()), BOB);
        bed.advanceTo(Duration.ofSeconds(33));
        assertEquals(List.of(), onCancel);
        assertIdle(bob);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void cancelMatchingNoTransactionIsAnswered481() throws Exception {
        UserAgent bob = bed.agent("mem", BOB);
        ScriptedPeer peer = bed.peer("mem", PEER);
        peer.send(ScriptedPeer.cancelFor(peer.newRequest(Method.INVITE, BOB)), BOB);
        bed.network.deliverAll();

        assertEquals(1, bed.wire.count(Wire.response(481, Method.CANCEL, BOB)));
        assertEquals(1, bob.stats().statelessResponses());
        bed.advanceTo(Duration.ofSeconds(33));
        assertIdle(bob);
    }

    @Test
    void onlyAnInviteCanBeCancelled() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        bed.peer("mem", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.request(alice, Method.OPTIONS, "mem", ALICE, PEER), "mem",
                PEER, T1, TIMEOUT);
        assertThrows(IllegalStateException.class, tx::cancel);
    }
}
