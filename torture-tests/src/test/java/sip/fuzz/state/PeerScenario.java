package sip.fuzz.state;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The steps of an adversarial-peer run on a {@link PeerBed} and the state they build up: the
 * peer's new requests, retransmissions, CANCELs, ACKs and responses to the UA's requests; the
 * UA's own requests, cancels and ACKs; handler answers, returns and failures; time. Each step
 * reads its choices from {@link Choices}. Subclasses add steps ({@link #extraSteps},
 * {@link #extraStep}).
 */
class PeerScenario {
    static final SipUri UA_URI = SipUri.of("ua", "10.0.0.2", 5060);
    static final SipUri PEER_URI = SipUri.of("peer", "10.0.0.9", 5060);
    static final List<Method> PEER_METHODS = List.of(Method.INVITE, Method.INVITE, Method.OPTIONS,
            Method.BYE, Method.MESSAGE, Method.INFO, Method.PRACK, Method.UPDATE, Method.REGISTER);
    static final List<Integer> PEER_CODES = List.of(100, 180, 183, 200, 202, 301, 404, 407, 486, 487,
            491, 500, 503, 600, 603);
    static final List<Integer> HANDLER_CODES = List.of(100, 180, 183, 200, 202, 302, 404, 486, 500, 603);

    protected final Choices c;
    protected final PeerBed bed;
    protected final List<SipRequest> peerRequests = new ArrayList<>();
    private int branches;

    PeerScenario(Choices c, PeerBed bed) {
        this.c = c;
        this.bed = bed;
    }

    /** How many step kinds {@link #extraStep} knows. */
    protected int extraSteps() {
        return 0;
    }

    /** Step {@code kind} of the subclass, {@code 0 <= kind < extraSteps()}. */
    protected void extraStep(int kind) throws IOException {
        throw new AssertionError("no extra step " + kind);
    }

    void step() throws IOException {
        int kind = c.between(0, 11 + extraSteps());
        if (kind > 11) {
            extraStep(kind - 12);
            return;
        }
        switch (kind) {
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

    protected String branch() {
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

    protected void send(SipRequest r) {
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
        if (code > 100 && code < 200 && tag != null && request.method().equals(Method.INVITE) && c.percent(30)) {
            // a reliable provisional response (RFC 3262), which a dialog PRACKs
            b.addHeader("Require", "100rel").addHeader("RSeq", Integer.toString(c.between(1, 3)));
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
