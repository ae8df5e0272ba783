package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import sip.message.CSeq;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.transport.spi.Flow;

class ClientImplTest {

    /** Records what the client sends; answers every request with {@code answer}. */
    private static final class RecordingOutbound implements Outbound {
        final List<SipRequest> requests = new CopyOnWriteArrayList<>();
        final List<Destination> destinations = new CopyOnWriteArrayList<>();
        final List<SipMessage> stateless = new CopyOnWriteArrayList<>();
        int answer = 200;

        @Override
        public ClientTransaction sendRequest(SipRequest request, Destination explicit) {
            requests.add(request);
            destinations.add(explicit);
            return new DoneTransaction(request, SipResponse.forRequest(request, answer));
        }

        @Override
        public SipMessage sendStateless(SipMessage message) {
            stateless.add(message);
            return message;
        }
    }

    private record DoneTransaction(SipRequest request, SipResponse last) implements ClientTransaction {
        @Override
        public Optional<Flow> flow() {
            return Optional.empty();
        }

        @Override
        public TransactionState state() {
            return TransactionState.TERMINATED;
        }

        @Override
        public CompletableFuture<SipResponse> response() {
            return CompletableFuture.completedFuture(last);
        }

        @Override
        public List<SipResponse> provisionalResponses() {
            return List.of();
        }

        @Override
        public void onResponse(Consumer<SipResponse> listener) {
            listener.accept(last);
        }

        @Override
        public void cancel() {
        }

        @Override
        public Optional<TransactionFailure> failure() {
            return Optional.empty();
        }
    }

    private static SipRequest withVia(SipRequest r) {
        return r.toBuilder().via(sip.message.Via.of("UDP", "192.0.2.1", 5060, "z9hG4bK-1")).build();
    }

    private static final NameAddress ALICE = NameAddress.of("Alice", SipUri.parse("sip:alice@example.com"));
    private static final SipUri BOB = SipUri.parse("sip:bob@127.0.0.1:5070");

    private final RecordingOutbound out = new RecordingOutbound();
    private final ClientImpl client = new ClientImpl("parley-test", () -> ALICE, () -> "192.0.2.1", out);

    @Test
    void newRequestFillsEveryMandatoryHeader() {
        SipRequest r = client.newRequest(Method.OPTIONS, BOB).build();
        assertEquals(Method.OPTIONS, r.method());
        assertEquals(BOB, r.requestUri());
        assertEquals(ALICE.uri(), r.from().uri());
        assertEquals("Alice", r.from().displayName());
        assertTrue(r.fromTag().length() >= 8, "at least 32 random bits: " + r.fromTag());
        assertEquals(BOB, r.to().uri());
        assertNull(r.toTag());
        assertEquals(new CSeq(1, Method.OPTIONS), r.cseq());
        assertEquals(70, r.maxForwards().orElseThrow());
        assertTrue(r.callId().endsWith("@192.0.2.1"), r.callId());
        assertTrue(r.callId().indexOf('@') >= 16, "at least 96 random bits: " + r.callId());
        assertTrue(r.contacts().isEmpty(), "OPTIONS does not create a dialog");
        assertEquals(Optional.empty(), withVia(r).validate(), "valid once the transport adds its Via");
    }

    @Test
    void newRequestsGetFreshTagsAndCallIds() {
        SipRequest a = client.newRequest(Method.OPTIONS, BOB).build();
        SipRequest b = client.newRequest(Method.OPTIONS, BOB).build();
        assertNotEquals(a.fromTag(), b.fromTag());
        assertNotEquals(a.callId(), b.callId());
    }

    @Test
    void inviteGetsItsContactAtSendTimeNotFromNewRequest() {
        // The transport layer adds it from the Via sent-by (ContactTest): unknown before routing.
        SipRequest r = client.newRequest(Method.INVITE, BOB).build();
        assertTrue(r.contacts().isEmpty());
        assertTrue(r.callId().endsWith("@192.0.2.1"), r.callId());
    }

    @Test
    void requestAddsWhatIsMissingAndPassesTheDestination() {
        SipRequest bare = SipRequest.builder(Method.MESSAGE, BOB)
                .from(NameAddress.of(SipUri.parse("sip:carol@example.com")))
                .to(NameAddress.of(BOB)).callId("c1").cseq(5).build()
                .toBuilder().removeHeader(StandardHeader.MAX_FORWARDS).build();
        assertFalse(bare.hasHeader(StandardHeader.MAX_FORWARDS));
        Destination d = Destination.of("tcp", new java.net.InetSocketAddress("127.0.0.1", 5070));
        ClientTransaction tx = client.request(bare, d);
        SipRequest sent = out.requests.getFirst();
        assertSame(sent, tx.request());
        assertSame(d, out.destinations.getFirst());
        assertTrue(sent.fromTag() != null && !sent.fromTag().isEmpty());
        assertEquals(70, sent.maxForwards().orElseThrow());
        assertEquals("parley-test", sent.header(StandardHeader.USER_AGENT).orElseThrow());
        assertEquals("c1", sent.callId());
        assertEquals(new CSeq(5, Method.MESSAGE), sent.cseq());
    }

    @Test
    void requestKeepsWhatIsThere() {
        SipRequest full = client.newRequest(Method.OPTIONS, BOB).build();
        client.request(full);
        assertSame(full, out.requests.getFirst(), "nothing to add: not rebuilt");
        SipRequest r = client.newRequest(Method.OPTIONS, BOB).maxForwards(3)
                .setHeader(StandardHeader.USER_AGENT, "mine").build();
        client.request(r);
        SipRequest sent = out.requests.get(1);
        assertEquals(r.fromTag(), sent.fromTag());
        assertEquals(3, sent.maxForwards().orElseThrow());
        assertEquals("mine", sent.header(StandardHeader.USER_AGENT).orElseThrow());
        assertNull(out.destinations.get(1), "located, not explicit");
    }

    @Test
    void ackAndCancelAreRefusedWithDirections() {
        SipRequest ack = client.newRequest(Method.ACK, BOB).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.request(ack));
        assertTrue(e.getMessage().contains("ack("), e.getMessage());
        SipRequest cancel = client.newRequest(Method.CANCEL, BOB).build();
        e = assertThrows(IllegalArgumentException.class, () -> client.request(cancel));
        assertTrue(e.getMessage().contains("cancel()"), e.getMessage());
        assertTrue(out.requests.isEmpty());
    }

    @Test
    void sendWaitsForTheFinalResponse() throws Exception {
        out.answer = 404;
        SipResponse r = client.send(client.newRequest(Method.OPTIONS, BOB).build());
        assertEquals(404, r.statusCode());
    }

    @Test
    void ackFollowsRfc3261Section13224() throws Exception {
        SipRequest invite = client.newRequest(Method.INVITE, BOB).cseq(7)
                .addHeader(StandardHeader.PROXY_AUTHORIZATION, "Digest username=\"alice\", realm=\"x\"")
                .body(sip.message.ContentType.APPLICATION_SDP, "v=0\r\n".getBytes()).build();
        SipResponse ok = SipResponse.builder(invite, 200).toTag("bobtag")
                .add(HeaderType.RECORD_ROUTE, NameAddress.of(SipUri.parse("sip:p1.example.com;lr")))
                .add(HeaderType.RECORD_ROUTE, NameAddress.of(SipUri.parse("sip:p2.example.com;lr")))
                .contact(sip.message.Contact.of(SipUri.parse("sip:bob@192.0.2.9:5080;transport=tcp")))
                .body(sip.message.ContentType.APPLICATION_SDP, "v=0\r\n".getBytes()).build();
        SipRequest ack = client.ack(invite, ok);
        assertEquals(List.of(ack), out.stateless, "sent statelessly, once");
        assertTrue(out.requests.isEmpty(), "not in a transaction");
        assertEquals(Method.ACK, ack.method());
        assertEquals(SipUri.parse("sip:bob@192.0.2.9:5080;transport=tcp"), ack.requestUri());
        assertEquals(List.of("sip:p2.example.com;lr", "sip:p1.example.com;lr"),
                ack.all(HeaderType.ROUTE).stream().map(r -> r.uri().toString()).toList());
        assertEquals(invite.callId(), ack.callId());
        assertEquals(invite.from(), ack.from());
        assertEquals("bobtag", ack.toTag());
        assertEquals(new CSeq(7, Method.ACK), ack.cseq());
        assertEquals(70, ack.maxForwards().orElseThrow());
        assertEquals(0, ack.bodyLength());
        assertFalse(ack.hasHeader(StandardHeader.CONTENT_TYPE));
        assertEquals(invite.header(StandardHeader.PROXY_AUTHORIZATION), ack.header(StandardHeader.PROXY_AUTHORIZATION));
        assertEquals(Optional.empty(), withVia(ack).validate());
    }

    @Test
    void ackForIsUnsentAndCarriesALateOfferAnswer() throws Exception {
        SipRequest invite = client.newRequest(Method.INVITE, BOB).build();
        SipResponse ok = SipResponse.builder(invite, 200).toTag("bobtag")
                .body(sip.message.ContentType.APPLICATION_SDP, "v=0\r\n".getBytes()).build();
        SipRequest ack = client.ackFor(invite, ok)
                .body(sip.message.ContentType.APPLICATION_SDP, "v=0 answer\r\n".getBytes()).build();
        assertTrue(out.stateless.isEmpty(), "ackFor sends nothing");
        assertEquals(Method.ACK, ack.method());
        assertEquals("bobtag", ack.toTag());
        client.sendStateless(ack);
        assertEquals(List.of(ack), out.stateless);
        assertEquals(client.ackFor(invite, ok).build().toString(), client.ack(invite, ok).toString(),
                "ack() sends what ackFor() builds");
    }

    @Test
    void ackThroughAStrictRouterPutsItInTheRequestUri() throws Exception {
        SipRequest invite = client.newRequest(Method.INVITE, BOB).build();
        SipResponse ok = SipResponse.builder(invite, 200).toTag("t")
                .add(HeaderType.RECORD_ROUTE, NameAddress.of(SipUri.parse("sip:strict.example.com")))
                .contact(sip.message.Contact.of(SipUri.parse("sip:bob@192.0.2.9"))).build();
        SipRequest ack = client.ack(invite, ok);
        assertEquals(SipUri.parse("sip:strict.example.com"), ack.requestUri());
        assertEquals(List.of(SipUri.parse("sip:bob@192.0.2.9")),
                ack.all(HeaderType.ROUTE).stream().map(NameAddress::uri).toList());
    }

    @Test
    void ackWithoutContactGoesToTheInviteRequestUri() throws Exception {
        SipRequest invite = client.newRequest(Method.INVITE, BOB).build();
        SipResponse ok = SipResponse.builder(invite, 200).toTag("t").build();
        assertEquals(BOB, client.ack(invite, ok).requestUri());
        assertTrue(client.ack(invite, ok).all(HeaderType.ROUTE).isEmpty());
    }

    @Test
    void ackRefusesWhatIsNotA2xxToThisInvite() {
        SipRequest invite = client.newRequest(Method.INVITE, BOB).build();
        SipRequest other = client.newRequest(Method.INVITE, BOB).build();
        SipRequest options = client.newRequest(Method.OPTIONS, BOB).build();
        assertThrows(IllegalArgumentException.class, () -> client.ack(invite, SipResponse.forRequest(invite, 486)));
        assertThrows(IllegalArgumentException.class, () -> client.ack(invite, SipResponse.forRequest(other, 200)));
        assertThrows(IllegalArgumentException.class, () -> client.ack(options, SipResponse.forRequest(options, 200)));
        assertTrue(out.stateless.isEmpty());
    }

    @Test
    void sendStatelessPassesThrough() throws Exception {
        SipRequest r = client.newRequest(Method.OPTIONS, BOB).build();
        client.sendStateless(r);
        assertEquals(List.of(r), out.stateless);
    }
}
