package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.ServerLocator;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;

/** What the layer does with what arrives: requests, responses, malformed input, closed flows. */
class InboundTest {

    private static final String REQUEST = """
            OPTIONS sip:bob@10.0.0.1 SIP/2.0
            Via: %s
            From: <sip:alice@example.com>;tag=1
            To: <sip:bob@example.com>
            Call-ID: inbound@test
            CSeq: 1 OPTIONS
            Max-Forwards: 70
            Content-Length: 0

            """;

    @Test
    void aRequestFromItsSentByGoesToTheSinkUnchanged() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            String text = REQUEST.formatted("SIP/2.0/MEM 10.0.0.2:5060;branch=z9hG4bKsame");
            rig.peerSends(LoopbackRig.PEER, text);
            RecordingSink.Received<SipRequest> got = rig.sink.requests.remove();
            assertArrayEquals(Fixtures.wire(text), got.message().toBytes());
            assertEquals(LoopbackRig.PEER, got.connection().remoteAddress());
            assertEquals(LoopbackRig.LOCAL, got.connection().localAddress());
        }
    }

    @Test
    void rportIsFilledWithTheSourcePortAndReceivedAdded() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peerSends(LoopbackRig.PEER, REQUEST.formatted("SIP/2.0/MEM 10.0.0.2:5070;branch=z9hG4bKr;rport"));
            Via top = rig.sink.requests.remove().message().topVia();
            assertEquals("10.0.0.2", top.received());
            assertEquals(5060, top.rport().getAsInt());
            assertEquals(5070, top.port());
        }
    }

    @Test
    void aSentByHostOtherThanTheSourceGetsReceived() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peerSends(LoopbackRig.PEER, REQUEST.formatted("SIP/2.0/MEM pc33.example.com;branch=z9hG4bKname"));
            Via top = rig.sink.requests.remove().message().topVia();
            assertEquals("10.0.0.2", top.received());
            assertFalse(top.hasRport());
        }
    }

    @Test
    void aResponseToOurRequestGoesToTheSink() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options("sip:bob@10.0.0.2;transport=mem"), null);
            rig.layer.send(out);
            SipRequest atPeer = (SipRequest) rig.peerGotOne().message();
            rig.peerSends(LoopbackRig.PEER, SipResponse.forRequest(atPeer, 200).toString());
            RecordingSink.Received<SipResponse> got = rig.sink.responses.remove();
            assertEquals(out.request().topVia().branch(), got.message().topVia().branch());
            assertEquals(0, rig.counters.strayResponses.sum());
        }
    }

    @Test
    void aResponseWhoseTopViaIsNotOursIsDroppedAndCounted() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peerSends(LoopbackRig.PEER, """
                    SIP/2.0 200 OK
                    Via: SIP/2.0/MEM 10.0.0.9:5060;branch=z9hG4bKnotours
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>;tag=2
                    Call-ID: stray@test
                    CSeq: 1 OPTIONS
                    Content-Length: 0

                    """);
            assertTrue(rig.sink.responses.isEmpty());
            assertEquals(1, rig.counters.strayResponses.sum());
        }
    }

    /** RFC 4475 §3.1.2.3 bcast: a broadcast sent-by is never ours, and nothing is sent anywhere. */
    @Test
    void aBroadcastViaNeverCausesASend() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options("sip:bob@10.0.0.2;transport=mem"), null);
            String ours = out.request().topVia().toString();
            String bcast = """
                    SIP/2.0 200 OK
                    Via: %s
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>;tag=2
                    Call-ID: bcast@test
                    CSeq: 1 OPTIONS
                    Content-Length: 0

                    """;
            long sentBefore = rig.network.stats().sent();
            rig.peerSends(LoopbackRig.PEER, bcast.formatted("SIP/2.0/MEM 255.255.255.255;branch=z9hG4bK1saber23"));
            assertEquals(1, rig.counters.strayResponses.sum());
            rig.peerSends(LoopbackRig.PEER, bcast.formatted(ours + ", SIP/2.0/MEM 255.255.255.255;branch=z9hG4bK1saber23"));
            assertEquals(1, rig.sink.responses.size(), "our top Via: the response is ours to match");
            rig.network.deliverAll();
            assertEquals(sentBefore + 2, rig.network.stats().sent(), "only the peer's two sends");
            assertTrue(rig.peerReceived.isEmpty());
        }
    }

    @Test
    void aMalformedRequestIsAnsweredStatelesslyWithTheReasonInTheStatusLine() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peerSends(LoopbackRig.PEER, """
                    OPTIONS sip:bob@10.0.0.1 SIP/2.0
                    Via: SIP/2.0/MEM 10.0.0.2:5070;branch=z9hG4bKbad;rport
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>
                    Call-ID: malformed@test
                    CSeq: 1 OPTIONS
                    Max-Forwards: many
                    Content-Length: 0

                    """);
            assertTrue(rig.sink.requests.isEmpty());
            LoopbackRig.Arrival answer = rig.peerGotOne();
            SipResponse response = (SipResponse) answer.message();
            assertEquals(400, response.statusCode());
            String reason = response.status().reason();
            assertTrue(reason.startsWith("Bad Request ("), reason);
            assertTrue(reason.endsWith(")") && reason.length() <= 100, reason);
            assertEquals("malformed@test", response.callId());
            assertEquals(LoopbackRig.PEER, answer.connection().localAddress(), "to received and rport");
            assertEquals("10.0.0.2", response.topVia().received());
            assertEquals(5060, response.topVia().rport().getAsInt());
            assertEquals(1, rig.counters.statelessResponses.sum());
            assertEquals(0, rig.counters.malformedDropped.sum());
        }
    }

    @Test
    void unanswerableMalformedInputIsDroppedAndCountedAndARequestMissingCallIdStillGetsA400() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.acceptMalformed = true;
            rig.peerSends(LoopbackRig.PEER, """
                    SIP/2.0 200 OK
                    Via: SIP/2.0/MEM 10.0.0.1:5060;branch=z9hG4bKx
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>;tag=2
                    Call-ID: response@test
                    CSeq: one OPTIONS
                    Content-Length: 0

                    """);
            rig.peerSends(LoopbackRig.PEER, """
                    OPTIONS sip:bob@10.0.0.1 SIP/2.0
                    Via: SIP/2.0/MEM 10.0.0.2:5060;branch=z9hG4bKnocallid
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>
                    CSeq: 1 OPTIONS
                    Max-Forwards: 70
                    Content-Length: 0

                    """);
            rig.peerSends(LoopbackRig.PEER, """
                    ACK sip:bob@10.0.0.1 SIP/2.0
                    Via: SIP/2.0/MEM 10.0.0.2:5060;branch=z9hG4bKack
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>;tag=2
                    Call-ID: ack@test
                    CSeq: 1 ACK
                    Max-Forwards: many
                    Content-Length: 0

                    """);
            rig.network.deliverAll();
            // the response and the ACK are never answered; the request without Call-ID gets a
            // 400 naming it (RFC 4475 insuf), itself without Call-ID, as it could not be copied
            assertTrue(rig.peerReceived.isEmpty(), "nothing well-formed came back: " + rig.peerReceived);
            assertEquals(1, rig.peerMalformed.size());
            SipMessage answer = rig.peerMalformed.getFirst().partial().orElseThrow();
            assertTrue(answer.toString().startsWith("SIP/2.0 400 Bad Request (missing mandatory header field(s): Call-ID)\r\n"),
                    answer.toString());
            assertEquals("z9hG4bKnocallid", answer.topVia().branch());
            assertTrue(rig.sink.requests.isEmpty() && rig.sink.responses.isEmpty());
            assertEquals(2, rig.counters.malformedDropped.sum());
            assertEquals(1, rig.counters.statelessResponses.sum());
        }
    }

    @Test
    void aClosedConnectionIsToldAsAClosedFlow() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
            c.send(Fixtures.wire(REQUEST.formatted("SIP/2.0/MEM-STREAM 10.0.0.2:5060;branch=z9hG4bKs")));
            rig.network.deliverAll();
            Flow inbound = rig.sink.requests.remove().connection().flow();
            c.close();
            rig.network.deliverAll();
            assertEquals(java.util.List.of(inbound), rig.sink.closedFlows);
        }
    }

    @Test
    void aFailedConnectIsNotToldAsAClosedFlowItThrowsFromPrepareInstead() {
        try (LoopbackRig rig = new LoopbackRig()) {
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> rig.layer.prepare(Fixtures.options("sip:x@10.0.0.5;transport=mem-stream"), null));
            rig.network.deliverAll();
            assertTrue(rig.sink.closedFlows.isEmpty(), "a wildcard-local flow matches no transaction: " + rig.sink.closedFlows);
        }
    }

    @Test
    void aBadViaThatOnlyShowsUnderLazyValidationIsNeverPassedOnAndTheRequestIsAnsweredToItsSource() throws IOException {
        SipParser lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
        try (LoopbackRig rig = new LoopbackRig(null, ServerLocator.jdk(), true, lazy)) {
            rig.peerSends(LoopbackRig.PEER, REQUEST.formatted("SIP/2.0/MEM 10.0.0.2:99999999;branch=z9hG4bKbad"));
            rig.peerSends(LoopbackRig.PEER, """
                    SIP/2.0 200 OK
                    Via: SIP/2.0/MEM 10.0.0.1:99999999;branch=z9hG4bKbad
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>;tag=2
                    Call-ID: lazy@test
                    CSeq: 1 OPTIONS
                    Content-Length: 0

                    """);
            assertTrue(rig.sink.requests.isEmpty() && rig.sink.responses.isEmpty());
            // the request's Via cannot route the 400 (§18.2.2), so it goes back to the source
            // (RFC 4475 badinv01); the response is dropped
            LoopbackRig.Arrival back = rig.peerGotOne();
            assertEquals(400, ((SipResponse) back.message()).statusCode());
            assertEquals(LoopbackRig.PEER, back.connection().localAddress());
            assertEquals(1, rig.counters.malformedDropped.sum());
            assertEquals(1, rig.counters.statelessResponses.sum());
        }
    }
}
