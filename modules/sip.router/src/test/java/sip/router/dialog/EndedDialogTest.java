package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientDialog;
import sip.router.ClientTransaction;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.ServerDialog;
import sip.router.TransactionState;
import sip.router.UserAgent;

/**
 * A dialog that ended, or never got up, sends nothing more: every public method answers with
 * its documented exception or a completed future (the fuzz findings D1 and D2), and re-INVITEs
 * waiting in a dialog that ends are never sent.
 */
@Timeout(60)
class EndedDialogTest {

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /** D1: an INVITE nobody answers (Timer B, a local 408); bye() used to throw NPE: uri. */
    @Test
    void callThatNeverGotAnAnswerSendsNothingMore() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        bed.drop(DialogBed.request(Method.INVITE, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        SipRequest info = SipRequest.builder(Method.INFO, uri("bob", BOB))
                .from(call.invite().from()).to(call.invite().to()).callId(call.invite().callId())
                .cseq(call.localSequence() + 1).maxForwards(70).build();
        assertEquals(DialogState.PENDING, call.state());
        assertNull(call.remoteTarget(), "no response, no target yet");
        assertThrows(IllegalStateException.class, () -> call.request(info), "no remote tag yet");
        assertThrows(IllegalStateException.class, () -> call.newRequest(Method.INFO));

        bed.advance(DialogBed.TIMEOUT.plusSeconds(1)); // Timer B
        assertEquals(408, bed.await(call.answered(), "the local 408").statusCode());
        assertEquals(DialogEnd.Reason.REJECTED, bed.await(call.terminated(), "the end").reason());
        assertNull(call.id().remoteTag());
        int sent = bed.count(p -> true);

        CompletableFuture<SipResponse> bye = call.bye();
        assertTrue(bye.isDone(), "completed at once");
        assertEquals(408, bye.join().statusCode(), "the INVITE's own final response");
        assertEquals(408, call.bye().join().statusCode(), "idempotent");
        assertThrows(IllegalStateException.class, () -> call.newRequest(Method.INFO));
        assertThrows(IllegalStateException.class, () -> call.request(info));
        assertThrows(IllegalStateException.class, () -> call.reinvite(null, null));
        assertThrows(IllegalStateException.class, () -> call.reinvite(null, null, (ok, ack) -> { }));
        assertSame(call, call.onRequest(Method.INFO, tx -> tx.respond(200)));
        call.cancel(); // nothing to cancel: no exception
        bed.settle();
        assertEquals(sent, bed.count(p -> true), () -> "nothing sent for a dialog that is over:" + bed.summary());
        bed.assertIdle(alice);
    }

    @Test
    void byeOfARejectedCallIsItsRejection() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180); // an early dialog: Alice has a remote tag and target
        bed.until(() -> call.state() == DialogState.EARLY, "early");
        callee.respond(486);
        assertEquals(486, bed.await(call.answered(), "the 486").statusCode());
        bed.await(call.terminated(), "Alice's end");
        int sent = bed.count(p -> true);

        assertEquals(486, bed.await(call.bye(), "bye()").statusCode());
        assertEquals(481, bed.await(callee.bye(), "Bob's bye()").statusCode(), "a local 481: nothing to end");
        assertThrows(IllegalStateException.class, () -> callee.reinvite(null, null));
        assertThrows(IllegalStateException.class, () -> callee.newRequest(Method.INFO));
        bed.settle();
        assertEquals(sent, bed.count(p -> true), () -> "nothing sent:" + bed.summary());
        bed.assertIdle(alice, bob);
    }

    /** D2: a re-INVITE queued behind one that times out is not sent once the 408 ended the dialog. */
    @Test
    void reinviteQueuedBehindOneThatTimesOutIsNeverSent() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        ServerDialog callee = confirmedCall(alice, bob);
        bed.drop(DialogBed.request(Method.INVITE, BOB)); // Alice never sees Bob's re-INVITEs

        CompletableFuture<SipResponse> first = callee.reinvite(ContentType.APPLICATION_SDP, ANSWER);
        CompletableFuture<SipResponse> queued = callee.reinvite(ContentType.APPLICATION_SDP, ANSWER);
        bed.advance(DialogBed.TIMEOUT.plusSeconds(1)); // Timer B of the first
        assertEquals(408, bed.await(first, "the first re-INVITE's 408").statusCode());
        assertEquals(DialogEnd.Reason.GONE, bed.await(callee.terminated(), "Bob's end").reason());
        assertEquals(481, bed.await(queued, "the queued re-INVITE").statusCode(), "a local 481, never sent");
        bed.assertIdle(alice, bob);

        long reinvites = bed.sent(DialogBed.request(Method.INVITE, BOB)).stream()
                .map(s -> s.request().topVia().branch()).distinct().count();
        assertEquals(1, reinvites, () -> "one re-INVITE transaction:" + bed.summary());
        SipRequest bye = bed.sent(DialogBed.request(Method.BYE, BOB)).getFirst().request();
        SipRequest reinvite = bed.sent(DialogBed.request(Method.INVITE, BOB)).getFirst().request();
        assertEquals(reinvite.cseq().sequence() + 1, bye.cseq().sequence(), "the BYE takes the next CSeq");
    }

    /** A re-INVITE backing off after a 491 (§14.1) is not sent once the peer's BYE ended the dialog. */
    @Test
    void reinviteBackingOffAfter491IsDroppedWhenTheDialogEnds() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        ServerDialog callee = confirmedCall(alice, bob);
        callee.onRequest(Method.INVITE, tx -> tx.respond(491));
        ClientDialog caller = aliceCall;
        CompletableFuture<SipResponse> retried = caller.reinvite(ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> bed.count(DialogBed.response(491, Method.INVITE, BOB)) == 1, "the 491");
        bed.settle(); // the back-off (2.1-4 s) is scheduled on the virtual clock, not run
        assertTrue(!retried.isDone(), "waiting for its retry");

        bed.await(callee.bye(), "Bob's BYE");
        assertEquals(481, bed.await(retried, "the retry, dropped").statusCode(), "completes without the back-off");
        bed.advance(Duration.ofSeconds(5));
        assertEquals(1, bed.sent(DialogBed.request(Method.INVITE, ALICE)).stream()
                .filter(s -> s.request().toTag() != null).map(s -> s.request().topVia().branch()).distinct().count(),
                () -> "the 491'd re-INVITE only, no retry:" + bed.summary());
        bed.assertIdle(alice, bob);
    }

    /** A long call does not hold its INVITE's transaction: a completed view replaces it at the final response. */
    @Test
    void transactionIsACompletedViewFromTheFinalResponseOn() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180);
        bed.until(() -> call.state() == DialogState.EARLY, "early");
        ClientTransaction live = call.transaction();
        assertEquals(TransactionState.PROCEEDING, live.state(), "the live transaction while the INVITE is pending");
        assertEquals(1, live.provisionalResponses().size());

        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        SipResponse ok = bed.await(call.answered(), "the 200");
        bed.await(callee.acked(), "the ACK");
        ClientTransaction view = call.transaction();
        assertEquals(TransactionState.ACCEPTED, live.state(), "the machine lives on in the layer (RFC 6026)");
        assertEquals(TransactionState.TERMINATED, view.state(), "the dialog keeps only a view");
        assertEquals(ok, view.response().join());
        assertEquals(live.request(), view.request());
        assertEquals(call.invite(), view.request());
        assertEquals(live.flow(), view.flow());
        assertTrue(view.failure().isEmpty());
        assertTrue(view.provisionalResponses().isEmpty());
        BlockingQueue<SipResponse> replayed = new LinkedBlockingQueue<>();
        view.onResponse(replayed::add);
        bed.until(() -> !replayed.isEmpty(), "the replay");
        assertEquals(ok, replayed.poll());
        view.cancel(); // after a final response: nothing
        bed.settle();
        assertEquals(0, bed.count(DialogBed.request(Method.CANCEL, ALICE)));

        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    /** A rejected INVITE's view carries the local failure of a transaction that timed out. */
    @Test
    void timedOutInvitesViewSaysWhy() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        bed.drop(DialogBed.request(Method.INVITE, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.advance(DialogBed.TIMEOUT.plusSeconds(1));
        assertEquals(408, bed.await(call.answered(), "the local 408").statusCode());
        assertEquals(TransactionState.TERMINATED, call.transaction().state());
        assertEquals(408, call.transaction().response().join().statusCode());
        assertTrue(call.transaction().failure().isPresent(), "a local 408 says why");
        bed.assertIdle(alice);
    }

    private ClientDialog aliceCall;

    private ServerDialog confirmedCall(UserAgent alice, UserAgent bob) throws Exception {
        bob.server().onDialog(incoming::add);
        aliceCall = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the call is up");
        return callee;
    }
}
