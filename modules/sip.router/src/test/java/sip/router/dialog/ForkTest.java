package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.SipResponse;
import sip.router.ClientDialog;
import sip.router.Dialog;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * Forking seen from the UAC (RFC 3261 §12.1.2, §13.2.2.4): an early dialog per 1xx To tag, and
 * a 2xx with another To tag than the first is a dialog of its own, ACKed, then BYEd unless the
 * application keeps it. The second branch is Bob's stack sending a copy of his response with
 * another To tag, statelessly, as a forking proxy would relay it.
 */
@Timeout(60)
class ForkTest {

    private static final String OTHER_TAG = "branch-2";

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

    /** What another branch of the INVITE answers: Bob's response with another To tag and Contact. */
    private static SipResponse otherBranch(ServerDialog callee, int code) {
        var b = callee.transaction().responseBuilder(code).toTag(OTHER_TAG)
                .contact(Contact.of(uri("carol", BOB)));
        if (code / 100 == 2) {
            b.body(ContentType.APPLICATION_SDP, ANSWER);
        }
        return b.build();
    }

    @Test
    void unwantedForkIsAckedThenByed() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bob.client().sendStateless(otherBranch(callee, 200));

        bed.await(call.answered(), "the first 200");
        bed.until(() -> bed.count(DialogBed.request(Method.BYE, ALICE)) == 1, "the fork's BYE");
        var acks = bed.sent(DialogBed.request(Method.ACK, ALICE));
        assertEquals(List.of(callee.id().localTag(), OTHER_TAG), acks.stream().map(s -> s.request().toTag()).toList(),
                "an ACK for each 2xx");
        var bye = bed.sent(DialogBed.request(Method.BYE, ALICE)).getFirst().request();
        assertEquals(OTHER_TAG, bye.toTag());
        assertEquals(uri("carol", BOB), bye.requestUri(), "the fork's own remote target");
        assertEquals(callee.id().localTag(), call.id().remoteTag(), "the call is the first 2xx's dialog");
        assertEquals(DialogState.CONFIRMED, call.state());
        // Bob's stack knows no dialog "branch-2" and has no BYE handler: 481.
        bed.until(() -> bed.count(DialogBed.response(481, Method.BYE, BOB)) == 1, "481 to the fork's BYE");
        bed.until(() -> alice.dialogStats().terminated(DialogEnd.Reason.BYE_SENT) == 1, "the fork ended");
        assertEquals(2, alice.dialogStats().created());
        assertEquals(1, alice.dialogStats().confirmed());

        bed.await(call.bye(), "BYE of the call");
        bed.await(callee.terminated(), "Bob's end");
        bed.assertIdle(alice, bob);
    }

    @Test
    void forkIsHandedToTheListenerWhenOneIsSet() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        List<Dialog> forks = new CopyOnWriteArrayList<>();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER)
                .onFork(forks::add);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bob.client().sendStateless(otherBranch(callee, 200));

        bed.until(() -> forks.size() == 1, "the fork reaches the listener");
        Dialog fork = forks.getFirst();
        assertEquals(DialogState.CONFIRMED, fork.state());
        assertEquals(OTHER_TAG, fork.id().remoteTag());
        assertEquals(call.id().callId(), fork.id().callId());
        assertEquals(call.id().localTag(), fork.id().localTag());
        assertEquals(0, bed.count(DialogBed.request(Method.BYE, ALICE)), "a kept fork is not BYEd");
        assertEquals(2, alice.dialogStats().confirmed());

        bed.await(fork.bye(), "the fork's BYE");
        bed.await(call.bye(), "the call's BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void eachProvisionalToTagIsAnEarlyDialogAndThe2xxPicksOne() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180);
        bob.client().sendStateless(otherBranch(callee, 180));
        bed.until(() -> alice.dialogStats().early() == 2, "two early dialogs");
        assertEquals(callee.id().localTag(), call.id().remoteTag(), "the call shows the first one");

        // The other branch answers: the call becomes its dialog, the first early dialog ends.
        bob.client().sendStateless(otherBranch(callee, 200));
        bed.await(call.answered(), "the other branch's 200");
        assertEquals(OTHER_TAG, call.id().remoteTag());
        assertEquals(uri("carol", BOB), call.remoteTarget());
        assertNotEquals(0, alice.dialogStats().terminated(DialogEnd.Reason.EXPIRED));
        assertEquals(0, alice.dialogStats().early());
        assertEquals(1, alice.dialogStats().confirmed());
        bed.until(() -> bed.count(DialogBed.request(Method.ACK, ALICE)) == 1, "the ACK");
        assertEquals(OTHER_TAG, bed.sent(DialogBed.request(Method.ACK, ALICE)).getFirst().request().toTag());

        // Bob's own branch then times out on his side (no one answers it here): cancel it.
        callee.respond(487);
        bed.await(call.bye(), "BYE to the other branch (481 from Bob's stack)");
        bed.assertIdle(alice, bob);
    }
}
