package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
        try (ServerSocket notWs = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (var s = notWs.accept()) {
                    RawWsPeer peer = new RawWsPeer(s);
                    peer.head();
                    peer.write("SIP/2.0 200 OK\r\n\r\n");
                    peer.untilClosed();
                } catch (IOException ignored) {
                    // the test's assertion is on the client side
                }
            });
            Transport client = open("ws", Events.recording());
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connect((InetSocketAddress) notWs.getLocalSocketAddress(), null));
            assertEquals(WebSocketHandshakeException.Reason.BAD_RESPONSE, e.reason());
        }
    }

    @Test
    void aServerWithoutTheSipSubprotocolFailsConnect() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (var s = fake.accept()) {
                    RawWsPeer peer = new RawWsPeer(s);
                    String request = peer.head();
                    String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst()
                            .orElseThrow().substring("Sec-WebSocket-Key: ".length());
                    peer.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + ServerHandshake.accept(key) + "\r\n\r\n");
                    peer.untilClosed();
                } catch (IOException ignored) {
                    // the test's assertion is on the client side
                }
            });
            Transport client = open("ws", Events.recording());
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connect((InetSocketAddress) fake.getLocalSocketAddress(), null));
            assertEquals(WebSocketHandshakeException.Reason.BAD_RESPONSE, e.reason());
            assertTrue(e.getMessage().contains("sip subprotocol"), e.getMessage());
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
