package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.Method;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/** Every dialog has a bounded life: maxDialogDuration, the handler timeout of an unanswered INVITE, close. */
@Timeout(60)
class LifetimeTest {

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void confirmedDialogIsByedAtItsMaximumDuration() throws Exception {
        UserAgent alice = bed.agent(ALICE, b -> b.maxDialogDuration(Duration.ofMinutes(10)));
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(callee.acked(), "the call is up");
        Duration up = bed.clock.elapsed();

        bed.advance(Duration.ofMinutes(10).minusMillis(1));
        assertEquals(0, bed.count(DialogBed.request(Method.BYE, ALICE)));
        bed.advance(Duration.ofMillis(1));
        assertEquals(new DialogEnd(DialogEnd.Reason.EXPIRED, 200), bed.await(call.terminated(), "Alice's end"));
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(callee.terminated(), "Bob's end").reason());
        assertEquals(up.plus(Duration.ofMinutes(10)), bed.sent(DialogBed.request(Method.BYE, ALICE)).getFirst().at());
        // Bob's default (12 h) bound was cancelled with his dialog: nothing left on the clock but transaction timers.
        bed.assertIdle(alice, bob);
        assertEquals(0, bed.clock.pending(), "no dialog timer outlives its dialog");
    }

    @Test
    void inviteLeftUnansweredExpiresWithTheHandlerTimeout() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB, b -> b.inviteHandlerTimeout(Duration.ofSeconds(20)));
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180);

        bed.advance(Duration.ofSeconds(21));
        assertEquals(408, bed.await(call.answered(), "the 408").statusCode());
        assertEquals(DialogEnd.Reason.EXPIRED, bed.await(callee.terminated(), "Bob's end").reason());
        assertEquals(DialogEnd.Reason.REJECTED, bed.await(call.terminated(), "Alice's end").reason());
        bed.assertIdle(alice, bob);
    }

    @Test
    void closeEndsPendingDialogsBothSides() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        bob.server().onDialog(incoming::add);
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(180);
        bed.until(() -> alice.dialogStats().early() == 1, "ringing");

        Thread closing = Thread.ofVirtual().start(bob::close);
        bed.until(() -> !closing.isAlive(), "Bob closes");
        assertEquals(DialogEnd.Reason.CLOSED, bed.await(callee.terminated(), "Bob's end").reason());
        assertEquals(503, bed.await(call.answered(), "Bob's close answers 503").statusCode());
        assertEquals(0, bob.dialogStats().live());
        bed.assertIdle(alice);
    }
}
