package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;

/** {@link TransportLayer#sendResponse}: every case of RFC 3261 §18.2.2 and RFC 3581 §4. */
class ResponseRoutingTest {

    private static final String REQUEST = """
            OPTIONS sip:bob@10.0.0.1 SIP/2.0
            Via: %s
            From: <sip:alice@example.com>;tag=1
            To: <sip:bob@example.com>
            Call-ID: routing@test
            CSeq: 1 OPTIONS
            Max-Forwards: 70
            Content-Length: 0

            """;

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    /** The peer sends a request with {@code via} from {@code from}; the layer's view of it. */
    private static RecordingSink.Received<SipRequest> arrive(LoopbackRig rig, InetSocketAddress from, String via)
            throws IOException {
        rig.peerSends(from, REQUEST.formatted(via));
        return rig.sink.requests.remove();
    }

    private static SipResponse answer(RecordingSink.Received<SipRequest> request) {
        return SipResponse.forRequest(request.message(), 200);
    }

    @Test
    void receivedAndRportSendBackToTheSourceAddressAndPort() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            var request = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 10.0.0.3:5070;branch=z9hG4bK1;rport");
            OutboundResponse out = rig.layer.sendResponse(answer(request), request.connection());
            LoopbackRig.Arrival got = rig.peerGotOne();
            assertEquals(LoopbackRig.PEER, got.connection().localAddress());
            assertEquals(LoopbackRig.LOCAL, got.connection().remoteAddress(), "out of the listening socket");
            assertArrayEquals(out.bytes(), got.message().toBytes());
        }
    }

    @Test
    void aForgedReceivedAndRportNeverRedirectTheResponse() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peer.listen(at("10.9.8.7", 6666)); // the victim: would get the response if the Via were believed
            var request = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 10.0.0.2:5060;branch=z9hG4bKf;received=10.9.8.7;rport=6666");
            OutboundResponse out = rig.layer.sendResponse(answer(request), request.connection());
            assertEquals(LoopbackRig.PEER, rig.peerGotOne().connection().localAddress());
            rig.layer.resend(out);
            assertEquals(LoopbackRig.PEER, rig.peerGotOne().connection().localAddress(), "the retransmission too");
        }
    }

    @Test
    void receivedWithoutRportSendsToTheSourceAddressAtTheSentByPort() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peer.listen(at("10.0.0.2", 5070));
            var request = arrive(rig, at("10.0.0.2", 5080), "SIP/2.0/MEM 10.0.0.3:5070;branch=z9hG4bK2");
            assertEquals("10.0.0.2", request.message().topVia().received());
            rig.layer.sendResponse(answer(request), request.connection());
            assertEquals(at("10.0.0.2", 5070), rig.peerGotOne().connection().localAddress());
        }
    }

    @Test
    void maddrWinsOverReceived() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peer.listen(at("10.0.0.4", 5070));
            var request = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 10.0.0.3:5070;branch=z9hG4bK3;maddr=10.0.0.4");
            rig.layer.sendResponse(answer(request), request.connection());
            assertEquals(at("10.0.0.4", 5070), rig.peerGotOne().connection().localAddress());
        }
    }

    @Test
    void withoutReceivedTheSentByHostAndPortAreUsedThePortDefaulting() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.peer.listen(at("10.0.0.3", 5070));
            rig.peer.listen(at("10.0.0.3", 5060));
            SipResponse toSentBy = (SipResponse) Fixtures.parse(response("SIP/2.0/MEM 10.0.0.3:5070;branch=z9hG4bK4"));
            rig.layer.sendResponse(toSentBy, null);
            assertEquals(at("10.0.0.3", 5070), rig.peerGotOne().connection().localAddress());
            SipResponse noPort = (SipResponse) Fixtures.parse(response("SIP/2.0/MEM 10.0.0.3;branch=z9hG4bK5"));
            rig.layer.sendStateless(noPort, null);
            assertEquals(at("10.0.0.3", 5060), rig.peerGotOne().connection().localAddress());
        }
    }

    @Test
    void multicastAndBroadcastFromAViaAreNeverSentTo() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            var multicast = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 10.0.0.3:5070;branch=z9hG4bK6;maddr=239.255.255.1;ttl=1");
            long sent = rig.network.stats().sent();
            IOException e = assertThrows(IOException.class, () -> rig.layer.sendResponse(answer(multicast), multicast.connection()));
            assertTrue(e.getMessage().contains("239.255.255.1"), e.getMessage());
            for (String via : new String[] {"SIP/2.0/MEM 255.255.255.255:5060;branch=z9hG4bK7",
                    "SIP/2.0/MEM 10.0.0.3;branch=z9hG4bK8;received=255.255.255.255",
                    "SIP/2.0/MEM 224.0.0.75;branch=z9hG4bK9", "SIP/2.0/MEM 0.0.0.0;branch=z9hG4bK10"}) {
                SipResponse r = (SipResponse) Fixtures.parse(response(via));
                assertThrows(IOException.class, () -> rig.layer.sendResponse(r, null), via);
            }
            rig.network.deliverAll();
            assertEquals(sent, rig.network.stats().sent(), "nothing left the layer");
            assertEquals(5, rig.counters.transportErrors.sum());
        }
    }

    /** A datagram "from" {@code source}: what a forged source address looks like to the layer. */
    private static final class ForgedSource implements Connection {
        private final sip.transport.spi.Flow flow;
        int sends;

        ForgedSource(InetSocketAddress source) {
            flow = new sip.transport.spi.Flow("udp", LoopbackRig.LOCAL, source);
        }

        @Override
        public sip.transport.spi.Flow flow() {
            return flow;
        }

        @Override
        public sip.transport.spi.Protocol protocol() {
            return sip.transport.spi.Protocol.UDP;
        }

        @Override
        public boolean inbound() {
            return true;
        }

        @Override
        public void send(java.nio.ByteBuffer message) {
            sends++;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aMulticastOrBroadcastSourceIsNeverAnsweredThroughRportOrToTheSource() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            ForgedSource multicast = new ForgedSource(at("239.255.255.1", 5060));
            SipResponse viaRport = (SipResponse) Fixtures.parse(
                    response("SIP/2.0/UDP 10.0.0.3:5070;branch=z9hG4bKr;rport=5060;received=239.255.255.1"));
            IOException e = assertThrows(IOException.class, () -> rig.layer.sendResponse(viaRport, multicast));
            assertTrue(e.getMessage().contains("239.255.255.1"), e.getMessage());
            ForgedSource broadcast = new ForgedSource(at("255.255.255.255", 5060));
            // An unreadable top Via (RFC 4475 badinv01) is answered to the source: not this one.
            SipResponse unroutable = (SipResponse) ((sip.message.ParseResult.Parsed) sip.message.SipParser.newBuilder()
                    .validation(sip.message.SipParser.Validation.LAZY).build()
                    .parse(Fixtures.wire(response("SIP/2.0/UDP 10.0.0.3:5070;;,;,,")))).message();
            assertThrows(IOException.class, () -> rig.layer.sendResponse(unroutable, broadcast));
            assertEquals(0, multicast.sends + broadcast.sends, "nothing sent");
            assertEquals(2, rig.counters.transportErrors.sum());
        }
    }

    @Test
    void aViaNamingAHostIsRefusedNeverLookedUp() throws IOException {
        // "localhost" resolves without a network, so only a refusal keeps this from sending.
        try (LoopbackRig rig = new LoopbackRig()) {
            var named = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 10.0.0.3:5070;branch=z9hG4bKm;maddr=localhost");
            long sent = rig.network.stats().sent();
            IOException e = assertThrows(IOException.class, () -> rig.layer.sendResponse(answer(named), named.connection()));
            assertTrue(e.getMessage().contains("localhost"), e.getMessage());
            SipResponse noReceived = (SipResponse) Fixtures.parse(response("SIP/2.0/MEM-STREAM localhost:5060;branch=z9hG4bKn"));
            assertThrows(IOException.class, () -> rig.layer.sendResponse(noReceived, null));
            rig.network.deliverAll();
            assertEquals(sent, rig.network.stats().sent(), "nothing left the layer");
            assertEquals(2, rig.counters.transportErrors.sum());
        }
    }

    @Test
    void aDatagramResponseWithRportGoesStraightBackOnTheArrivalFlow() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            var request = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 192.0.2.50:5070;branch=z9hG4bKa1;rport");
            OutboundResponse out = rig.layer.sendResponse(answer(request), request.connection());
            assertSame(request.connection(), LoggedConnection.unwrap(out.connection()));
            assertEquals(LoopbackRig.PEER, rig.peerGotOne().connection().localAddress());
        }
    }

    @Test
    void aTlsReconnectChecksTheSentByNameButNotAnAddress() {
        assertEquals("client.example.com", ResponseRoute.serverName(sip.message.Via.of("TLS", "client.example.com", 5061, "z9hG4bKt")));
        assertEquals(null, ResponseRoute.serverName(sip.message.Via.of("TLS", "192.0.2.1", 5061, "z9hG4bKt")));
        assertEquals(null, ResponseRoute.serverName(sip.message.Via.of("TLS", "[2001:db8::1]", 5061, "z9hG4bKt")));
    }

    @Test
    void overAReliableTransportTheResponseGoesBackOnTheOpenConnection() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
            c.send(Fixtures.wire(REQUEST.formatted("SIP/2.0/MEM-STREAM 10.0.0.3:5070;branch=z9hG4bK11")));
            rig.network.deliverAll();
            var request = rig.sink.requests.remove();
            OutboundResponse out = rig.layer.sendResponse(answer(request), request.connection());
            assertSame(request.connection(), LoggedConnection.unwrap(out.connection()));
            assertEquals(request.connection().flow(), out.connection().flow());
            assertEquals(c.localAddress(), rig.peerGotOne().connection().localAddress());
        }
    }

    @Test
    void overAReliableTransportWhoseConnectionClosedANewOneGoesToReceivedAndTheSentByPort() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
            c.send(Fixtures.wire(REQUEST.formatted("SIP/2.0/MEM-STREAM client.example.com:5060;branch=z9hG4bK12")));
            rig.network.deliverAll();
            var request = rig.sink.requests.remove();
            c.close();
            rig.network.deliverAll();
            assertFalse(request.connection().isOpen());
            OutboundResponse out = rig.layer.sendResponse(answer(request), request.connection());
            assertEquals(LoopbackRig.PEER, out.connection().remoteAddress());
            LoopbackRig.Arrival got = rig.peerGotOne();
            assertTrue(got.connection().inbound());
            assertEquals(LoopbackRig.PEER, got.connection().localAddress());
        }
    }

    @Test
    void aRetransmissionSendsTheSameBytesTheSameWay() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            var request = arrive(rig, LoopbackRig.PEER, "SIP/2.0/MEM 10.0.0.2:5060;branch=z9hG4bK13;rport");
            OutboundResponse out = rig.layer.sendResponse(answer(request), request.connection());
            byte[] first = rig.peerGotOne().message().toBytes();
            rig.layer.resend(out);
            assertArrayEquals(first, rig.peerGotOne().message().toBytes());
        }
    }

    @Test
    void aSendThatFailsIsCountedAndRethrown() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
            c.send(Fixtures.wire(REQUEST.formatted("SIP/2.0/MEM-STREAM 10.0.0.2:5099;branch=z9hG4bK14")));
            rig.network.deliverAll();
            var request = rig.sink.requests.remove();
            c.close();
            rig.network.deliverAll();
            assertThrows(IOException.class, () -> rig.layer.sendResponse(answer(request), request.connection()));
            assertEquals(1, rig.counters.transportErrors.sum());
        }
    }

    @Test
    void aStatelessRequestIsStampedAndSent() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipRequest sent = (SipRequest) rig.layer.sendStateless(Fixtures.options("sip:bob@10.0.0.2;transport=mem"), null);
            SipRequest got = (SipRequest) rig.peerGotOne().message();
            assertEquals("10.0.0.1", got.topVia().host());
            assertTrue(got.topVia().hasRfc3261Branch());
            assertEquals(got.topVia(), sent.topVia(), "what was sent, Via and all: an ACK's caller needs it");
            assertArrayEquals(got.toBytes(), sent.toBytes());
        }
    }

    private static String response(String via) {
        return """
                SIP/2.0 200 OK
                Via: %s
                From: <sip:alice@example.com>;tag=1
                To: <sip:bob@example.com>;tag=2
                Call-ID: routing@test
                CSeq: 1 OPTIONS
                Content-Length: 0

                """.formatted(via);
    }
}
