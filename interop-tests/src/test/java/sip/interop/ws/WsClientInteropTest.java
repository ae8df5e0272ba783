package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.message.SipResponse;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;
import sip.transport.ws.WebSocketConfig;
import sip.transport.ws.WebSocketHandshakeException;

/**
 * Parley's outbound WebSocket client against a server built on the npm {@code ws} package
 * ({@code interop-tests/ws/sip-ws-server.mjs}), which refuses what RFC 6455 forbids a client
 * (unmasked frames: close 1002): the upgrade request Parley writes, its masked frames, its pong,
 * its close, WSS with the server's certificate checked, and the 101s it must refuse.
 */
@Timeout(60)
class WsClientInteropTest {

    private static final java.time.Duration WAIT = AnsweringHandler.WAIT;

    @TempDir
    static Path pki;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority.Issued serverCert;

    @TempDir
    Path dir;

    private final AnsweringHandler handler = new AnsweringHandler();
    private Transport transport;
    private WsServerPeer server;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificateAuthority.create(pki, "ws-client-ca");
        serverCert = ca.server("node-server");
    }

    @BeforeEach
    void node() throws Exception {
        NodePeers.requireInstalled();
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            if (transport != null) {
                transport.close();
                assertEquals(0, transport.stats().sockets(), transport.stats().toString());
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Starts the node server with {@code config} (see the script's header); returns its port. */
    private int startServer(Map<String, Object> config) throws Exception {
        server = WsServerPeer.start(dir, config);
        return server.port();
    }

    private void openTransport(String protocol, TransportConfig config) throws Exception {
        transport = Transports.open(protocol, config, handler);
        handler.watch(transport);
    }

    @Test
    void parleysClientIsAcceptedByWsAndAnswersItsPing() throws Exception {
        int port = startServer(Map.of("pingOnConnect", "are you there"));
        openTransport("ws", TransportConfig.defaults());
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        Connection c = transport.connect(address);
        assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent());

        Map<String, Object> upgrade = server.await("connection");
        assertEquals("/", upgrade.get("path"));
        assertEquals("sip", upgrade.get("protocol"), "ws chose the sip subprotocol Parley offered: " + upgrade);
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) upgrade.get("headers");
        assertEquals("127.0.0.1:" + port, headers.get("host"));
        assertEquals("13", headers.get("sec-websocket-version"));
        assertEquals("are you there", server.await("pong").get("data"), "Parley's client answers a ping");

        String options = new WsRequests("ws", "127.0.0.1", port).options(1);
        c.send(options.getBytes(StandardCharsets.UTF_8));
        SipResponse ok = handler.nextResponse();
        assertEquals(200, ok.statusCode());
        // ws closes with 1002 on an unmasked client frame: it got the request as sent, as text.
        Map<String, Object> got = server.await("message");
        assertEquals(options, got.get("data"));
        assertEquals(Boolean.FALSE, got.get("binary"));

        assertSame(c, transport.connect(address), "the open connection is reused (RFC 3261 §18.1.1)");
        c.close();
        assertEquals(1000L, server.await("close").get("code"), server.process().stdout().toString());
        assertEquals(CloseReason.LOCAL, assertInstanceOf(ConnectionEvent.Closed.class, handler.nextEvent()).reason());
        TransportStats stats = handler.awaitStats(s -> s.connections() == 0, WAIT);
        assertEquals(1, stats.connected(), stats.toString());
        assertEquals(0, stats.connections(), stats.toString());
        assertEquals(List.of(), server.errors(), "ws saw no protocol error");
    }

    @Test
    void aMessageOver64KiBGoesInOneFrameWithA64BitLength() throws Exception {
        int port = startServer(Map.of());
        openTransport("ws", TransportConfig.defaults());
        Connection c = transport.connect(new InetSocketAddress("127.0.0.1", port));
        // Past 65,535 bytes the payload length takes the 64-bit form (RFC 6455 §5.2).
        String big = new WsRequests("ws", "127.0.0.1", port).message(1, "0123456789abcdef".repeat(4500));
        assertTrue(big.length() > 70_000);
        c.send(big.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, handler.nextResponse().statusCode());
        assertEquals(big, server.await("message").get("data"));
        assertEquals(List.of(), server.errors());
    }

    @Test
    void theConnectPathIsTheRequestPath() throws Exception {
        int port = startServer(Map.of());
        openTransport("ws", TransportConfig.newBuilder()
                .extension(WebSocketConfig.class, WebSocketConfig.newBuilder().connectPath("/sip/edge").build())
                .build());
        transport.connect(new InetSocketAddress("127.0.0.1", port));
        assertEquals("/sip/edge", server.await("connection").get("path"));
    }

    @Test
    void wssChecksTheServersCertificateAndCarriesSip() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tls", Map.of("cert", serverCert.chain().toString(), "key", serverCert.key8().toString()));
        int port = startServer(config);
        openTransport("wss", TransportConfig.newBuilder()
                .tls(TlsConfig.newBuilder().trustedCertificates(ca.certificatePem()).build())
                .build());
        Connection c = transport.connect(new InetSocketAddress("127.0.0.1", port));
        assertTrue(c.tlsSession().isPresent(), "a TLS session under the WebSocket");
        WsRequests sip = new WsRequests("wss", "127.0.0.1", port);
        c.send(sip.options(1).getBytes(StandardCharsets.UTF_8));
        SipResponse ok = handler.nextResponse();
        assertEquals(200, ok.statusCode());
        assertEquals("WSS", ok.topVia().transport());
        assertEquals(List.of(), server.errors());
    }

    @Test
    void a101WithoutTheSipSubprotocolIsRefused() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("subprotocol", null);
        int port = startServer(config);
        openTransport("ws", TransportConfig.defaults());
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> transport.connect(new InetSocketAddress("127.0.0.1", port)));
        assertEquals(WebSocketHandshakeException.Reason.BAD_RESPONSE, e.reason(), e.toString());
        assertFailedAndNothingOpen();
    }

    @Test
    void aServerRefusingTheUpgradeIsReportedWithItsStatus() throws Exception {
        int port = startServer(Map.of("reject", 403));
        openTransport("ws", TransportConfig.defaults());
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> transport.connect(new InetSocketAddress("127.0.0.1", port)));
        assertEquals(WebSocketHandshakeException.Reason.REJECTED, e.reason(), e.toString());
        assertEquals(403, e.status());
        assertFailedAndNothingOpen();
    }

    @Test
    void theServersCloseIsAnsweredAndEndsTheConnection() throws Exception {
        int port = startServer(Map.of("closeAfter", 1));
        openTransport("ws", TransportConfig.defaults());
        Connection c = transport.connect(new InetSocketAddress("127.0.0.1", port));
        assertInstanceOf(ConnectionEvent.Opened.class, handler.nextEvent());
        c.send(new WsRequests("ws", "127.0.0.1", port).options(1).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, handler.nextResponse().statusCode());
        // ws closed with 1000 after its answer; the code it reports is the one Parley echoed.
        assertEquals(1000L, server.await("close").get("code"), server.process().stdout().toString());
        assertEquals(CloseReason.PEER, assertInstanceOf(ConnectionEvent.Closed.class, handler.nextEvent()).reason());
        assertEquals(0, handler.awaitStats(s -> s.connections() == 0, WAIT).connections());
    }

    private void assertFailedAndNothingOpen() throws InterruptedException {
        ConnectionEvent.Failed failed = assertInstanceOf(ConnectionEvent.Failed.class, handler.nextEvent());
        assertEquals(false, failed.inbound());
        TransportStats stats = handler.awaitStats(s -> s.sockets() == 0, WAIT);
        assertEquals(1, stats.failed(), stats.toString());
        assertEquals(0, stats.connections(), stats.toString());
        assertEquals(0, stats.sockets(), "the refused socket is closed: " + stats);
    }
}
