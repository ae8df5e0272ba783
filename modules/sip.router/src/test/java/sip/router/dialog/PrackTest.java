package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * Reliable provisional responses (RFC 3262) on both sides: {@code Require: 100rel} and RSeq,
 * retransmission from T1 doubling until the PRACK, the automatic PRACK with RAck in the early
 * dialog, repeats ignored, lost PRACK and lost 1xx recovered, 504 after 64×T1 without PRACK.
 */
@Timeout(60)
class PrackTest {

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();
    private final List<Integer> provisionals = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private UserAgent bob() throws Exception {
        UserAgent bob = bed.agent(BOB);
        bob.server().supported("100rel").onDialog(incoming::add);
        return bob;
    }

    private ClientDialog invite(UserAgent alice) {
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        call.onProvisional(r -> provisionals.add(r.statusCode()));
        return call;
    }

    private ServerDialog callee() throws InterruptedException {
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        return incoming.poll();
    }

    private int prackTransactions() {
        return (int) bed.sent(DialogBed.request(Method.PRACK, ALICE)).stream()
                .map(s -> s.request().topVia().branch()).distinct().count();
    }

    @Test
    void reliableProvisionalsArePrackedInTheEarlyDialog() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = invite(alice);
        ServerDialog callee = callee();
        assertTrue(callee.invite().all(HeaderType.SUPPORTED).contains("100rel"), "Client.invite adds Supported: 100rel");

        var prack = callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER);
        SipRequest p = bed.await(prack, "the PRACK");
        SipResponse sent183 = bed.sent(DialogBed.response(183, Method.INVITE, BOB)).getFirst().response();
        assertEquals(List.of("100rel"), sent183.all(HeaderType.REQUIRE));
        long rseq = Long.parseLong(sent183.header(StandardHeader.RSEQ).orElseThrow());
        assertEquals(rseq + " " + call.invite().cseq().sequence() + " INVITE", p.header(StandardHeader.RACK).orElseThrow());
        assertEquals(callee.id().localTag(), p.toTag(), "in the early dialog");
        assertEquals(call.invite().cseq().sequence() + 1, p.cseq().sequence());
        bed.until(() -> bed.count(DialogBed.response(200, Method.PRACK, BOB)) == 1, "the PRACK's 200");

        // The next one carries RSeq + 1 and is PRACKed too.
        SipRequest p2 = bed.await(callee.respondReliably(180, null, null), "the second PRACK");
        assertEquals((rseq + 1) + " " + call.invite().cseq().sequence() + " INVITE", p2.header(StandardHeader.RACK).orElseThrow());
        bed.until(() -> provisionals.size() == 2, "both passed up");
        assertEquals(List.of(183, 180), provisionals);

        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void lostPrackIsRetransmittedAndTheRepeated1xxIgnored() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        bed.dropFirst(1, DialogBed.request(Method.PRACK, ALICE));
        ClientDialog call = invite(alice);
        ServerDialog callee = callee();
        var prack = callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER);
        bed.until(() -> bed.count(DialogBed.request(Method.PRACK, ALICE)) == 1, "the first PRACK (lost)");
        assertFalse(prack.isDone());

        bed.advance(DialogBed.T1); // Timer E resends the PRACK; Bob resends the 183
        bed.await(prack, "the PRACK retransmission");
        assertEquals(2, bed.count(DialogBed.response(183, Method.INVITE, BOB)));
        assertEquals(1, prackTransactions(), "no new PRACK for a repeated reliable 1xx");
        bed.settle();
        assertEquals(List.of(183), provisionals, "the repeat is not passed up");
        bed.advance(Duration.ofSeconds(5));
        assertEquals(2, bed.count(DialogBed.response(183, Method.INVITE, BOB)), "no resending after the PRACK");

        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void lostReliable1xxIsResentFromT1() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        bed.dropFirst(2, DialogBed.response(180, Method.INVITE, BOB));
        ClientDialog call = invite(alice);
        ServerDialog callee = callee();
        callee.transaction().respond(100); // stops Alice's INVITE retransmissions, which would fetch the 180 too
        bed.settle();
        Duration sentAt = bed.clock.elapsed();
        var prack = callee.respondReliably(180, null, null);
        bed.advance(DialogBed.T1);
        assertFalse(prack.isDone(), "the first resend (at T1) is lost too");
        bed.advance(DialogBed.T1.multipliedBy(2));
        bed.await(prack, "the PRACK for the third copy, at 3*T1");
        assertEquals(List.of(0L, 500L, 1500L), bed.sent(DialogBed.response(180, Method.INVITE, BOB)).stream()
                .map(s -> s.at().minus(sentAt).toMillis()).toList());
        callee.respond(486);
        assertEquals(486, bed.await(call.answered(), "the 486").statusCode());
        bed.assertIdle(alice, bob);
    }

    @Test
    void withoutPrackTheInviteIsRejectedAfter64T1() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        bed.drop(DialogBed.request(Method.PRACK, ALICE));
        ClientDialog call = invite(alice);
        ServerDialog callee = callee();
        Duration sentAt = bed.clock.elapsed();
        var prack = callee.respondReliably(180, null, null);
        assertThrows(IllegalStateException.class, () -> callee.respondReliably(183, null, null),
                "RFC 3262 §3: no second reliable 1xx before the first is PRACKed");

        bed.advance(DialogBed.TIMEOUT);
        assertEquals(504, bed.await(call.answered(), "the 504").statusCode());
        assertEquals(new DialogEnd(DialogEnd.Reason.NO_ACK, 504), bed.await(callee.terminated(), "Bob's end"));
        assertEquals(DialogEnd.Reason.REJECTED, bed.await(call.terminated(), "Alice's end").reason());
        var failed = assertThrows(java.util.concurrent.CompletionException.class, prack::join,
                "the PRACK future completes when the dialog ends without one");
        assertEquals(DialogEnd.Reason.NO_ACK, ((sip.router.DialogEndedException) failed.getCause()).end().reason());
        // T1 doubling without cap: 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s
        assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L),
                bed.sent(DialogBed.response(180, Method.INVITE, BOB)).stream()
                        .map(s -> s.at().minus(sentAt).toMillis()).toList());
        assertEquals(1, prackTransactions());
        bed.assertIdle(alice, bob);
    }

    @Test
    void reliableAnswersNeed100relFromTheCaller() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        SipRequest plain = alice.client().newRequest(Method.INVITE, uri("bob", BOB))
                .body(ContentType.APPLICATION_SDP, OFFER).build();
        var tx = alice.client().request(plain); // no Supported: 100rel
        ServerDialog callee = callee();
        assertThrows(IllegalStateException.class, () -> callee.respondReliably(180, null, null));
        assertThrows(IllegalArgumentException.class, () -> callee.respondReliably(200, null, null));
        callee.respond(480);
        assertEquals(480, bed.await(tx.response(), "the 480").statusCode());
        bed.assertIdle(alice, bob);
    }

    @Test
    void prackMatchingNothingGets481() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = invite(alice);
        ServerDialog callee = callee();
        bed.await(callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER), "the PRACK");
        SipRequest stray = call.newRequest(Method.PRACK).setHeader(StandardHeader.RACK, "1 1 INVITE").build();
        assertEquals(481, bed.await(alice.client().request(stray).response(), "the stray PRACK").statusCode());
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }
}
