package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * What the UAS does with requests inside (or claiming to be inside) a dialog (RFC 3261 §12.2.2):
 * CSeq order, 481 for unknown dialogs of dialog-layer methods, the application's own handlers
 * of issue 4 still reached, and handlers per dialog.
 */
@Timeout(60)
class InDialogRulesTest {

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private ClientDialog call(UserAgent alice) throws InterruptedException {
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        return call;
    }

    @Test
    void lowerCSeqThanTheLastIs500() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = call(alice);
        ServerDialog callee = incoming.poll();
        callee.onRequest(Method.INFO, tx -> tx.respond(200));
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");

        SipRequest info = call.newRequest(Method.INFO).build();
        SipRequest older = call.newRequest(Method.INFO).build().toBuilder().cseq(info.cseq().sequence()).build();
        SipRequest newer = info.toBuilder().cseq(info.cseq().sequence() + 1).build();
        assertEquals(200, bed.await(alice.client().request(newer).response(), "in order").statusCode());
        SipResponse refused = bed.await(alice.client().request(older).response(), "out of order");
        assertEquals(500, refused.statusCode(), "§12.2.2: lower than the remote sequence number");
        assertEquals(newer.cseq().sequence(), callee.remoteSequence().orElseThrow());
        assertEquals(DialogState.CONFIRMED, callee.state(), "an out-of-order request ends nothing");

        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void dialogLayerMethodsForUnknownDialogsGet481() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add).onMessage(tx -> tx.respond(202));
        for (Method m : List.of(Method.BYE, Method.INFO, Method.UPDATE, Method.PRACK, Method.INVITE)) {
            SipRequest r = alice.client().newRequest(m, uri("bob", BOB))
                    .to(NameAddress.of(uri("bob", BOB)).withTag("no-such-dialog")).build();
            assertEquals(481, bed.await(alice.client().request(r).response(), m + " answered").statusCode(), m.name());
        }
        // Methods the dialog layer does not own go to the server's handlers as before.
        SipRequest message = alice.client().newRequest(Method.MESSAGE, uri("bob", BOB))
                .to(NameAddress.of(uri("bob", BOB)).withTag("no-such-dialog")).build();
        assertEquals(202, bed.await(alice.client().request(message).response(), "MESSAGE").statusCode());
        bed.assertIdle(alice, bob);
    }

    @Test
    void withoutADialogTheApplicationsOwnHandlerStillGetsTheRequest() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        List<SipRequest> byes = new CopyOnWriteArrayList<>();
        // Issue 4 style: no dialogs at Bob, plain handlers.
        bob.server().onInvite(tx -> tx.respond(tx.responseBuilder(200).body(ContentType.APPLICATION_SDP, ANSWER).build()))
                .onBye(tx -> {
                    byes.add(tx.request());
                    tx.respond(200);
                });
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.await(call.answered(), "the 200");
        assertEquals(0, bob.dialogStats().created());
        assertEquals(200, bed.await(call.bye(), "BYE").statusCode());
        assertEquals(1, byes.size(), "the application's onBye handler got the BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void requestsWithoutAnyHandlerInADialogGet405AndUpdateRefreshesTheTarget() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = call(alice);
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the call is up");

        SipResponse info = bed.await(call.request(call.newRequest(Method.INFO).build()).response(), "INFO");
        assertEquals(405, info.statusCode());
        assertTrue(info.header(sip.message.StandardHeader.ALLOW).orElseThrow().contains("UPDATE"));
        // A method the dialog layer does not own gets the server's own answer, here OPTIONS' default.
        SipResponse options = bed.await(call.request(call.newRequest(Method.OPTIONS).build()).response(), "OPTIONS");
        assertEquals(200, options.statusCode());
        String allow = options.header(sip.message.StandardHeader.ALLOW).orElseThrow();
        for (String m : List.of("INVITE", "BYE", "PRACK", "UPDATE")) {
            assertTrue(allow.contains(m), "with onDialog, OPTIONS' Allow lists " + m + ": " + allow);
        }

        var moved = sip.message.SipUri.parse("sip:alice-moved@10.0.0.1:5060;transport=mem");
        SipRequest update = call.newRequest(Method.UPDATE)
                .contact(sip.message.Contact.of(moved)).body(ContentType.APPLICATION_SDP, OFFER).build();
        SipResponse ok = bed.await(call.request(update).response(), "UPDATE");
        assertEquals(200, ok.statusCode());
        assertEquals(moved, callee.remoteTarget(), "RFC 3311: UPDATE is a target refresh");

        callee.bye();
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(call.terminated(), "Alice's end").reason());
        assertEquals(moved, bed.sent(DialogBed.request(Method.BYE, BOB)).getFirst().request().requestUri());
        bed.assertIdle(alice, bob);
    }

    @Test
    void byeInAnEarlyDialogEndsTheInviteWith487() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = call(alice);
        ServerDialog callee = incoming.poll();
        callee.respond(180);
        bed.until(() -> call.state() == DialogState.EARLY, "early");
        // The caller may BYE an early dialog (§15); Parley's own bye() cancels, so send one by hand.
        SipResponse ok = bed.await(alice.client().request(call.newRequest(Method.BYE).build()).response(), "BYE");
        assertEquals(200, ok.statusCode());
        assertEquals(487, bed.await(call.answered(), "§15.1.2: the INVITE ends with 487").statusCode());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(callee.terminated(), "Bob's end").reason());
        bed.assertIdle(alice, bob);
    }
}
