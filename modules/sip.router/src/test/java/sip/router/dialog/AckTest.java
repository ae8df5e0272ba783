package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.Method;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * The ACK of a 2xx (RFC 3261 §13.2.2.4, §13.3.1.4): sent by the UAC's dialog layer, re-sent for
 * each retransmitted 2xx; the UAS's 2xx is retransmitted until it arrives, and without it the
 * dialog is confirmed, then ended with a BYE after 64×T1.
 */
@Timeout(60)
class AckTest {

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

    @Test
    void lostAckIsRecoveredByThe2xxRetransmission() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        bed.dropFirst(1, DialogBed.request(Method.ACK, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");
        bed.settle();
        assertFalse(callee.acked().isDone(), "the first ACK was lost");

        bed.advance(DialogBed.T1);
        bed.await(callee.acked(), "the ACK resent for the retransmitted 200");
        assertEquals(2, bed.count(DialogBed.response(200, Method.INVITE, BOB)));
        assertEquals(2, bed.count(DialogBed.request(Method.ACK, ALICE)));
        bed.advance(Duration.ofSeconds(10));
        assertEquals(2, bed.count(DialogBed.response(200, Method.INVITE, BOB)), "no 200 after the ACK");
        assertEquals(DialogState.CONFIRMED, callee.state());

        bed.await(call.bye(), "BYE");
        bed.assertIdle(alice, bob);
    }

    @Test
    void withoutAnyAckTheCalleeByesAfter64T1() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bob();
        bed.drop(DialogBed.request(Method.ACK, ALICE));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        Duration sentAt = bed.clock.elapsed();
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        bed.await(call.answered(), "the 200");

        bed.advance(DialogBed.TIMEOUT.minus(Duration.ofMillis(1)));
        assertEquals(0, bed.count(DialogBed.request(Method.BYE, BOB)), "not before 64*T1");
        bed.advance(Duration.ofMillis(1));
        bed.until(() -> bed.count(DialogBed.request(Method.BYE, BOB)) == 1, "Bob's BYE at 64*T1");
        assertEquals(sentAt.plus(DialogBed.TIMEOUT), bed.sent(DialogBed.request(Method.BYE, BOB)).getFirst().at());
        // T1 doubling, capped at T2, for 64*T1: 0, 0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s
        List<Duration> resent = bed.sent(DialogBed.response(200, Method.INVITE, BOB)).stream()
                .map(s -> s.at().minus(sentAt)).toList();
        assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
                resent.stream().map(Duration::toMillis).toList());
        assertEquals(DialogEnd.Reason.NO_ACK, bed.await(callee.terminated(), "Bob's end").reason());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(call.terminated(), "Alice's end").reason());
        assertTrue(callee.acked().isCompletedExceptionally(), "acked() fails once the dialog ended without ACK");
        assertEquals(1, bob.dialogStats().terminated(DialogEnd.Reason.NO_ACK));
        bed.assertIdle(alice, bob);
    }
}
