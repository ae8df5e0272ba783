package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.Scheduler;
import sip.router.UserAgent;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.Flow;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TransportConfig;
import sip.transport.ws.WebSocketConfig;

/**
 * The npm {@code ws} package (an RFC 6455 implementation independent of Parley's) as a browser
 * phone would use it, against a real {@link UserAgent} listening on {@code ws} and {@code wss}
 * with a request path and an Origin allow-list: SIP in text, binary and fragmented messages,
 * RFC 5626 CRLF keep-alives, WebSocket ping/pong, refused handshakes, a malformed request, many
 * requests in a row, a registration whose flow Parley then sends a request back over.
 */
@Timeout(90)
class WsUserAgentInteropTest {

    private static final String PATH = "/sip";
    private static final String ALLOWED_ORIGIN = "https://phone.parley.test";

    @TempDir
    static Path pki;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority.Issued serverCert;

    @TempDir
    Path dir;

    private UserAgent ua;
    private LocationService bindings;
    private final BlockingQueue<SipRequest> messages = new LinkedBlockingQueue<>();
    private int wsPort;
    private int wssPort;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificateAuthority.create(pki, "ws-interop-ca");
        serverCert = ca.server("ws-server");
    }

    @BeforeEach
    void start() throws Exception {
        NodePeers.requireInstalled();
        TransportConfig config = TransportConfig.newBuilder()
                .handshakeTimeout(Duration.ofSeconds(5))
                .tls(TlsConfig.newBuilder()
                        .certificate(serverCert.chain(), serverCert.key8())
                        .trustedCertificates(ca.certificatePem())
                        .clientAuth(TlsConfig.ClientAuth.NONE)
                        .build())
                .extension(WebSocketConfig.class, WebSocketConfig.newBuilder()
                        .path(PATH)
                        .allowedOrigins(List.of(ALLOWED_ORIGIN))
                        .build())
                .build();
        bindings = LocationService.inMemory(Scheduler.system());
        ua = UserAgent.newBuilder().name("parley-ws").transportConfig(config).closeTimeout(Duration.ofSeconds(1)).build();
        ua.server()
                .accept("application/sdp", "text/plain")
                .onMessage(tx -> {
                    messages.add(tx.request());
                    tx.respond(200);
                })
                .onRegister(Registrar.newBuilder(bindings).authorizer(RegisterAuthorizer.allowAll()).build().handler());
        wsPort = ua.listen("ws", "127.0.0.1:0").localAddress().getPort();
        wssPort = ua.listen("wss", "127.0.0.1:0").localAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (ua != null) {
            ua.close();
        }
        if (bindings != null) {
            bindings.close();
        }
    }

    private String ws() {
        return "ws://127.0.0.1:" + wsPort + PATH;
    }

    private WsRequests requests() {
        return new WsRequests("ws", "127.0.0.1", wsPort);
    }

    @Test
    void optionsInATextMessageIsAnsweredOverTheSameConnection() throws Exception {
        WsRequests sip = requests();
        WsPeer.Result peer = WsPeer.to(ws()).send(sip.options(1)).expectMessage().close(1000, "done").run(dir).assertDone();

        // The 101: the sip subprotocol chosen (RFC 7118 §4), no extension (ws offers permessage-deflate).
        assertEquals("sip", peer.open().get("protocol"), peer.report());
        assertEquals("sip", peer.upgradeHeader("sec-websocket-protocol"), peer.report());
        assertEquals("", peer.open().get("extensions"), peer.report());
        assertEquals(101, ((Number) peer.open().get("status")).intValue());

        String answer = peer.messages().getFirst();
        assertEquals(200, WsRequests.status(answer), answer);
        assertEquals(Boolean.FALSE, peer.all("message").getFirst().get("binary"), "SIP goes back in a text message");
        // The .invalid sent-by cannot be reached: received and rport say where the request came from (RFC 3581).
        String via = WsRequests.header(answer, "Via");
        assertTrue(via.startsWith("SIP/2.0/WS " + WsRequests.INVALID_HOST), via);
        assertTrue(via.contains("received=127.0.0.1"), via);
        assertTrue(via.contains("rport=" + peer.localPort()), via + " (peer port " + peer.localPort() + ")");
        assertEquals(sip.callId(), WsRequests.header(answer, "Call-ID"));
        // The close handshake: our 1000 comes back.
        assertEquals(1000L, peer.only("close").get("code"), peer.report());
    }

    @Test
    void binaryMessagesAndMessagesWithoutContentLengthAreAnswered() throws Exception {
        WsRequests sip = requests();
        WsPeer.Result peer = WsPeer.to(ws())
                .sendBinary(sip.options(1)).expectMessage()
                .send(sip.optionsWithoutContentLength(2)).expectMessage()
                .close(1000, "").run(dir).assertDone();
        assertEquals(List.of(200, 200), peer.statuses(), peer.report());
        assertEquals("1 OPTIONS", WsRequests.header(peer.messages().get(0), "CSeq"));
        assertEquals("2 OPTIONS", WsRequests.header(peer.messages().get(1), "CSeq"));
    }

    @Test
    void aFragmentedMessageWithAPingBetweenItsFramesIsReassembled() throws Exception {
        String body = "Grüße aus Köln — 日本語のテキスト — ça va?";
        String message = requests().message(1, body);
        int fragments = fragmentsSplittingACharacter(message);
        WsPeer.Result peer = WsPeer.to(ws())
                .sendFragmented(message, fragments, "between the fragments")
                .expectPong().expectMessage()
                .close(1000, "").run(dir).assertDone();

        assertEquals("between the fragments", peer.only("pong").get("data"), "the ping between the fragments is answered");
        assertEquals(200, WsRequests.status(peer.messages().getFirst()), peer.report());
        SipRequest received = messages.poll(5, TimeUnit.SECONDS);
        assertNotNull(received, "the MESSAGE reached its handler");
        assertEquals(body, new String(received.body(), StandardCharsets.UTF_8));
    }

    /**
     * A number of fragments whose cuts (the client cuts the bytes evenly) fall inside a UTF-8
     * character at least once, so the text is valid only as a whole message (RFC 6455 §8.1).
     */
    private static int fragmentsSplittingACharacter(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int n = 3; n < 40; n++) {
            int cut = (bytes.length + n - 1) / n;
            for (int at = cut; at < bytes.length; at += cut) {
                if ((bytes[at] & 0xC0) == 0x80) {
                    return n;
                }
            }
        }
        throw new AssertionError("no cut inside a character");
    }

    @Test
    void crlfKeepAlivesAndWebSocketPingsAreAnswered() throws Exception {
        WsRequests sip = requests();
        WsPeer.Result peer = WsPeer.to(ws())
                .send("\r\n\r\n").expectMessage()
                .ping("are you there").expectPong()
                .send("\r\n\r\n").expectMessage()
                .send(sip.options(1)).expectMessage()
                .close(1000, "").run(dir).assertDone();
        // RFC 5626 §4.4.1 inside the WebSocket: CRLFCRLF is answered with a text message CRLF.
        assertEquals(List.of("\r\n", "\r\n"), peer.messages().subList(0, 2), peer.report());
        assertEquals("are you there", peer.only("pong").get("data"));
        assertEquals(200, WsRequests.status(peer.messages().get(2)));
    }

    @Test
    void aHandshakeWithoutTheSipSubprotocolIsRefused400() throws Exception {
        WsPeer.Result peer = WsPeer.to(ws()).protocols().send(requests().options(1)).run(dir).assertRefused(400);
        assertFalse(peer.refusalBody().isBlank(), "the refusal says why: " + peer.report());
    }

    @Test
    void aHandshakeFromAForbiddenOriginIsRefused403() throws Exception {
        WsPeer.to(ws()).origin("https://elsewhere.example").send(requests().options(1)).run(dir).assertRefused(403);
    }

    @Test
    void aHandshakeForAnotherPathIsRefused404() throws Exception {
        WsPeer.to("ws://127.0.0.1:" + wsPort + "/not-sip").send(requests().options(1)).run(dir).assertRefused(404);
    }

    @Test
    void theAllowedOriginGetsThrough() throws Exception {
        WsPeer.Result peer = WsPeer.to(ws()).origin(ALLOWED_ORIGIN)
                .send(requests().options(1)).expectMessage().close(1000, "").run(dir).assertDone();
        assertEquals(200, WsRequests.status(peer.messages().getFirst()));
    }

    @Test
    void aMalformedRequestIsAnswered400AndTheConnectionStaysUsable() throws Exception {
        WsRequests sip = requests();
        WsPeer.Result peer = WsPeer.to(ws())
                .send(sip.optionsWithBrokenCSeq(1)).expectMessage()
                .send(sip.options(2)).expectMessage()
                .close(1000, "").run(dir).assertDone();
        assertEquals(List.of(400, 200), peer.statuses(), peer.report());
        assertEquals(1000L, peer.only("close").get("code"), "still the same, open connection: " + peer.report());
    }

    @Test
    void wssTrustingTheTestCaIsAnswered() throws Exception {
        WsRequests sip = new WsRequests("wss", "127.0.0.1", wssPort);
        WsPeer.Result peer = WsPeer.to("wss://127.0.0.1:" + wssPort + PATH).trust(ca.certificatePem())
                .send(sip.options(1)).expectMessage().close(1000, "").run(dir).assertDone();
        String answer = peer.messages().getFirst();
        assertEquals(200, WsRequests.status(answer), peer.report());
        assertTrue(WsRequests.header(answer, "Via").startsWith("SIP/2.0/WSS "), answer);
        assertEquals("sip", peer.upgradeHeader("sec-websocket-protocol"));
    }

    @Test
    void wssRefusedByAPeerThatDoesNotTrustTheCertificate() throws Exception {
        WsPeer.Result peer = WsPeer.to("wss://127.0.0.1:" + wssPort + PATH)
                .send(new WsRequests("wss", "127.0.0.1", wssPort).options(1)).run(dir);
        assertEquals(2, peer.run().exitCode(), peer.report());
        assertTrue(peer.all("open").isEmpty(), peer.report());
        String why = String.valueOf(peer.only("error").get("code"));
        assertTrue(why.contains("CERT") || why.contains("VERIFY"), "node's TLS refused our certificate: " + peer.report());
    }

    @Test
    void twoHundredRequestsInARowAreAllAnsweredInOrder() throws Exception {
        int n = 200;
        WsRequests sip = requests();
        WsPeer peer = WsPeer.to(ws()).stepTimeout(Duration.ofSeconds(20));
        // Pipelined: every request is written before the first answer is read.
        for (int i = 1; i <= n; i++) {
            peer.send(sip.options(i));
        }
        for (int i = 1; i <= n; i++) {
            peer.expectMessage();
        }
        WsPeer.Result result = peer.close(1000, "").run(dir).assertDone();
        List<String> answers = result.messages();
        assertEquals(n, answers.size(), result.report());
        for (int i = 1; i <= n; i++) {
            String answer = answers.get(i - 1);
            assertEquals(200, WsRequests.status(answer), answer);
            assertEquals(i + " OPTIONS", WsRequests.header(answer, "CSeq"), "answers keep the order of the requests");
        }
    }

    @Test
    void aRegistrationOverWebSocketIsReachedBackOverItsConnection() throws Exception {
        WsRequests sip = requests();
        try (NodeProcess node = WsPeer.to(ws()).stepTimeout(Duration.ofSeconds(20))
                .send(sip.register(1, "alice", 300)).expectMessage()
                .answer()
                .close(1000, "").start(dir)) {
            Map<String, Object> ok = node.awaitEvent("message", Duration.ofSeconds(20));
            String registered = (String) ok.get("data");
            assertEquals(200, WsRequests.status(registered), registered);
            assertTrue(WsRequests.header(registered, "Contact").contains(WsRequests.INVALID_HOST), registered);

            List<Binding> bound = bindings.lookup(AddressOfRecord.of(SipUri.parse("sip:alice@parley.test")));
            assertEquals(1, bound.size(), bound.toString());
            Flow flow = bound.getFirst().flow();
            assertEquals("ws", flow.protocol());
            int peerPort = ((Number) node.awaitEvent("open", Duration.ofSeconds(1)).get("localPort")).intValue();
            assertEquals(new InetSocketAddress("127.0.0.1", peerPort), flow.remote());
            assertEquals(wsPort, flow.local().getPort());

            // Parley sends over the browser's connection (its frames unmasked, as ws insists:
            // RFC 6455 §5.1); the Contact host is never looked up.
            SipUri contact = SipUri.parse("sip:alice@" + WsRequests.INVALID_HOST + ";transport=ws");
            SipRequest hello = ua.client().newRequest(Method.MESSAGE, contact)
                    .to(NameAddress.of(SipUri.parse("sip:alice@parley.test")))
                    .body(ContentType.of("text", "plain"), "hello over your socket".getBytes(StandardCharsets.UTF_8))
                    .build();
            SipResponse answered = ua.client().request(hello, Destination.of("ws", flow.remote()))
                    .response().get(10, TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode());

            WsPeer.Result peer = new WsPeer.Result(node.await()).assertDone();
            String got = peer.messages().get(1);
            assertTrue(got.startsWith("MESSAGE sip:alice@" + WsRequests.INVALID_HOST), got);
            assertTrue(WsRequests.header(got, "Via").startsWith("SIP/2.0/WS "), got);
            assertTrue(got.endsWith("hello over your socket"), got);
            assertNotEquals(Boolean.TRUE, peer.all("message").get(1).get("binary"), "SIP text goes in a text message");
        }
    }

    @Test
    void aRequestToAWebSocketServerGoesOutOverANewConnection() throws Exception {
        try (WsServerPeer server = WsServerPeer.start(dir, Map.of())) {
            SipRequest options = ua.client().newRequest(Method.OPTIONS, SipUri.parse("sip:node@127.0.0.1:" + server.port() + ";transport=ws"))
                    .build();
            SipResponse ok = ua.client().request(options, Destination.of("ws", new InetSocketAddress("127.0.0.1", server.port())))
                    .response().get(10, TimeUnit.SECONDS);
            assertEquals(200, ok.statusCode());
            String sent = (String) server.await("message").get("data");
            assertTrue(sent.startsWith("OPTIONS sip:node@127.0.0.1:" + server.port()), sent);
            assertTrue(WsRequests.header(sent, "Via").startsWith("SIP/2.0/WS "), "RFC 7118 §5: " + sent);
            assertEquals(List.of(), server.errors(), "ws found nothing wrong in Parley's client frames");
        }
    }
}
