package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Transport;
import sip.transport.ws.WebSocketConfig;

/**
 * A listener's framing against a hand-written client on a raw socket: what RFC 6455 and RFC 7118
 * make of each kind of frame, and the close frames on every way a connection ends.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsFramingTest extends WsTestBase {

    private final Events events = Events.answering();

    private RawWsPeer upgradedPeer(Transport server) throws Exception {
        return raw(listen(server)).upgraded();
    }

    /** Sends an OPTIONS, checks it is answered with 200, and returns the server's side of the connection. */
    private Connection exchange(RawWsPeer peer, String callId) throws Exception {
        peer.text(options(callId));
        Connection c = events.message().connection();
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
        return c;
    }

    @Test
    void aMaskedTextMessageIsOneSipMessageAndTheAnswerAnUnmaskedTextFrame() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        peer.text(options("t1"));
        assertEquals("t1", ((SipRequest) events.message().message()).callId());
        WsEvent answer = peer.event(); // the client decoder refuses masked frames: this one is not
        WsEvent.Message m = assertInstanceOf(WsEvent.Message.class, answer);
        assertTrue(m.text());
        assertTrue(new String(m.payload(), StandardCharsets.UTF_8).startsWith("SIP/2.0 200 OK\r\n"));
    }

    @Test
    void aBinaryMessageIsAcceptedToo() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        peer.frame(FrameEncoder.BINARY, true, optionsBytes("b1"), true);
        assertEquals("b1", ((SipRequest) events.message().message()).callId());
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
    }

    @Test
    void aFragmentedMessageWithAPingBetweenIsReassembledAndThePingAnswered() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        byte[] whole = optionsBytes("frag");
        int cut1 = 30;
        int cut2 = 90;
        peer.frame(FrameEncoder.TEXT, false, java.util.Arrays.copyOfRange(whole, 0, cut1), true);
        peer.frame(FrameEncoder.PING, true, "are you there".getBytes(StandardCharsets.US_ASCII), true);
        peer.frame(FrameEncoder.CONTINUATION, false, java.util.Arrays.copyOfRange(whole, cut1, cut2), true);
        peer.frame(FrameEncoder.CONTINUATION, true, java.util.Arrays.copyOfRange(whole, cut2, whole.length), true);
        WsEvent.Pong pong = assertInstanceOf(WsEvent.Pong.class, peer.event()); // sent before the message was whole
        assertArrayEquals("are you there".getBytes(StandardCharsets.US_ASCII), pong.payload());
        assertEquals("frag", ((SipRequest) events.message().message()).callId());
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
    }

    @Test
    void aCrlfKeepAliveIsAnsweredWithACrlfMessageAndKeepsAnIdleConnectionOpen() throws Exception {
        Transport server = open("ws", events, b -> b.idleTimeout(Duration.ofMillis(600)));
        RawWsPeer peer = upgradedPeer(server);
        exchange(peer, "k0"); // the first message, then only keep-alives
        for (int i = 0; i < 4; i++) { // 4 x ~300 ms: past the idle timeout, kept up by the pings
            peer.text("\r\n\r\n");
            WsEvent.Message pong = assertInstanceOf(WsEvent.Message.class, peer.event());
            assertTrue(pong.text());
            assertEquals("\r\n", new String(pong.payload(), StandardCharsets.US_ASCII));
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // the peer's pace, not a sync
        }
        peer.text("\r\n"); // a pong: nothing to answer
        peer.text(options("k1"));
        assertTrue(peer.message().startsWith("SIP/2.0 200 ")); // the next frame is the answer, not a CRLF
        assertEquals(4, server.stats().keepAlives());
        assertEquals(1, server.stats().connections());
    }

    @Test
    void anIdleConnectionIsClosedWithAGoingAwayCloseFrame() throws Exception {
        Transport server = open("ws", events, b -> b.idleTimeout(Duration.ofMillis(300)));
        RawWsPeer peer = upgradedPeer(server);
        Connection c = exchange(peer, "i1");
        WsEvent.Close close = assertInstanceOf(WsEvent.Close.class, peer.event());
        assertEquals(1001, close.code());
        assertTrue(peer.closedByServer());
        assertEquals(CloseReason.IDLE, events.closed(c).reason());
        assertEquals(1, server.stats().timedOut());
    }

    @Test
    void thePeersCloseIsAnsweredWithItsCodeAndTheConnectionClosed() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        Connection c = exchange(peer, "c1");
        peer.write(FrameEncoder.closeFrame(1000, "bye", true, new java.util.Random(1)));
        WsEvent.Close answer = assertInstanceOf(WsEvent.Close.class, peer.event());
        assertEquals(1000, answer.code());
        assertTrue(peer.closedByServer());
        assertEquals(CloseReason.PEER, events.closed(c).reason());
        eventually(() -> server.stats().connections() == 0, "connection un-counted");
    }

    @Test
    void closingTheConnectionSendsANormalCloseFrame() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        Connection c = exchange(peer, "l1");
        c.close();
        assertEquals(1000, assertInstanceOf(WsEvent.Close.class, peer.event()).code());
        assertTrue(peer.closedByServer());
        assertEquals(CloseReason.LOCAL, events.closed(c).reason());
    }

    @Test
    void closingTheTransportSendsGoingAway() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        exchange(peer, "s1");
        server.close();
        assertEquals(1001, assertInstanceOf(WsEvent.Close.class, peer.event()).code());
        assertTrue(peer.closedByServer());
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() throws Exception {
        assertFailsWith(1002, peer -> peer.frame(FrameEncoder.TEXT, true, optionsBytes("u1"), false), b -> b);
    }

    @Test
    void textThatIsNotUtf8IsInvalidPayload() throws Exception {
        assertFailsWith(1007, peer -> peer.text(new byte[] {'O', 'P', (byte) 0xC3, (byte) 0x28}), b -> b);
    }

    @Test
    void aFrameLargerThanMaxFrameSizeIsTooBig() throws Exception {
        assertFailsWith(1009, peer -> peer.text("x".repeat(2000)),
                ws(WebSocketConfig.newBuilder().maxFrameSize(1000).build()));
    }

    @Test
    void aMessageLargerThanTheParsersLimitIsTooBigEvenInSmallFragments() throws Exception {
        assertFailsWith(1009, peer -> {
            for (int i = 0; i < 3; i++) {
                peer.frame(i == 0 ? FrameEncoder.TEXT : FrameEncoder.CONTINUATION, false, "y".repeat(500).getBytes(), true);
            }
        }, b -> b.parser(SipParser.newBuilder().maxMessageSize(1024).build()));
    }

    private void assertFailsWith(int code, PeerAction action,
            java.util.function.UnaryOperator<sip.transport.spi.TransportConfig.Builder> settings) throws Exception {
        Transport server = open("ws", events, settings);
        RawWsPeer peer = upgradedPeer(server);
        Connection c = exchange(peer, "ok");
        action.run(peer);
        assertEquals(code, assertInstanceOf(WsEvent.Close.class, peer.event()).code());
        assertTrue(peer.closedByServer());
        assertEquals(CloseReason.MALFORMED, events.closed(c).reason());
        assertEquals(1, server.stats().malformed());
        eventually(() -> server.stats().connections() == 0, "connection un-counted");
    }

    @FunctionalInterface
    private interface PeerAction {
        void run(RawWsPeer peer) throws Exception;
    }

    @Test
    void aMalformedSipMessageInsideAFrameLeavesTheConnectionOpen() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        peer.text("OPTIONS sip:sip.test SIP/2.0\r\nCSeq: banana\r\n\r\n");
        events.malformed();
        peer.text(options("after"));
        assertEquals("after", ((SipRequest) events.message().message()).callId());
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
        assertEquals(1, server.stats().malformed());
        assertEquals(1, server.stats().connections());
    }

    @Test
    void theBytesCountedAreTheWiresBytes() throws Exception {
        Transport server = open("ws", events);
        RawWsPeer peer = upgradedPeer(server);
        byte[] message = optionsBytes("n1");
        peer.text(message);
        events.message();
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
        eventually(() -> server.stats().bytesIn() == FrameEncoder.headerLength(message.length, true) + message.length,
                "bytes in: one masked frame (the handshake is not counted): " + server.stats());
    }

    @Test
    void aConnectionOpenedAndLeftSilentIsClosedByTheFirstMessageDeadline() throws Exception {
        Transport server = open("ws", events, b -> b.messageReadTimeout(Duration.ofMillis(300)));
        RawWsPeer peer = upgradedPeer(server);
        assertEquals(1001, assertInstanceOf(WsEvent.Close.class, peer.event()).code());
        assertTrue(peer.closedByServer());
        assertEquals(CloseReason.READ_TIMEOUT, events.await(ConnectionEvent.Closed.class).reason());
    }
}
