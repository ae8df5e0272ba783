package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipRequest;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.ConnectionLimitException;
import sip.transport.spi.Transport;
import sip.transport.ws.WebSocketHandshakeException;
import sip.transport.ws.WebSocketHandshakeException.Reason;

/**
 * The stream transport's limits and counts as WS has them, and the client side against
 * hand-written servers: failures to connect, a server speaking right after its 101, a server
 * breaking the masking rule.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsLimitsTest extends WsTestBase {

    @Test
    void maxConnectionsRefusesTheNextOneAndCountsGoBackToZero() throws Exception {
        Events events = Events.answering();
        Transport server = open("ws", events, b -> b.maxConnections(1));
        InetSocketAddress at = listen(server);
        RawWsPeer first = raw(at).upgraded();
        RawWsPeer second = raw(at);
        assertTrue(second.closedByServer()); // closed before any HTTP: the limit is the transport's
        ConnectionEvent.Failed refused = events.await(ConnectionEvent.Failed.class);
        assertInstanceOf(ConnectionLimitException.class, refused.cause());
        assertEquals(1, server.stats().refused());
        // The 101 reaches the client before the server's reader registers the connection.
        eventually(() -> server.stats().connections() == 1, "the first connection registered");
        first.text(options("still"));
        assertTrue(first.message().startsWith("SIP/2.0 200 "));
        first.write(FrameEncoder.closeFrame(1000, "", true, new java.util.Random(2)));
        assertEquals(1000, assertInstanceOf(WsEvent.Close.class, first.event()).code());
        assertTrue(first.closedByServer());
        eventually(() -> server.stats().connections() == 0 && server.stats().sockets() == 1, "counts back to zero");
    }

    @Test
    void theLimitPerAddressHoldsForWebSockets() throws Exception {
        Events events = Events.recording();
        Transport server = open("ws", events, b -> b.maxConnectionsPerAddress(2));
        InetSocketAddress at = listen(server);
        raw(at).upgraded();
        raw(at).upgraded();
        assertTrue(raw(at).closedByServer());
        eventually(() -> server.stats().connections() == 2, "both registered");
        assertInstanceOf(ConnectionLimitException.class, events.await(ConnectionEvent.Failed.class).cause());
    }

    @Test
    void aRefusedHandshakeGivesItsSlotBack() throws Exception {
        Events events = Events.answering();
        Transport server = open("ws", events, b -> b.maxConnections(1));
        InetSocketAddress at = listen(server);
        RawWsPeer refused = raw(at);
        refused.write(RawWsPeer.request("/")); // no sip subprotocol
        assertTrue(refused.untilClosed().startsWith("HTTP/1.1 400 "));
        refused.close();
        events.await(ConnectionEvent.Failed.class);
        eventually(() -> server.stats().sockets() == 1, "the refused socket given back");
        raw(at).upgraded(); // the one slot is free again
        events.await(ConnectionEvent.Opened.class); // registered just after the 101 went out
        assertEquals(1, server.stats().connections());
    }

    @Test
    void connectingToNothingFailsWithAFailedEvent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Events events = Events.recording();
        Transport client = open("ws", events);
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        assertThrows(IOException.class, () -> client.connect(nowhere, null));
        assertEquals(nowhere, events.await(ConnectionEvent.Failed.class).remote());
        assertEquals(1, client.stats().failed());
        assertEquals(0, client.stats().sockets());
    }

    @Test
    void aServerThatNeverAnswersTimesTheConnectOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Transport client = open("ws", Events.recording(), b -> b.handshakeTimeout(Duration.ofMillis(300)));
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connect((InetSocketAddress) silent.getLocalSocketAddress(), null));
            assertEquals(Reason.TIMEOUT, e.reason());
            assertEquals(0, client.stats().sockets());
        }
    }

    @Test
    void framesRightAfterThe101AreReadAndAMaskedServerFrameIsAProtocolError() throws Exception {
        try (var fake = new HandWrittenServer<>((server, s) -> {
            byte[] head = HandWrittenServer.switching(server.head(), "Sec-WebSocket-Protocol: sip\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] frame = FrameEncoder.frame(FrameEncoder.TEXT, optionsBytes("pushed"), false, null);
            byte[] both = new byte[head.length + frame.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            server.write(both); // the 101 and a request in one segment
            // Then a frame masked as only a client may send it.
            server.write(FrameEncoder.frame(FrameEncoder.TEXT, optionsBytes("masked"), true, new java.util.Random(3)));
            // The client's close frame is masked: decode it as a server would.
            FrameDecoder asServer = new FrameDecoder(Role.SERVER, 1 << 16, 1 << 16);
            byte[] b = s.getInputStream().readAllBytes();
            asServer.feed(b, 0, b.length);
            return asServer.next();
        })) {
            Events events = Events.recording();
            Transport client = open("ws", events);
            Connection c = client.connect(fake.address(), null);
            assertEquals("pushed", ((SipRequest) events.message().message()).callId());
            assertEquals(CloseReason.MALFORMED, events.closed(c).reason());
            assertEquals(1002, assertInstanceOf(WsEvent.Close.class, fake.result().get(5, TimeUnit.SECONDS)).code());
            assertEquals(1, client.stats().malformed());
        }
    }
}
