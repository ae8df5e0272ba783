package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientDialog;
import sip.router.ServerDialog;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * Re-INVITE (RFC 3261 §14): target refresh from the 2xx's Contact, the ACK, the default answer
 * without a handler, glare ({@code 491} both ways, then the §14.1 back-off: 2.1–4 s for the
 * owner of the Call-ID, 0–2 s for the other) and {@code 500} with {@code Retry-After} for a
 * re-INVITE overtaking the peer's own unanswered one (§14.2).
 */
@Timeout(60)
class ReinviteTest {

    private static final byte[] OFFER2 = "v=0\r\no=alice 1 2 IN IP4 10.0.0.1\r\ns=-\r\n".getBytes();
    private static final byte[] ANSWER2 = "v=0\r\no=bob 1 2 IN IP4 10.0.0.2\r\ns=-\r\n".getBytes();

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();
    private UserAgent alice;
    private UserAgent bob;
    private ClientDialog call;
    private ServerDialog callee;

    @BeforeEach
    void call() throws Exception {
        alice = bed.agent(ALICE);
        bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the call is up");
    }

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void reinviteRefreshesTheTargetFromThe2xx() throws Exception {
        SipUri moved = SipUri.parse("sip:bob-moved@10.0.0.2:5060;transport=mem");
        callee.onRequest(Method.INVITE, tx -> tx.respond(tx.responseBuilder(200)
                .contact(Contact.of(moved)).body(ContentType.APPLICATION_SDP, ANSWER2).build()));
        long before = call.localSequence();

        SipResponse ok = bed.await(call.reinvite(ContentType.APPLICATION_SDP, OFFER2), "the re-INVITE's 200");
        assertEquals(200, ok.statusCode());
        assertArrayEquals(ANSWER2, ok.body());
        assertEquals(moved, call.remoteTarget(), "§12.2.1.2: target refresh from the 2xx");
        SipRequest reinvite = bed.sent(DialogBed.request(Method.INVITE, ALICE)).get(1).request();
        assertEquals(before + 1, reinvite.cseq().sequence());
        assertEquals(call.id().remoteTag(), reinvite.toTag());
        bed.until(() -> bed.count(DialogBed.request(Method.ACK, ALICE)) == 2, "the re-INVITE's ACK");
        SipRequest ack = bed.sent(DialogBed.request(Method.ACK, ALICE)).get(1).request();
        assertEquals(reinvite.cseq().sequence(), ack.cseq().sequence());
        assertEquals(moved, ack.requestUri());

        bed.await(call.bye(), "BYE");
        assertEquals(moved, bed.sent(DialogBed.request(Method.BYE, ALICE)).getFirst().request().requestUri());
        bed.assertIdle(alice, bob);
    }

    @Test
    void withoutAHandlerAReinviteIsAnsweredWithTheLastSessionDescription() throws Exception {
        assertEquals(488, bed.await(call.reinvite(ContentType.APPLICATION_SDP, OFFER2), "a new offer").statusCode(),
                "a changed session needs the application's answer (RFC 3264 §6.1)");
        SipResponse ok = bed.await(call.reinvite(ContentType.APPLICATION_SDP, OFFER), "Bob's default answer");
        assertEquals(200, ok.statusCode(), "a session refresh (the same offer) is answered by the layer");
        assertArrayEquals(ANSWER, ok.body(), "what Bob sent last");

        // The callee re-INVITEs too (its CSeq space is its own), without an offer: Alice offers
        // in her 2xx what she sent last, and Bob's ACK answers it.
        SipResponse back = bed.await(callee.reinvite(null, null), "Alice's default answer");
        assertEquals(200, back.statusCode());
        assertArrayEquals(OFFER, back.body(), "Alice's session: the refused OFFER2 left it unchanged");
        assertEquals(1, bed.sent(DialogBed.request(Method.INVITE, BOB)).getFirst().request().cseq().sequence());
        bed.until(() -> bed.count(DialogBed.request(Method.ACK, BOB)) == 1, "Bob's ACK");
        assertArrayEquals(ANSWER, bed.sent(DialogBed.request(Method.ACK, BOB)).getFirst().request().body());

        bed.await(callee.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void glareIsResolvedByTheBackOff() throws Exception {
        // Session refreshes (each side's previous SDP), which the layer answers 200 by itself.
        var fromAlice = call.reinvite(ContentType.APPLICATION_SDP, OFFER);
        var fromBob = callee.reinvite(ContentType.APPLICATION_SDP, ANSWER);
        // Both re-INVITEs cross, and nothing else moves: each side answers the other's before it
        // sees any answer (deliverAll could hand one side the first 491 while the other is
        // still to handle its INVITE, which is then no glare).
        assertEquals(2, bed.network.pending(), "the two re-INVITEs (sent by reinvite() itself), nothing else");
        assertTrue(bed.network.deliverNext());
        assertTrue(bed.network.deliverNext());
        bed.untilWithoutDelivering(() -> bed.count(DialogBed.response(491, Method.INVITE, ALICE)) == 1
                && bed.count(DialogBed.response(491, Method.INVITE, BOB)) == 1, "491 both ways");
        Duration glare = bed.clock.elapsed();
        // The 491s are handled on virtual threads: let Alice's back-off (the only timer due in
        // 2.1-4 s) be scheduled before the clock moves, so the waits are measured from here.
        bed.until(() -> bed.clock.pendingDelays().stream()
                .anyMatch(d -> d.toMillis() >= 2100 && d.toMillis() <= 4000), "Alice's back-off is scheduled");
        bed.settle();

        bed.advance(Duration.ofSeconds(5));
        assertEquals(200, bed.await(fromAlice, "Alice's re-INVITE, retried").statusCode());
        assertEquals(200, bed.await(fromBob, "Bob's re-INVITE, retried").statusCode());
        List<DialogBed.Sent> aliceInvites = bed.sent(DialogBed.request(Method.INVITE, ALICE));
        List<DialogBed.Sent> bobInvites = bed.sent(DialogBed.request(Method.INVITE, BOB));
        assertEquals(3, aliceInvites.size(), "the call, the re-INVITE, its retry");
        assertEquals(2, bobInvites.size(), "the re-INVITE, its retry");
        Duration aliceWait = aliceInvites.get(2).at().minus(glare);
        Duration bobWait = bobInvites.get(1).at().minus(glare);
        // §14.1: Alice chose the Call-ID: 2.1-4 s; Bob did not: 0-2 s.
        assertTrue(aliceWait.compareTo(Duration.ofMillis(2100)) >= 0 && aliceWait.compareTo(Duration.ofSeconds(4)) <= 0,
                "Alice's back-off " + aliceWait);
        assertTrue(bobWait.compareTo(Duration.ofSeconds(2)) <= 0, "Bob's back-off " + bobWait);
        assertEquals(0, aliceWait.toMillis() % 10, "units of 10 ms");
        assertTrue(aliceInvites.get(2).request().cseq().sequence() > aliceInvites.get(1).request().cseq().sequence(),
                "a retry is a new request");
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void reinviteOvertakingAnUnansweredOneGets500WithRetryAfter() throws Exception {
        BlockingQueue<ServerTransaction> held = new LinkedBlockingQueue<>();
        callee.onRequest(Method.INVITE, held::add);
        var first = call.reinvite(ContentType.APPLICATION_SDP, OFFER2);
        bed.until(() -> !held.isEmpty(), "the first re-INVITE waits in Bob's handler");

        // A second one, sent past the dialog layer (which would have waited for the first).
        SipRequest second = call.newRequest(Method.INVITE).body(ContentType.APPLICATION_SDP, OFFER2).build();
        SipResponse refused = bed.await(alice.client().request(second).response(), "the second's answer");
        assertEquals(500, refused.statusCode());
        long retryAfter = refused.first(HeaderType.RETRY_AFTER).orElseThrow().seconds();
        assertTrue(retryAfter >= 0 && retryAfter <= 10, "§14.2: Retry-After 0-10 s, was " + retryAfter);

        ServerTransaction tx = held.poll();
        tx.respond(tx.responseBuilder(200).body(ContentType.APPLICATION_SDP, ANSWER2).build());
        assertEquals(200, bed.await(first, "the first re-INVITE answered").statusCode());
        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }
}
