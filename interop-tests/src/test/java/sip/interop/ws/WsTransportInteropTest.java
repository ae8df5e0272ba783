package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;
import sip.transport.ws.WebSocketConfig;
import sip.transport.ws.WebSocketHandshakeException;

/**
 * The npm {@code ws} package against the bare {@code ws} transport (no transaction layer): what
 * the transport counts ({@link TransportStats}: messages, keep-alives, malformed input, live
 * connections) and tells ({@link ConnectionEvent}) while a real peer comes, talks and goes, and
 * the close frames the peer sees when Parley ends the connection (RFC 6455 §7.4: 1000 for a
 * close, 1001 going away for the transport's close and the idle timeout).
 */
@Timeout(60)
class WsTransportInteropTest {

    private static final Duration WAIT = AnsweringHandler.WAIT;

    @TempDir
    Path dir;

    private final AnsweringHandler handler = new AnsweringHandler();
    private Transport transport;
    private int port;

    @BeforeEach
    void start() throws Exception {
        NodePeers.requireInstalled();
    }

    private void open(TransportConfig config) throws IOException {
        transport = Transports.open("ws", config, handler);
        handler.watch(transport);
        port = transport.listen(new InetSocketAddress("127.0.0.1", 0)).localAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
            TransportStats stats = transport.stats();
            assertEquals(0, stats.sockets(), "the closed transport left sockets open: " + stats);
            assertEquals(0, stats.connections(), stats.toString());
        }
    }

    private String url() {
        return "ws://127.0.0.1:" + port + "/";
    }

    @Test
    void messagesKeepAlivesAndMalformedInputAreCountedAndThePeersCloseEndsTheConnection() throws Exception {
        open(TransportConfig.defaults());
        WsRequests sip = new WsRequests("ws", "127.0.0.1", port);
        WsPeer.Result peer = WsPeer.to(url())
                .send("\r\n\r\n").expectMessage()
                .send(sip.options(1)).expectMessage()
                .send("\r\n\r\n").expectMessage()
                .send(sip.optionsWithBrokenCSeq(2)).expectMessage()
                .sendBinary(sip.options(3)).expectMessage()
                .send("\r\n\r\n").expectMessage()
                .close(1000, "bye").run(dir).assertDone();

        assertEquals(List.of(0, 200, 0, 400, 200, 0), peer.statuses(), peer.report());
        assertEquals(3, peer.messages().stream().filter("\r\n"::equals).count(), "CRLF answers each CRLFCRLF: " + peer.report());
        assertEquals(1000L, peer.only("close").get("code"), "the close code is echoed: " + peer.report());

        TransportStats stats = handler.awaitStats(s -> s.connections() == 0, WAIT);
        assertEquals(0, stats.connections(), "the connection is gone once the peer closed: " + stats);
        assertEquals(stats.listeners(), stats.sockets(), stats.toString());
        assertEquals(1, stats.accepted(), stats.toString());
        assertEquals(2, stats.messagesIn(), "SIP messages only: " + stats);
        assertEquals(3, stats.keepAlives(), stats.toString());
        assertEquals(1, stats.malformed(), stats.toString());
        assertEquals(3, stats.messagesOut(), "two 200s and a 400: " + stats);
        assertEquals(0, stats.failed() + stats.timedOut() + stats.handlerErrors(), stats.toString());

        Connection c = assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent()).connection();
        assertEquals("ws", c.protocol().name());
        assertTrue(c.inbound());
        assertEquals(new InetSocketAddress("127.0.0.1", peer.localPort()), c.remoteAddress());
        ConnectionEvent.Closed closed = assertInstanceOf(ConnectionEvent.Closed.class, handler.nextEvent());
        assertEquals(c.flow(), closed.connection().flow());
        assertEquals(CloseReason.PEER, closed.reason());
    }

    @Test
    void aPeerThatDropsTheConnectionWithoutACloseFrameIsGoneToo() throws Exception {
        open(TransportConfig.defaults());
        WsPeer.to(url()).send(new WsRequests("ws", "127.0.0.1", port).options(1)).expectMessage().terminate()
                .run(dir).assertDone();
        TransportStats stats = handler.awaitStats(s -> s.connections() == 0, WAIT);
        assertEquals(0, stats.connections(), stats.toString());
        assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent());
        assertEquals(CloseReason.PEER, assertInstanceOf(ConnectionEvent.Closed.class, handler.nextEvent()).reason());
    }

    @Test
    void closingTheConnectionSendsTheCloseFrame1000() throws Exception {
        open(TransportConfig.defaults());
        try (NodeProcess node = WsPeer.to(url()).expectClose().start(dir)) {
            Connection c = assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent()).connection();
            c.close();
            WsPeer.Result peer = new WsPeer.Result(node.await()).assertDone();
            assertEquals(1000L, peer.only("close").get("code"), peer.report());
            assertEquals(CloseReason.LOCAL, assertInstanceOf(ConnectionEvent.Closed.class, handler.nextEvent()).reason());
            assertEquals(0, transport.stats().connections());
        }
    }

    @Test
    void closingTheTransportSaysGoingAway1001() throws Exception {
        open(TransportConfig.defaults());
        try (NodeProcess node = WsPeer.to(url()).expectClose().start(dir)) {
            assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent());
            transport.close();
            WsPeer.Result peer = new WsPeer.Result(node.await()).assertDone();
            assertEquals(1001L, peer.only("close").get("code"), peer.report());
        }
    }

    @Test
    void anIdlePeerIsClosedWithGoingAway1001() throws Exception {
        open(TransportConfig.newBuilder().idleTimeout(Duration.ofSeconds(1)).build());
        WsPeer.Result peer = WsPeer.to(url()).stepTimeout(WAIT).expectClose().run(dir).assertDone();
        assertEquals(1001L, peer.only("close").get("code"), peer.report());
        assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent());
        assertEquals(CloseReason.IDLE, assertInstanceOf(ConnectionEvent.Closed.class, handler.nextEvent()).reason());
        TransportStats stats = handler.awaitStats(s -> s.connections() == 0, WAIT);
        assertEquals(1, stats.timedOut(), stats.toString());
    }

    @Test
    void aRefusedHandshakeIsToldAsAFailedConnection() throws Exception {
        open(TransportConfig.defaults());
        WsPeer.to(url()).protocols().send(new WsRequests("ws", "127.0.0.1", port).options(1)).run(dir).assertRefused(400);
        ConnectionEvent.Failed failed = assertInstanceOf(ConnectionEvent.Failed.class, handler.nextEvent());
        assertTrue(failed.inbound());
        assertEquals("ws", failed.protocol());
        WebSocketHandshakeException why = assertInstanceOf(WebSocketHandshakeException.class, failed.cause());
        assertEquals(WebSocketHandshakeException.Reason.NO_SIP_SUBPROTOCOL, why.reason());
        assertEquals(400, why.status());
        TransportStats stats = handler.awaitStats(s -> s.sockets() == s.listeners(), WAIT);
        assertEquals(1, stats.failed(), stats.toString());
        assertEquals(0, stats.connections(), stats.toString());
        assertEquals(stats.listeners(), stats.sockets(), "the refused socket is closed: " + stats);
    }

    @Test
    void invalidUtf8InATextMessageClosesWith1007() throws Exception {
        open(TransportConfig.defaults());
        WsRequests sip = new WsRequests("ws", "127.0.0.1", port);
        String text = sip.options(2).replace("Max-Forwards: 70", "Max-Forwards: 70\r\nSubject: ??");
        byte[] bad = text.getBytes(StandardCharsets.UTF_8);
        // 0xC3 0x28: a two-byte lead followed by no continuation byte (RFC 3629).
        int at = text.indexOf("??");
        bad[at] = (byte) 0xC3;
        bad[at + 1] = 0x28;
        WsPeer.Result peer = WsPeer.to(url())
                .send(sip.options(1)).expectMessage()
                .sendBytes(bad, false).expectClose()
                .run(dir).assertDone();
        assertEquals(List.of(200), peer.statuses(), peer.report());
        assertEquals(1007L, peer.only("close").get("code"), peer.report());
        TransportStats stats = handler.awaitStats(s -> s.connections() == 0, WAIT);
        assertEquals(0, stats.connections(), stats.toString());
        assertEquals(1, stats.messagesIn(), "the bad message is not delivered: " + stats);
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() throws Exception {
        open(TransportConfig.newBuilder()
                .extension(WebSocketConfig.class, WebSocketConfig.newBuilder().maxFrameSize(1024).build())
                .build());
        WsRequests sip = new WsRequests("ws", "127.0.0.1", port);
        String big = sip.options(2).replace("Max-Forwards: 70", "Max-Forwards: 70\r\nSubject: " + "x".repeat(2000));
        WsPeer.Result peer = WsPeer.to(url())
                .send(sip.options(1)).expectMessage()
                .send(big).expectClose()
                .run(dir).assertDone();
        assertEquals(List.of(200), peer.statuses(), peer.report());
        assertEquals(1009L, peer.only("close").get("code"), peer.report());
        assertEquals(0, handler.awaitStats(s -> s.connections() == 0, WAIT).connections());
    }
}
