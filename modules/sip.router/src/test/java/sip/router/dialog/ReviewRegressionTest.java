package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.StandardHeader;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.DialogEndedException;
import sip.router.ServerDialog;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.auth.Credentials;
import sip.router.auth.CredentialsProvider;

/** Regressions for the issue 5 dialog review: limits per INVITE, CSeq, ACK credentials, RFC 3262 and 3264 rules. */
@Timeout(60)
class ReviewRegressionTest {

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }


    /**
     * One INVITE, a peer (or anyone who saw the INVITE) answering with 300 reliable 183s, each
     * with a new To tag: every one becomes a stored early dialog and gets a PRACK transaction.
     */
    @Test
    void earlyDialogsOfOneInviteAreBounded() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        BlockingQueue<ServerTransaction> invites = new LinkedBlockingQueue<>();
        bob.server().onInvite(invites::add);
        bob.server().onRequest(Method.PRACK, tx -> tx.respond(481));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !invites.isEmpty(), "the INVITE");
        ServerTransaction tx = invites.poll();
        for (int i = 0; i < 300; i++) {
            bob.client().sendStateless(tx.responseBuilder(183).toTag("flood-" + i)
                    .contact(Contact.of(uri("x" + i, BOB)))
                    .setHeader(StandardHeader.REQUIRE, "100rel").setHeader(StandardHeader.RSEQ, "1").build());
        }
        bed.settle();
        int early = alice.dialogStats().early();
        long pracks = bed.sent(DialogBed.request(Method.PRACK, ALICE)).stream()
                .map(s -> s.request().topVia().branch()).distinct().count();
        tx.respond(486);
        bed.await(call.answered(), "the 486");
        assertTrue(early <= 16, "early dialogs stored for one INVITE: " + early);
        assertTrue(pracks <= 16, "PRACK transactions sent for one INVITE: " + pracks);
        assertTrue(alice.dialogStats().legsRefused() > 0, "refused To tags are counted");
        bed.assertIdle(alice, bob);
    }

    /** Forked 2xx responses during Timer M: each new To tag is a confirmed dialog, an ACK and a BYE transaction. */
    @Test
    void forkedDialogsOfOneInviteAreBounded() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        for (int i = 0; i < 300; i++) {
            bob.client().sendStateless(callee.transaction().responseBuilder(200).toTag("fork-" + i)
                    .contact(Contact.of(uri("x" + i, BOB))).body(ContentType.APPLICATION_SDP, ANSWER).build());
        }
        bed.settle();
        bed.until(() -> forkAcks() == 300, "every forked 2xx ACKed (§13.2.2.4), kept or not");
        bed.settle();
        long byes = bed.sent(DialogBed.request(Method.BYE, ALICE)).stream()
                .map(s -> s.request().topVia().branch()).distinct().count();
        assertTrue(byes <= 15, "BYE transactions Alice started for forks of one INVITE: " + byes);
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /**
     * RFC 3261 §12.2.1.1: CSeq of each new request in the dialog is one higher than the last. A
     * re-INVITE answered 407 is retried with CSeq+1 by the client; while the retry rings, the
     * dialog still hands out that same number to newRequest.
     */
    @Test
    void cseqIsNotReusedWhileAChallengedReinviteRings() throws Exception {
        UserAgent alice = bed.agent(ALICE, b -> b.credentials(CredentialsProvider.of(new Credentials("alice", "pw"))));
        UserAgent bob = bed.agent(BOB);
        AtomicInteger reinvites = new AtomicInteger();
        bob.server().onDialog(d -> {
            d.onRequest(Method.INFO, tx -> tx.respond(200));
            d.onRequest(Method.INVITE, tx -> {
                if (reinvites.getAndIncrement() == 0) {
                    tx.respond(tx.responseBuilder(407).setHeader(StandardHeader.PROXY_AUTHENTICATE,
                            "Digest realm=\"r\", nonce=\"n1\", algorithm=MD5").build());
                } else {
                    tx.respond(180); // rings; answered later
                }
            });
            incoming.add(d);
            d.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        });
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        call.reinvite(ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> reinvites.get() == 2, "the retried re-INVITE");
        long retried = bed.sent(DialogBed.request(Method.INVITE, ALICE)).getLast().request().cseq().sequence();
        SipRequest info = call.newRequest(Method.INFO).build();
        assertTrue(info.cseq().sequence() > retried,
                "INFO CSeq " + info.cseq().sequence() + " reuses the retried re-INVITE's " + retried);
    }

    /** RFC 3261 §13.2.2.4: "The ACK MUST contain the same credentials as the INVITE" — also for a challenged re-INVITE. */
    @Test
    void ackOfAChallengedReinviteCarriesItsCredentials() throws Exception {
        UserAgent alice = bed.agent(ALICE, b -> b.credentials(CredentialsProvider.of(new Credentials("alice", "pw"))));
        UserAgent bob = bed.agent(BOB);
        AtomicInteger reinvites = new AtomicInteger();
        bob.server().onDialog(d -> {
            d.onRequest(Method.INVITE, tx -> {
                if (reinvites.getAndIncrement() == 0) {
                    tx.respond(tx.responseBuilder(407).setHeader(StandardHeader.PROXY_AUTHENTICATE,
                            "Digest realm=\"r\", nonce=\"n1\", algorithm=MD5").build());
                } else {
                    tx.respond(tx.responseBuilder(200).body(ContentType.APPLICATION_SDP, ANSWER).build());
                }
            });
            d.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        });
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        bed.await(call.reinvite(ContentType.APPLICATION_SDP, OFFER), "the re-INVITE's 200");
        bed.until(() -> bed.count(DialogBed.request(Method.ACK, ALICE)) == 3, "the re-INVITE's ACK (after the 407's)");
        SipRequest retried = bed.sent(DialogBed.request(Method.INVITE, ALICE)).getLast().request();
        SipRequest ack = bed.sent(DialogBed.request(Method.ACK, ALICE)).getLast().request();
        assertTrue(retried.header(StandardHeader.PROXY_AUTHORIZATION).isPresent(), "the retry answers the challenge");
        assertTrue(ack.header(StandardHeader.PROXY_AUTHORIZATION).isPresent(), "ACK without the re-INVITE's credentials");
    }

    /**
     * The ServerDialog javadoc's own example blocks on acked().join(); when the ACK never comes
     * the dialog ends (NO_ACK) but acked() never completes: the handler's thread waits forever.
     */
    @Test
    void ackedCompletesWhenTheDialogEndsWithoutAck() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        bed.drop(DialogBed.request(Method.ACK, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.advance(DialogBed.TIMEOUT.plusSeconds(1));
        bed.await(callee.terminated(), "NO_ACK");
        assertTrue(callee.acked().isDone(), "acked() still pending after the dialog ended: " + callee.terminated().join());
        var failed = assertThrows(java.util.concurrent.CompletionException.class, () -> callee.acked().join());
        assertEquals(DialogEnd.Reason.NO_ACK, ((DialogEndedException) failed.getCause()).end().reason());
    }

    /**
     * RFC 3262 §3: a UAS MUST NOT send a 2xx while a reliable 1xx with a session description is
     * unacknowledged.
     */
    @Test
    void no2xxWhileAReliable1xxWithSdpIsUnpracked() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().supported("100rel").onDialog(incoming::add);
        bed.drop(DialogBed.request(Method.PRACK, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER);
        bed.until(() -> bed.count(DialogBed.request(Method.PRACK, ALICE)) >= 1, "the (lost) PRACK");
        assertThrows(IllegalStateException.class, () -> callee.respond(200, ContentType.APPLICATION_SDP, ANSWER));
        callee.respond(480); // a non-2xx final response is allowed (and ends the retransmissions)
        assertEquals(480, bed.await(call.answered(), "the 480").statusCode());
        bed.assertIdle(alice, bob);
    }

    /** RFC 3262 §3: with Require: 100rel in the INVITE, the UAS MUST send its 101-199 responses reliably. */
    @Test
    void provisionalToAnInviteRequiring100relIsReliable() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().supported("100rel").onDialog(incoming::add);
        SipRequest invite = alice.client().newRequest(Method.INVITE, uri("bob", BOB))
                .setHeader(StandardHeader.REQUIRE, "100rel").body(ContentType.APPLICATION_SDP, OFFER).build();
        ClientDialog call = alice.client().invite(invite);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180);
        bed.until(() -> bed.count(DialogBed.response(180, Method.INVITE, BOB)) == 1, "the 180");
        var r180 = bed.sent(DialogBed.response(180, Method.INVITE, BOB)).getFirst().response();
        assertTrue(r180.header(StandardHeader.RSEQ).isPresent(), "unreliable 180 to an INVITE with Require: 100rel");
        bed.until(() -> bed.count(DialogBed.request(Method.PRACK, ALICE)) == 1, "Alice's PRACK");
        assertThrows(IllegalStateException.class, () -> callee.respond(callee.transaction().responseBuilder(183).build()),
                "an unreliable 1xx built by hand is refused too");
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /**
     * Without an INVITE handler on the dialog, a re-INVITE is answered 200 with the last SDP this
     * side sent; for a hold offer (a=sendonly) that answer is sendrecv, which RFC 3264 §6.1 forbids.
     */
    @Test
    void defaultReinviteAnswerDoesNotViolateOfferAnswer() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(d -> d.respond(200, ContentType.APPLICATION_SDP, ANSWER));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        byte[] hold = (new String(OFFER) + "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n").getBytes();
        var r = bed.await(call.reinvite(ContentType.APPLICATION_SDP, hold), "the re-INVITE's answer");
        String body = new String(r.body());
        assertTrue(r.statusCode() != 200 || body.contains("recvonly") || body.contains("inactive"),
                "hold offer answered 200 with: " + body.replace("\r\n", "|"));
        assertEquals(488, r.statusCode(), "a changed offer nobody handles");
        // A session refresh (the same offer again) is still answered by the layer, with Bob's SDP.
        var refresh = bed.await(call.reinvite(ContentType.APPLICATION_SDP, OFFER), "the refresh's answer");
        assertEquals(200, refresh.statusCode());
        assertEquals(new String(ANSWER), new String(refresh.body()));
        // An UPDATE with a changed offer: 488 too.
        var update = call.request(call.newRequest(Method.UPDATE).body(ContentType.APPLICATION_SDP, hold).build());
        assertEquals(488, bed.await(update.response(), "the UPDATE's answer").statusCode());
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** RFC 3262 §5: a reliable 1xx with an offer (INVITE without one) MUST get the answer in the PRACK. */
    @Test
    void prackCarriesTheAnswerToAnOfferInAReliable1xx() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().supported("100rel").onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), null, null) // late offer
                .beforePrack((r, b) -> b.body(ContentType.APPLICATION_SDP, ANSWER));
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        SipRequest prack = bed.await(callee.respondReliably(183, ContentType.APPLICATION_SDP, OFFER), "the PRACK");
        assertEquals(new String(ANSWER), new String(prack.body()), "the PRACK carries the answer to the 183's offer");
        bed.until(() -> bed.count(DialogBed.response(200, Method.PRACK, BOB)) == 1, "the PRACK's 200");
        callee.respond(200);
        bed.await(call.answered(), "the 200");
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** RFC 3262 §5: a PRACK with a new offer goes to the dialog's PRACK handler, whose 2xx carries the answer. */
    @Test
    void aPrackOfferIsAnsweredByThePrackHandler() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        byte[] offer2 = "v=0\r\no=alice 1 2 IN IP4 10.0.0.1\r\ns=-\r\n".getBytes();
        byte[] answer2 = "v=0\r\no=bob 1 2 IN IP4 10.0.0.2\r\ns=-\r\n".getBytes();
        bob.server().supported("100rel").onDialog(d -> {
            d.onRequest(Method.PRACK, tx -> tx.respond(tx.responseBuilder(200)
                    .body(ContentType.APPLICATION_SDP, answer2).build()));
            incoming.add(d);
        });
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER)
                .beforePrack((r, b) -> b.body(ContentType.APPLICATION_SDP, offer2));
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        bed.await(callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER), "the PRACK");
        bed.until(() -> bed.count(DialogBed.response(200, Method.PRACK, BOB)) == 1, "the PRACK's 200");
        assertEquals(new String(answer2),
                new String(bed.sent(DialogBed.response(200, Method.PRACK, BOB)).getFirst().response().body()));
        callee.respond(200, ContentType.APPLICATION_SDP, answer2);
        bed.await(call.answered(), "the 200");
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** Without a PRACK handler, a PRACK carrying a new offer is refused (488), never answered without an answer. */
    @Test
    void aPrackOfferWithoutHandlerGets488() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().supported("100rel").onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER)
                .beforePrack((r, b) -> b.body(ContentType.APPLICATION_SDP, OFFER));
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        bed.await(callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER), "the PRACK");
        bed.until(() -> bed.count(DialogBed.response(488, Method.PRACK, BOB)) == 1, "the PRACK's 488");
        callee.respond(486);
        assertEquals(486, bed.await(call.answered(), "the 486").statusCode());
        bed.assertIdle(alice, bob);
    }

    /** RFC 3262 §3: RSeq is 1 .. 2^31-1; a larger one is no usable RSeq, so no PRACK. */
    @Test
    void rseqAbove2To31Minus1IsNotPracked() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        BlockingQueue<ServerTransaction> invites = new LinkedBlockingQueue<>();
        bob.server().onInvite(invites::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !invites.isEmpty(), "the INVITE");
        ServerTransaction tx = invites.poll();
        tx.respond(tx.responseBuilder(183).setHeader(StandardHeader.REQUIRE, "100rel")
                .setHeader(StandardHeader.RSEQ, "2147483648").build());
        bed.settle();
        assertEquals(0, bed.count(DialogBed.request(Method.PRACK, ALICE)));
        tx.respond(486);
        bed.await(call.answered(), "the 486");
        bed.assertIdle(alice, bob);
    }

    /** RFC 3311 §5.1/§5.2: UPDATE is a target refresh: it and its 2xx carry a Contact. */
    @Test
    void updateAndIts2xxCarryAContact() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(d -> {
            d.onRequest(Method.UPDATE, tx -> tx.respond(200));
            d.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        });
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        var update = call.request(call.newRequest(Method.UPDATE).build());
        assertEquals(200, bed.await(update.response(), "the UPDATE's 200").statusCode());
        assertTrue(bed.sent(DialogBed.request(Method.UPDATE, ALICE)).getFirst().request()
                .header(StandardHeader.CONTACT).isPresent(), "UPDATE without Contact");
        assertTrue(update.response().join().header(StandardHeader.CONTACT).isPresent(), "UPDATE's 2xx without Contact");
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** onDialog implies supported("100rel"): the layer implements it, so Require: 100rel is served, not 420. */
    @Test
    void onDialogSupports100rel() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        SipRequest invite = alice.client().newRequest(Method.INVITE, uri("bob", BOB))
                .setHeader(StandardHeader.REQUIRE, "100rel").body(ContentType.APPLICATION_SDP, OFFER).build();
        ClientDialog call = alice.client().invite(invite);
        bed.until(() -> !incoming.isEmpty(), "the INVITE, not a 420");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        assertEquals(200, bed.await(call.answered(), "the 200").statusCode());
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** bye() of an early call sends a CANCEL; a 2xx crossing it is ACKed, then the layer BYEs it (§15). */
    @Test
    void byeOfAnEarlyCallCrossedByThe200EndsItWithABye() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180);
        bed.until(() -> call.state() == sip.router.DialogState.EARLY, "the early dialog");
        var byed = call.bye(); // a CANCEL, still in the network when Bob answers
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        assertEquals(200, bed.await(byed, "the crossing 200").statusCode());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(callee.terminated(), "Bob's end").reason());
        assertEquals(DialogEnd.Reason.BYE_SENT, bed.await(call.terminated(), "Alice's end").reason());
        bed.assertIdle(alice, bob);
    }

    /** reinvite(null, null): the beforeAck hook puts the application's answer in the ACK. */
    @Test
    void lateOfferReinviteAckCarriesTheHooksAnswer() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        byte[] mine = "v=0\r\no=alice 1 3 IN IP4 10.0.0.1\r\ns=-\r\n".getBytes();
        bob.server().onDialog(d -> d.respond(200, ContentType.APPLICATION_SDP, ANSWER));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        var ok = bed.await(call.reinvite(null, null, (r, ack) -> ack.body(ContentType.APPLICATION_SDP, mine)),
                "the re-INVITE's 200");
        assertEquals(200, ok.statusCode());
        bed.until(() -> bed.count(DialogBed.request(Method.ACK, ALICE)) == 2, "the re-INVITE's ACK");
        assertEquals(new String(mine), new String(bed.sent(DialogBed.request(Method.ACK, ALICE)).getLast().request().body()));
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** RFC 3311 §5.2: crossing UPDATEs with offers both get 491. */
    @Test
    void crossingUpdateOffersGet491() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the call is up");
        bed.settle();
        var fromAlice = call.request(call.newRequest(Method.UPDATE).body(ContentType.APPLICATION_SDP, OFFER).build());
        var fromBob = callee.request(callee.newRequest(Method.UPDATE).body(ContentType.APPLICATION_SDP, ANSWER).build());
        assertEquals(2, bed.network.pending(), "the two UPDATEs, nothing else");
        assertTrue(bed.network.deliverNext());
        assertTrue(bed.network.deliverNext());
        // Each side answers the other's UPDATE before it sees any answer (else it is no glare).
        bed.untilWithoutDelivering(() -> bed.count(DialogBed.response(491, Method.UPDATE, ALICE)) == 1
                && bed.count(DialogBed.response(491, Method.UPDATE, BOB)) == 1, "491 both ways");
        assertEquals(491, bed.await(fromAlice.response(), "Alice's UPDATE").statusCode());
        assertEquals(491, bed.await(fromBob.response(), "Bob's UPDATE").statusCode());
        // Once neither is pending, an UPDATE (a refresh) goes through.
        var again = call.request(call.newRequest(Method.UPDATE).body(ContentType.APPLICATION_SDP, OFFER).build());
        assertEquals(200, bed.await(again.response(), "the retry").statusCode());
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** Cancelling reinvite()'s future CANCELs the re-INVITE (§9.1); the call stays up. */
    @Test
    void cancellingAReinviteSendsACancel() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        AtomicInteger reinvites = new AtomicInteger();
        bob.server().onDialog(d -> {
            d.onRequest(Method.INVITE, tx -> {
                if (reinvites.getAndIncrement() == 0) {
                    tx.respond(180); // rings until cancelled
                } else {
                    tx.respond(tx.responseBuilder(200).body(ContentType.APPLICATION_SDP, ANSWER).build());
                }
            });
            d.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        });
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        var ringing = call.reinvite(ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> bed.count(DialogBed.response(180, Method.INVITE, BOB)) == 1, "the re-INVITE's 180");
        ringing.cancel(false);
        bed.until(() -> bed.count(DialogBed.response(487, Method.INVITE, BOB)) == 1, "the re-INVITE's 487");
        assertEquals(1, bed.count(DialogBed.request(Method.CANCEL, ALICE)));
        assertEquals(sip.router.DialogState.CONFIRMED, call.state(), "a cancelled re-INVITE leaves the dialog up");
        assertEquals(200, bed.await(call.reinvite(ContentType.APPLICATION_SDP, OFFER), "the next re-INVITE").statusCode());
        call.bye();
        bed.assertIdle(alice, bob);
    }

    /** The To tags of the forks ("fork-N") Alice has ACKed. */
    private long forkAcks() {
        return bed.sent(DialogBed.request(Method.ACK, ALICE)).stream()
                .filter(s -> s.request().toTag().startsWith("fork-")).map(s -> s.request().toTag()).distinct().count();
    }
}
