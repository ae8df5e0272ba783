package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.SipResponse;
import sip.router.ClientDialog;
import sip.router.DialogState;

/**
 * The findings of {@link DialogFuzzTest}, each reduced to a plain regression test, named by its
 * finding number (both fixed; disabled while a bug is open).
 */
class DialogFindingsTest {

    /**
     * D1. {@link sip.router.Dialog#bye()} documents no exception and a future that "completes
     * normally"; on a {@link ClientDialog} whose INVITE got no response at all (Timer B, a local
     * 408: the dialog is TERMINATED with no remote tag), it throws
     * {@code NullPointerException: uri} from DialogImpl.build (via sendBye): the dialog has no
     * remote target, and bye() on a terminated dialog goes on to build a BYE anyway. Expected:
     * the dialog's end is final; bye() returns a completed future (the INVITE's final response,
     * as for a dialog still pending) and sends nothing.
     */
    @Test
    void byeOnACallThatNeverGotAnAnswer() throws Exception {
        try (PeerBed bed = new PeerBed(b -> b)) {
            ClientDialog call = bed.ua.client().invite(bed.ua.client()
                    .newRequest(Method.INVITE, PeerScenario.PEER_URI.withParameter("transport", "mem")).build());
            bed.settle();
            bed.advance(Duration.ofSeconds(40)); // Timer B: 64*T1 without a response
            call.terminated().get(10, TimeUnit.SECONDS);
            assertEquals(DialogState.TERMINATED, call.state());
            assertNull(call.id().remoteTag());
            int sent = bed.fromUa().size();
            SipResponse answer = call.bye().get(10, TimeUnit.SECONDS);
            assertEquals(408, answer.statusCode(), "the INVITE's own final response");
            bed.settle();
            assertTrue(bed.fromUa().size() == sent, "nothing sent for a dialog that is over");
        }
    }

    /**
     * D2. Dialog.reinvite: "A re-INVITE asked for while another INVITE transaction is in
     * progress in the dialog, either way, waits for it to end first", and "a 481 or 408 ends the
     * dialog (GONE, with a BYE after a 408)". With a second re-INVITE queued behind one that
     * times out (local 408), the queued one is sent anyway, in its own client transaction,
     * beside the BYE that ends the dialog (same virtual instant, CSeq n+1 then BYE n+2), and
     * lives on for its Timer B; depending on which virtual thread wins, it even goes out after
     * the BYE with the lower CSeq it reserved when queued (INVITE 2 after BYE 3, which the peer
     * must answer 500, §12.2.2). Expected: the 408 ends the dialog first, so the queued
     * re-INVITE is never sent and its future completes (with that 408, or a local 481) at once.
     */
    @Test
    void queuedReinviteIsNotSentInADeadDialog() throws Exception {
        try (PeerBed bed = new PeerBed(b -> b)) {
            java.util.concurrent.BlockingQueue<sip.router.ServerDialog> calls = new java.util.concurrent.LinkedBlockingQueue<>();
            bed.ua.server().onDialog(d -> {
                calls.add(d);
                bed.parked(d.invite());
            });
            sip.message.SipRequest invite = sip.message.SipRequest.builder(Method.INVITE, PeerScenario.UA_URI)
                    .via(sip.message.Via.of("MEM", "10.0.0.9", 5060, sip.message.Via.MAGIC_COOKIE + "-d2"))
                    .from(sip.message.NameAddress.of(PeerScenario.PEER_URI).withTag("peer-d2"))
                    .to(sip.message.NameAddress.of(PeerScenario.UA_URI))
                    .callId("d2-call").cseq(1).maxForwards(70)
                    .contact(sip.message.Contact.of(PeerScenario.PEER_URI.withParameter("transport", "mem")))
                    .build();
            bed.peerSends(invite);
            sip.router.ServerDialog callee = calls.poll(10, TimeUnit.SECONDS);
            callee.respond(200);
            bed.settle();
            SipResponse ok = bed.fromUa().stream().map(s -> (SipResponse) s.message())
                    .filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
            bed.peerSends(sip.message.SipRequest.builder(Method.ACK, PeerScenario.UA_URI)
                    .via(sip.message.Via.of("MEM", "10.0.0.9", 5060, sip.message.Via.MAGIC_COOKIE + "-d2ack"))
                    .from(ok.from()).to(ok.to()).callId(ok.callId())
                    .set(sip.message.HeaderType.CSEQ, new sip.message.CSeq(1, Method.ACK)).maxForwards(70).build());
            callee.acked().get(10, TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture<SipResponse> first = callee.reinvite(null, null);
            java.util.concurrent.CompletableFuture<SipResponse> queued = callee.reinvite(null, null);
            bed.settle();
            PeerBed.await(() -> bed.fromUa().stream().anyMatch(s -> s.isRequest(Method.INVITE)), () -> "re-INVITE sent");
            bed.advance(Duration.ofSeconds(40)); // Timer B: the peer never answers
            assertEquals(408, first.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(sip.router.DialogEnd.Reason.GONE, callee.terminated().get(10, TimeUnit.SECONDS).reason());
            PeerBed.await(() -> bed.fromUa().stream().anyMatch(s -> s.isRequest(Method.BYE)), () -> "the BYE after the 408");
            bed.advance(Duration.ofSeconds(40)); // the BYE's transaction ends too
            long reinvites = bed.fromUa().stream().filter(s -> s.isRequest(Method.INVITE))
                    .map(s -> ((sip.message.SipRequest) s.message()).topVia().branch()).distinct().count();
            assertEquals(1, reinvites, () -> "a second re-INVITE sent in a dialog its first one's 408 ended:"
                    + TransactionRules.trace(bed));
            PeerBed.await(queued::isDone, () -> "the queued re-INVITE's future never completed");
            assertTrue(queued.isDone(), "the queued re-INVITE's future completes once the dialog is over");
        }
    }
}
