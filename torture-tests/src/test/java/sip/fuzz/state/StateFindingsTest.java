package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.CSeq;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;

/**
 * The findings of the state-machine fuzz targets, each reduced to a plain regression test.
 * A test is {@code @Disabled} while its bug is open, with the finding's number (as in the
 * report and in the comment where the fuzz rules step around it); enabled with the fix.
 * F1 and F2 are fixed (main 29f6b8a).
 */
class StateFindingsTest {

    private static final SipUri UA_URI = SipUri.of("ua", "10.0.0.2", 5060);
    private static final SipUri PEER_URI = SipUri.of("peer", "10.0.0.9", 5060);

    /**
     * F1. RFC 3261 §8.2.7: a stateless UAS "MUST" generate the To tag "in a manner that will
     * generate the same tag for the same request consistently". The transaction layer answers
     * a CANCEL that matches no transaction with a stateless 481 whose To tag is drawn afresh
     * for each copy (TransactionLayer.respondStateless builds it with SipResponse.builder,
     * whose tag is random per parsed request), so a retransmitted CANCEL gets a 481 with
     * another To tag. The same holds for the stateless 503s (overload, closing) and for the
     * 400s of MalformedAnswer.tagged. A fix: derive the tag from the request (a hash of
     * Call-ID, From tag, top Via branch and CSeq, keyed with a per-agent secret).
     */
    @Test
    void statelessAnswerKeepsItsToTag() throws Exception {
        try (PeerBed bed = new PeerBed(b -> b)) {
            SipRequest cancel = SipRequest.builder(Method.CANCEL, UA_URI)
                    .via(Via.of("MEM", "10.0.0.9", 5060, Via.MAGIC_COOKIE + "-nothing-here"))
                    .from(NameAddress.of(PEER_URI).withTag("f1"))
                    .to(NameAddress.of(UA_URI))
                    .callId("f1-call")
                    .set(HeaderType.CSEQ, new CSeq(1, Method.CANCEL))
                    .maxForwards(70)
                    .build();
            bed.peerSends(cancel);
            bed.advance(Duration.ofMillis(500));
            bed.peerSends(cancel); // the peer's Timer E retransmission
            List<SipResponse> answers = bed.fromUa().stream()
                    .map(s -> (SipResponse) s.message()).toList();
            assertEquals(List.of(481, 481), answers.stream().map(SipResponse::statusCode).toList());
            assertEquals(answers.get(0).toTag(), answers.get(1).toTag(),
                    "the stateless 481 to the same CANCEL must carry the same To tag");
        }
    }

    /**
     * F2. RFC 3261 §8.2.6.2: "If the request contained a To tag in the request, the To header
     * field in the response MUST equal that of the request". A CANCEL that matches an INVITE
     * server transaction by its branch (§9.2, §17.2.3) but carries another To tag than that
     * INVITE (a broken or hostile peer: §9.1 wants them identical) is answered 200 with the
     * INVITE transaction's To tag instead of its own: TransactionLayer.onCancel makes the
     * CANCEL's NonInviteServerMachine with {@code target.toTag()} whatever the CANCEL's To
     * says. Low impact (the peer broke §9.1 first); the fix is to use the INVITE's tag only
     * when the CANCEL has none.
     */
    @Test
    void cancelAnswerKeepsTheCancelsToTag() throws Exception {
        try (PeerBed bed = new PeerBed(b -> b)) {
            SipRequest invite = SipRequest.builder(Method.INVITE, UA_URI)
                    .via(Via.of("MEM", "10.0.0.9", 5060, Via.MAGIC_COOKIE + "-f2"))
                    .from(NameAddress.of(PEER_URI).withTag("f2"))
                    .to(NameAddress.of(UA_URI))
                    .callId("f2-call")
                    .cseq(1)
                    .maxForwards(70)
                    .contact(sip.message.Contact.of(PEER_URI))
                    .build();
            bed.peerSends(invite);
            SipRequest cancel = SipRequest.builder(Method.CANCEL, UA_URI)
                    .via(invite.topVia())
                    .from(invite.from())
                    .to(invite.to().withTag("t-of-the-cancel"))
                    .callId(invite.callId())
                    .set(HeaderType.CSEQ, new CSeq(1, Method.CANCEL))
                    .maxForwards(70)
                    .build();
            bed.peerSends(cancel);
            SipResponse ok = bed.fromUa().stream().map(s -> (SipResponse) s.message())
                    .filter(r -> r.cseq().method().equals(Method.CANCEL)).findFirst().orElseThrow();
            assertEquals(200, ok.statusCode());
            assertEquals("t-of-the-cancel", ok.toTag(), "a response copies the request's To tag");
        }
    }
}
