package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportStats;
import sip.transport.ws.WebSocketConfig;
import sip.transport.ws.WebSocketHandshakeException;

/** Two Parley transports talking SIP over WS and WSS: a client and a server role each. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsExchangeTest extends WsTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"ws", "wss"})
    void aRequestAndItsResponseCrossBothWays(String protocol) throws Exception {
        Events serverEvents = Events.answering();
        Transport server = open(protocol, serverEvents);
        InetSocketAddress at = listen(server);
        Events clientEvents = Events.recording();
        Transport client = open(protocol, clientEvents);

        Connection c = client.connect(at, protocol.equals("wss") ? "sip.test" : null);
        c.send(optionsBytes("x1"));
        Events.Received request = serverEvents.message();
        assertEquals("x1", ((SipRequest) request.message()).callId());
        Events.Received response = clientEvents.message();
        assertEquals(200, ((SipResponse) response.message()).status().code());

        // What a Flow and a Via need: the protocol names and both ends' addresses, as seen by each side.
        Connection accepted = request.connection();
        assertEquals(protocol, c.protocol().name());
        assertEquals(protocol, c.flow().protocol());
        assertEquals(protocol, accepted.flow().protocol());
        assertTrue(accepted.inbound());
        assertFalse(c.inbound());
        assertEquals(at, c.remoteAddress());
        assertEquals(c.localAddress(), accepted.remoteAddress());
        assertEquals(c.remoteAddress(), accepted.localAddress());
        assertSame(c, response.connection());
        assertEquals(protocol.equals("wss"), c.tlsSession().isPresent());
        assertEquals(protocol.equals("wss"), accepted.tlsSession().isPresent());
        assertSame(accepted, server.find(accepted.flow()).orElseThrow());

        // The server side sends too: a request down the accepted connection.
        accepted.send(optionsBytes("x2"));
        assertEquals("x2", ((SipRequest) clientEvents.message().message()).callId());
        TransportStats s = server.stats();
        assertEquals(1, s.accepted());
        assertEquals(1, s.messagesIn());
        assertEquals(2, s.messagesOut()); // the 200 and x2
        assertEquals(2, client.stats().messagesIn());

        c.close();
        assertEquals(CloseReason.LOCAL, clientEvents.closed(c).reason());
        assertEquals(CloseReason.PEER, serverEvents.closed(accepted).reason()); // our 1000 close frame, answered
        eventually(() -> server.stats().connections() == 0 && client.stats().connections() == 0, "counts back to zero");
        assertEquals(1, server.stats().sockets()); // its listener
        assertEquals(0, client.stats().sockets());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "wss"})
    void connectReusesTheOpenConnection(String protocol) throws Exception {
        Transport server = open(protocol, Events.answering());
        InetSocketAddress at = listen(server);
        Transport client = open(protocol, Events.recording());
        String name = protocol.equals("wss") ? "sip.test" : null;
        Connection first = client.connect(at, name);
        assertSame(first, client.connect(at, name));
        first.close();
        Connection second = client.connect(at, name);
        assertTrue(second != first && second.isOpen());
        assertEquals(2, client.stats().connected());
    }

    @Test
    void aMessageInADirectBufferGoesOutUnchanged() throws Exception {
        Events serverEvents = Events.recording();
        Transport server = open("ws", serverEvents);
        Transport client = open("ws", Events.recording());
        byte[] bytes = optionsBytes("direct");
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        client.connect(listen(server), null).send(direct);
        assertEquals("direct", ((SipRequest) serverEvents.message().message()).callId());
        assertFalse(direct.hasRemaining());
    }

    @Test
    void aMessageLargerThanTheScratchBufferIsMaskedWholeAndTheCallersBufferKept() throws Exception {
        Events serverEvents = Events.recording();
        Transport server = open("ws", serverEvents);
        Transport client = open("ws", Events.recording());
        String body = "x".repeat(40_000);
        byte[] bytes = ("MESSAGE sip:sip.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WS client.invalid;branch=z9hG4bKbig\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@sip.test>;tag=1\r\nTo: <sip:sip.test>\r\n"
                + "Call-ID: big\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes();
        byte[] copy = bytes.clone();
        client.connect(listen(server), null).send(bytes);
        SipRequest got = (SipRequest) serverEvents.message().message();
        assertEquals(body, new String(got.body()));
        assertTrue(java.util.Arrays.equals(copy, bytes), "the caller's buffer was changed by masking");
    }

    @Test
    void aServerRefusingTheHandshakeFailsConnectWithItsStatus() throws Exception {
        Transport server = open("ws", Events.recording(), ws(WebSocketConfig.newBuilder().path("/sip").build()));
        Events clientEvents = Events.recording();
        Transport client = open("ws", clientEvents, ws(WebSocketConfig.newBuilder().connectPath("/other").build()));
        InetSocketAddress at = listen(server);
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class, () -> client.connect(at, null));
        assertEquals(WebSocketHandshakeException.Reason.REJECTED, e.reason());
        assertEquals(404, e.status());
        ConnectionEvent.Failed failed = clientEvents.await(ConnectionEvent.Failed.class);
        assertSame(e, failed.cause());
        assertFalse(failed.inbound());
        assertEquals(1, client.stats().failed());
        assertEquals(0, client.stats().sockets());
    }

    @Test
    void aServerThatIsNotAWebSocketFailsConnectWithBadResponse() throws Exception {
        try (var notWs = new HandWrittenServer<>((peer, s) -> {
            peer.head();
            peer.write("SIP/2.0 200 OK\r\n\r\n");
            return peer.untilClosed();
        })) {
            Transport client = open("ws", Events.recording());
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connect(notWs.address(), null));
            assertEquals(WebSocketHandshakeException.Reason.BAD_RESPONSE, e.reason());
        }
    }

    @Test
    void aServerWithoutTheSipSubprotocolFailsConnect() throws Exception {
        try (var fake = new HandWrittenServer<>((peer, s) -> {
            peer.write(HandWrittenServer.switching(peer.head(), ""));
            return peer.untilClosed();
        })) {
            Transport client = open("ws", Events.recording());
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connect(fake.address(), null));
            assertEquals(WebSocketHandshakeException.Reason.BAD_RESPONSE, e.reason());
            assertTrue(e.getMessage().contains("sip subprotocol"), e.getMessage());
        }
    }

    @Test
    void theClientAsksForItsPathWithHostKeyVersionAndTheSipSubprotocol() throws Exception {
        try (var fake = new HandWrittenServer<>((peer, s) -> {
            String request = peer.head();
            peer.write(HandWrittenServer.switching(request, "Sec-WebSocket-Protocol: sip\r\n"));
            return request;
        })) {
            Transport client = open("ws", Events.recording(), ws(WebSocketConfig.newBuilder().connectPath("/ws/sip").build()));
            client.connect(fake.address(), null);
            String request = fake.result().get(5, TimeUnit.SECONDS);
            assertTrue(request.startsWith("GET /ws/sip HTTP/1.1\r\n"), request);
            assertTrue(request.contains("\r\nHost: 127.0.0.1:" + fake.address().getPort() + "\r\n"), request);
            assertTrue(request.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"), request);
            assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"), request);
            assertTrue(request.contains("\r\nSec-WebSocket-Protocol: sip\r\n"), request);
            String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow();
            assertEquals(16, java.util.Base64.getDecoder().decode(key.substring("Sec-WebSocket-Key: ".length())).length);
        }
    }

    @Test
    void wsWorksOverIpv6() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasIpv6Loopback(), "no ::1 here");
        Events serverEvents = Events.answering();
        Transport server = open("ws", serverEvents);
        InetSocketAddress at = server.listen(new InetSocketAddress("::1", 0)).localAddress();
        Events clientEvents = Events.recording();
        Connection c = open("ws", clientEvents).connect(at, null);
        c.send(optionsBytes("v6"));
        assertEquals("v6", ((SipRequest) serverEvents.message().message()).callId());
        assertEquals(200, ((SipResponse) clientEvents.message().message()).status().code());
        assertEquals(at, c.remoteAddress());
    }

    private static boolean hasIpv6Loopback() {
        try (var s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void wssWithoutTlsSettingsDoesNotOpen() {
        IOException e = assertThrows(IOException.class, () -> sip.transport.spi.Transports.open("wss",
                sip.transport.spi.TransportConfig.defaults(), Events.recording()));
        assertTrue(e.getMessage().contains("TransportConfig.tls"), e.getMessage());
    }

    @Test
    void theServerAnswersOverTheClientsConnectionWhateverItsViaSays() throws Exception {
        Events serverEvents = Events.answering();
        Transport server = open("ws", serverEvents);
        Transport client = open("ws", Events.recording());
        Connection c = client.connect(listen(server), null);
        c.send(optionsBytes("via"));
        Events.Received r = serverEvents.message();
        assertInstanceOf(SipRequest.class, r.message());
        assertEquals("df7jal23ls0d.invalid", ((SipRequest) r.message()).topVia().host());
        assertTrue(r.connection().isOpen());
    }
}
