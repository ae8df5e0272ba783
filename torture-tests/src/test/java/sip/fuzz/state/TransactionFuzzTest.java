package sip.fuzz.state;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.TransactionEndedException;

/**
 * The transaction layer (and the server/client core above it) against an adversarial peer: a
 * fuzzer-chosen sequence of well-formed messages for a few Call-IDs (new requests, exact
 * retransmissions, branch collisions, CANCEL right or wrong, before or after the final response,
 * ACK with the right or a wrong branch and tag, in-dialog requests with old CSeqs, responses to
 * the UA's own requests, to nothing, with our Via but an unknown branch or the wrong CSeq
 * method), while the UA's handlers answer, return or throw as the fuzzer says and the UA's
 * client sends, cancels and ACKs requests of its own; time moves by fuzzer-chosen amounts.
 * Then {@link TransactionRules} checks every message on the wire and that, once time has run
 * on, every live count is back to zero, every client transaction has its final response and no
 * message broke a layer.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code TransactionFuzzTestInputs/} and a few
 * hundred seeded scenarios (see FUZZING.md).
 */
class TransactionFuzzTest {

    /**
     * Seeded scenarios a plain build runs; {@code -Dparley.fuzz.seeds=N -Dparley.fuzz.firstSeed=S}
     * runs others, more or fewer (a cheap search beside the fuzzer).
     */
    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 250);

    private static final SipUri UA_URI = SipUri.of("ua", "10.0.0.2", 5060);
    private static final SipUri PEER_URI = SipUri.of("peer", "10.0.0.9", 5060);
    private static final List<Method> PEER_METHODS = List.of(Method.INVITE, Method.INVITE, Method.OPTIONS,
            Method.BYE, Method.MESSAGE, Method.INFO, Method.PRACK, Method.UPDATE, Method.REGISTER);
    private static final List<Integer> PEER_CODES = List.of(100, 180, 183, 200, 202, 301, 404, 407, 486, 487,
            500, 503, 600, 603);
    private static final List<Integer> HANDLER_CODES = List.of(100, 180, 183, 200, 202, 302, 404, 486, 500, 603);

    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "60s")
    void adversarialPeer(FuzzedDataProvider data) throws Exception {
        run(Choices.of(data), 40);
    }

    /** Seeded scenarios, so that a plain build covers the property beyond the corpus. */
    @Test
    void adversarialPeerSeeded() throws Exception {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            run(Choices.seeded(seed), 30);
        }
    }

    static void run(Choices c, int maxSteps) throws Exception {
        try (PeerBed bed = new PeerBed(b -> b.inviteHandlerTimeout(Duration.ofSeconds(c.between(1, 90))))) {
            Scenario s = new Scenario(c, bed);
            int steps = c.between(1, maxSteps);
            for (int i = 0; i < steps; i++) {
                s.step();
            }
            // Every handler returns, the peer falls silent and time runs on: every transaction
            // ends by a timer, however the run left it.
            for (PeerBed.Handled h : bed.handled) {
                bed.finish(h, false);
            }
            bed.advance(Duration.ofMinutes(6));
            TransactionRules.check(bed);
        }
    }

    /** The state a run builds up and the steps it takes. */
    private static final class Scenario {
        private final Choices c;
        private final PeerBed bed;
        private final List<SipRequest> peerRequests = new ArrayList<>();
        private int branches;

        Scenario(Choices c, PeerBed bed) {
            this.c = c;
            this.bed = bed;
        }

        void step() throws IOException {
            switch (c.between(0, 11)) {
                case 0, 1 -> newRequest();
                case 2 -> retransmit();
                case 3 -> cancel();
                case 4 -> ack();
                case 5 -> respondToUa();
                case 6 -> uaRequest();
                case 7 -> uaCancelOrAck();
                case 8, 9 -> handlerResponds();
                case 10 -> handlerFinishes();
                default -> bed.advance(Duration.ofMillis(Choices.pickOf(c, 0, 100, 500, 2000, 4500, 32_000,
                        c.between(0, 70_000))));
            }
        }

        private String branch() {
            return Via.MAGIC_COOKIE + "-p" + branches++;
        }

        private void newRequest() {
            Method method = c.pick(PEER_METHODS);
            String branch = !peerRequests.isEmpty() && c.percent(10)
                    ? c.pick(peerRequests).topVia().branch() : branch();
            SipRequest.Builder b = SipRequest.builder(method, UA_URI.withParameter("transport", "mem"))
                    .via(Via.of("MEM", "10.0.0.9", 5060, branch))
                    .from(NameAddress.of(PEER_URI).withTag("f" + c.between(0, 1)))
                    .to(toWithTag(Choices.pickOf(c, null, "t0", uaToTag())))
                    .callId("call-" + c.between(0, 2))
                    .cseq(c.between(1, 4))
                    .maxForwards(70);
            if (method.equals(Method.INVITE) || method.equals(Method.UPDATE)) {
                b.contact(Contact.of(PEER_URI.withParameter("transport", "mem")));
            }
            if (method.equals(Method.PRACK)) {
                b.addHeader("RAck", c.between(0, 3) + " " + c.between(1, 4) + " INVITE");
            }
            send(b.build());
        }

        private NameAddress toWithTag(String tag) {
            NameAddress to = NameAddress.of(UA_URI);
            return tag == null ? to : to.withTag(tag);
        }

        /** A To tag the UA gave in a response, so that in-dialog requests can hit its state. */
        private String uaToTag() {
            List<String> tags = bed.fromUa().stream()
                    .filter(s -> s.message() instanceof SipResponse r && r.toTag() != null)
                    .map(s -> s.message().toTag()).distinct().toList();
            return tags.isEmpty() ? "t1" : c.pick(tags);
        }

        private void send(SipRequest r) {
            peerRequests.add(r);
            bed.peerSends(r);
        }

        private void retransmit() {
            if (!peerRequests.isEmpty()) {
                bed.peerSends(c.pick(peerRequests));
            }
        }

        private List<SipRequest> peerInvites() {
            return peerRequests.stream().filter(r -> r.method().equals(Method.INVITE)).toList();
        }

        private void cancel() {
            List<SipRequest> invites = peerInvites();
            if (invites.isEmpty()) {
                return;
            }
            SipRequest invite = c.pick(invites);
            SipRequest.Builder b = SipRequest.builder(Method.CANCEL, invite.requestUri())
                    .via(c.percent(80) ? invite.topVia() : Via.of("MEM", "10.0.0.9", 5060, branch()))
                    .from(invite.from())
                    .to(invite.to())
                    .callId(invite.callId())
                    .set(HeaderType.CSEQ, new CSeq(c.percent(80) ? invite.cseq().sequence() : 9, Method.CANCEL))
                    .maxForwards(70);
            send(b.build());
        }

        private void ack() {
            List<SipRequest> invites = peerInvites();
            if (invites.isEmpty()) {
                return;
            }
            SipRequest invite = c.pick(invites);
            // The To tag of a response the UA sent to this INVITE, or a made-up one.
            List<String> tags = bed.fromUa().stream()
                    .filter(s -> s.message() instanceof SipResponse r && r.toTag() != null
                            && r.topVia().branch().equals(invite.topVia().branch()))
                    .map(s -> s.message().toTag()).distinct().toList();
            String tag = tags.isEmpty() || c.percent(20) ? "wrong" + c.between(0, 1) : c.pick(tags);
            SipRequest.Builder b = SipRequest.builder(Method.ACK, invite.requestUri())
                    .via(c.bool() ? invite.topVia() : Via.of("MEM", "10.0.0.9", 5060, branch()))
                    .from(invite.from())
                    .to(invite.to().withTag(tag))
                    .callId(invite.callId())
                    .set(HeaderType.CSEQ, new CSeq(c.percent(85) ? invite.cseq().sequence() : 7, Method.ACK))
                    .maxForwards(70);
            send(b.build());
        }

        /** A response from the peer to a request the UA sent: right, or with a twist. */
        private void respondToUa() {
            List<SipRequest> sent = bed.fromUa().stream()
                    .filter(s -> s.message() instanceof SipRequest r && !r.method().equals(Method.ACK))
                    .map(s -> (SipRequest) s.message()).toList();
            if (sent.isEmpty()) {
                return;
            }
            SipRequest request = c.pick(sent);
            int code = c.pick(PEER_CODES);
            SipResponse.Builder b = SipResponse.builder(request, code);
            String tag = Choices.pickOf(c, null, "pt0", "pt1");
            if (tag != null) {
                b.toTag(tag);
            }
            if (code / 100 == 2 && request.method().equals(Method.INVITE)) {
                b.contact(Contact.of(PEER_URI.withParameter("transport", "mem")));
            }
            if (code == 407) {
                b.addHeader("Proxy-Authenticate", "Digest realm=\"peer\", nonce=\"n" + c.between(0, 9) + "\", qop=\"auth\"");
            }
            switch (c.between(0, 5)) {
                case 0 -> { // our Via, an unknown branch: matches nothing
                    b.removeFirst(HeaderType.VIA);
                    Via top = request.topVia();
                    b.addHeader("Via", Via.of(top.transport(), top.host(), top.port(), branch()).toString());
                }
                case 1 -> b.set(HeaderType.CSEQ, new CSeq(request.cseq().sequence(),
                        request.method().equals(Method.INVITE) ? Method.BYE : Method.INVITE));
                default -> { }
            }
            bed.peerSends(b.build());
        }

        private void uaRequest() {
            Method method = Choices.pickOf(c, Method.INVITE, Method.INVITE, Method.OPTIONS, Method.BYE, Method.MESSAGE);
            SipRequest.Builder b = bed.ua.client().newRequest(method, PEER_URI);
            if (c.percent(30)) {
                b.callId("call-" + c.between(0, 2));
            }
            ClientTransaction tx = bed.ua.client().request(b.build(), Destination.of("mem", PeerBed.PEER));
            bed.clientTransactions.add(tx);
            bed.settle();
        }

        private void uaCancelOrAck() throws IOException {
            List<ClientTransaction> invites = bed.clientTransactions.stream()
                    .filter(t -> t.request().method().equals(Method.INVITE)).toList();
            if (invites.isEmpty()) {
                return;
            }
            ClientTransaction tx = c.pick(invites);
            if (c.bool()) {
                tx.cancel();
            } else {
                // ACK a 2xx the peer sent to this INVITE (whether or not it was the final response).
                List<SipResponse> oks = bed.fromPeer().stream()
                        .filter(s -> s.message() instanceof SipResponse r && r.statusCode() / 100 == 2
                                && r.topVia().branch().equals(tx.request().topVia().branch())
                                && r.cseq().method().equals(Method.INVITE))
                        .map(s -> (SipResponse) s.message()).toList();
                if (oks.isEmpty()) {
                    return;
                }
                bed.ua.client().ack(tx.request(), c.pick(oks));
            }
            bed.settle();
        }

        private void handlerResponds() throws IOException {
            if (bed.handled.isEmpty()) {
                return;
            }
            PeerBed.Handled h = c.pick(bed.handled);
            try {
                h.tx().respond(c.pick(HANDLER_CODES));
            } catch (TransactionEndedException ended) {
                // documented: the transaction takes no more responses
            }
            bed.settle();
        }

        private void handlerFinishes() {
            List<PeerBed.Handled> running = bed.handled.stream().filter(PeerBed.Handled::running).toList();
            if (!running.isEmpty()) {
                bed.finish(c.pick(running), c.percent(40));
            }
        }
    }
}
