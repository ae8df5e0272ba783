package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * Calls between two user agents through the dialog API: set-up, BYE from either side, early
 * dialogs, CANCEL, late offer, and the in-dialog request builder (RFC 3261 §12, §13, §15).
 */
@Timeout(60)
class CallTest {

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private UserAgent bob() throws Exception {
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        return bob;
    }

    private ServerDialog nextCall() throws InterruptedException {
        bed.until(() -> !incoming.isEmpty(), "an INVITE reaches Bob's dialog handler");
        return incoming.poll(1, TimeUnit.SECONDS);
    }

    @Test
    void callerSetsUpAndHangsUp() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        assertEquals(DialogState.PENDING, call.state());
        assertNull(call.id().remoteTag());

        ServerDialog callee = nextCall();
        assertArrayEquals(OFFER, callee.invite().body());
        assertEquals(DialogState.PENDING, callee.state());
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        assertEquals(DialogState.CONFIRMED, callee.state(), "a UAS dialog is confirmed when its 2xx is sent (§12.1.1)");

        SipResponse ok = bed.await(call.answered(), "the 200 reaches Alice");
        assertEquals(200, ok.statusCode());
        assertArrayEquals(ANSWER, ok.body());
        assertEquals(DialogState.CONFIRMED, call.state());
        SipRequest ack = bed.await(callee.acked(), "Alice's ACK reaches Bob's dialog");
        assertEquals(call.invite().cseq().sequence(), ack.cseq().sequence());

        // Both sides agree on the dialog id, mirrored.
        assertEquals(call.id().callId(), callee.id().callId());
        assertEquals(call.id().localTag(), callee.id().remoteTag());
        assertEquals(call.id().remoteTag(), callee.id().localTag());
        assertEquals(1, alice.dialogStats().confirmed());
        assertEquals(1, bob.dialogStats().confirmed());

        SipResponse byeAnswer = bed.await(call.bye(), "Bob answers the BYE");
        assertEquals(200, byeAnswer.statusCode());
        assertEquals(new DialogEnd(DialogEnd.Reason.BYE_SENT, 200), bed.await(call.terminated(), "Alice's end"));
        assertEquals(new DialogEnd(DialogEnd.Reason.BYE_RECEIVED, 0), bed.await(callee.terminated(), "Bob's end"));
        assertEquals(DialogState.TERMINATED, callee.state());
        assertEquals(1, alice.dialogStats().terminated(DialogEnd.Reason.BYE_SENT));
        assertEquals(1, bob.dialogStats().terminated(DialogEnd.Reason.BYE_RECEIVED));
        assertEquals(1, bed.count(DialogBed.request(Method.ACK, ALICE)), "one ACK for the one 2xx");
        bed.assertIdle(alice, bob);
    }

    @Test
    void calleeHangsUpAfterTheAck() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the ACK");

        assertEquals(200, bed.await(callee.bye(), "Alice answers Bob's BYE").statusCode());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(call.terminated(), "Alice's end").reason());
        assertEquals(DialogEnd.Reason.BYE_SENT, bed.await(callee.terminated(), "Bob's end").reason());
        SipRequest bye = bed.sent(DialogBed.request(Method.BYE, BOB)).getFirst().request();
        // §12.2.1.1: Bob's BYE goes to Alice's Contact, From/To swapped with the tags, CSeq from Bob's own space.
        assertEquals(call.invite().contacts().getFirst().uri(), bye.requestUri());
        assertEquals(callee.id().localTag(), bye.fromTag());
        assertEquals(callee.id().remoteTag(), bye.toTag());
        assertEquals(1, bye.cseq().sequence(), "the callee's first request: its local sequence was empty");
        bed.assertIdle(alice, bob);
    }

    @Test
    void calleesByeWaitsForTheAck() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        bed.dropFirst(1, DialogBed.request(Method.ACK, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        var bye = callee.bye();
        bed.settle();
        assertEquals(0, bed.count(DialogBed.request(Method.BYE, BOB)), "§15: no BYE before the ACK");
        assertFalse(bye.isDone());

        bed.advance(DialogBed.T1); // the 2xx again, the ACK again, then the BYE
        assertEquals(200, bed.await(bye, "the BYE after the ACK").statusCode());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(call.terminated(), "Alice's end").reason());
        bed.assertIdle(alice, bob);
    }

    @Test
    void earlyDialogOn180ThenConfirmedOn200() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        List<DialogState> states = new CopyOnWriteArrayList<>();
        List<Integer> provisionals = new CopyOnWriteArrayList<>();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        call.onStateChange(states::add).onProvisional(r -> provisionals.add(r.statusCode()));
        ServerDialog callee = nextCall();

        callee.respond(180);
        assertEquals(DialogState.EARLY, callee.state());
        bed.until(() -> call.state() == DialogState.EARLY, "Alice's early dialog");
        assertEquals(callee.id().localTag(), call.id().remoteTag(), "the early dialog has the 180's To tag");
        assertEquals(1, alice.dialogStats().early());
        assertEquals(1, bob.dialogStats().early());
        assertThrows(IllegalStateException.class, () -> call.reinvite(null, null), "no re-INVITE in an early dialog");

        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        assertEquals(callee.id().localTag(), call.id().remoteTag());
        bed.until(() -> states.size() == 2, "two state events");
        assertEquals(List.of(DialogState.EARLY, DialogState.CONFIRMED), states);
        bed.until(() -> provisionals.contains(180), "the 180 passed up");
        assertEquals(1, alice.dialogStats().confirmed());
        assertEquals(0, alice.dialogStats().early());
        assertEquals(1, alice.dialogStats().created(), "one dialog: early, then confirmed");

        bed.await(call.bye(), "BYE");
        bed.until(() -> states.size() == 3, "the TERMINATED event");
        assertEquals(DialogState.TERMINATED, states.get(2));
        bed.assertIdle(alice, bob);
    }

    @Test
    void cancelOfARingingInviteEndsBothDialogs() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(180);
        bed.until(() -> call.state() == DialogState.EARLY, "ringing");

        call.cancel();
        assertEquals(487, bed.await(call.answered(), "the 487").statusCode());
        assertEquals(new DialogEnd(DialogEnd.Reason.CANCELLED, 487), bed.await(call.terminated(), "Alice's end"));
        assertEquals(new DialogEnd(DialogEnd.Reason.CANCELLED, 487), bed.await(callee.terminated(), "Bob's end"));
        assertThrows(sip.router.TransactionEndedException.class, () -> callee.respond(200),
                "a cancelled INVITE takes no 200");
        bed.assertIdle(alice, bob);
    }

    @Test
    void byeOnARingingCallCancelsIt() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(183, ContentType.APPLICATION_SDP, ANSWER);
        bed.until(() -> call.state() == DialogState.EARLY, "early media");
        assertEquals(487, bed.await(call.bye(), "bye() of an early dialog cancels").statusCode());
        assertEquals(1, bed.count(DialogBed.request(Method.CANCEL, ALICE)));
        assertEquals(0, bed.count(DialogBed.request(Method.BYE, ALICE)));
        bed.assertIdle(alice, bob);
    }

    @Test
    void rejectedInviteEndsThePendingDialog() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(486);
        assertEquals(486, bed.await(call.answered(), "the 486").statusCode());
        assertEquals(new DialogEnd(DialogEnd.Reason.REJECTED, 486), bed.await(call.terminated(), "Alice's end"));
        assertEquals(new DialogEnd(DialogEnd.Reason.REJECTED, 486), bed.await(callee.terminated(), "Bob's end"));
        assertEquals(1, bed.count(DialogBed.request(Method.ACK, ALICE)), "the transaction ACKs a 486 itself");
        bed.assertIdle(alice, bob);
    }

    @Test
    void aResponseOfTheApplicationsOwnMakingMovesTheDialogToo() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(callee.transaction().responseBuilder(200).setHeader("X-Call-Info", "vip")
                .body(ContentType.APPLICATION_SDP, ANSWER).build());
        assertEquals(DialogState.CONFIRMED, callee.state());
        SipResponse ok = bed.await(call.answered(), "the 200");
        assertEquals("vip", ok.header(sip.message.HeaderName.of("X-Call-Info")).orElseThrow());
        assertEquals(1, ok.contacts().size(), "the Contact is added as for respond(int)");
        bed.await(callee.acked(), "the ACK");
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void lateOfferIsAnsweredInTheAck() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        SipRequest invite = alice.client().newRequest(Method.INVITE, uri("bob", BOB)).build();
        ClientDialog call = alice.client().invite(invite, (ok, ack) -> {
            assertArrayEquals(ANSWER, ok.body()); // here: Bob's offer
            ack.body(ContentType.APPLICATION_SDP, OFFER);
        });
        ServerDialog callee = nextCall();
        assertEquals(0, callee.invite().bodyLength());
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        SipRequest ack = bed.await(callee.acked(), "the ACK with the answer");
        assertArrayEquals(OFFER, ack.body());
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void inDialogRequestsAreBuiltFromTheDialogState() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        List<SipRequest> infos = new CopyOnWriteArrayList<>();
        callee.onRequest(Method.INFO, tx -> {
            infos.add(tx.request());
            tx.respond(200);
        });
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        SipResponse ok = bed.await(call.answered(), "the 200");

        long before = call.localSequence();
        SipRequest info = call.newRequest(Method.INFO).build();
        assertEquals(before + 1, info.cseq().sequence());
        assertEquals(before + 1, call.localSequence(), "newRequest reserves its CSeq");
        assertEquals(ok.contacts().getFirst().uri(), info.requestUri(), "Request-URI: the remote target");
        assertEquals(call.id().localTag(), info.fromTag());
        assertEquals(call.id().remoteTag(), info.toTag());
        assertEquals(call.id().callId(), info.callId());
        assertTrue(info.all(HeaderType.ROUTE).isEmpty(), "no Record-Route, no Route");
        assertEquals(200, bed.await(call.request(info).response(), "INFO answered").statusCode());
        assertEquals(1, infos.size());
        assertEquals(info.cseq().sequence(), callee.remoteSequence().orElseThrow());

        // A request not of this dialog is refused.
        SipRequest foreign = alice.client().newRequest(Method.INFO, uri("bob", BOB)).build();
        assertThrows(IllegalArgumentException.class, () -> call.request(foreign));
        assertThrows(IllegalArgumentException.class, () -> call.newRequest(Method.ACK));
        assertThrows(IllegalArgumentException.class, () -> call.request(call.newRequest(Method.BYE).build()),
                "BYE goes through bye(), which ends the dialog");
        assertThrows(IllegalArgumentException.class, () -> call.onRequest(Method.BYE, tx -> { }));

        bed.await(call.bye(), "BYE");
        assertThrows(IllegalStateException.class, () -> call.newRequest(Method.INFO), "terminated");
        assertEquals(200, bed.await(call.bye(), "a second bye() is the first's").statusCode(), "bye() is idempotent");
        assertEquals(1, bed.count(DialogBed.request(Method.BYE, ALICE)));
        bed.assertIdle(alice, bob);
    }

    @Test
    void closeByesConfirmedDialogs() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        ServerDialog callee = nextCall();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the ACK");

        Thread closing = Thread.ofVirtual().start(alice::close);
        bed.until(() -> !closing.isAlive(), "Alice closes");
        assertEquals(DialogEnd.Reason.CLOSED, bed.await(call.terminated(), "Alice's end").reason());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(callee.terminated(), "Bob got the BYE").reason());
        assertNotNull(bed.sent(DialogBed.request(Method.BYE, ALICE)).getFirst());
        assertEquals(0, alice.dialogStats().live());
        bed.assertIdle(bob);
    }
}
