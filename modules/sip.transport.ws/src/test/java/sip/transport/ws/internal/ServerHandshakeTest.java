package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Transport;
import sip.transport.ws.WebSocketConfig;
import sip.transport.ws.WebSocketHandshakeException;
import sip.transport.ws.WebSocketHandshakeException.Reason;

/**
 * The listener's side of the opening handshake, from the bytes a client writes on a raw socket:
 * the exact 101, and each refusal with its status, {@code Connection: close}, a body saying why,
 * the socket closed and a {@code Failed} event.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerHandshakeTest extends WsTestBase {

    private static final WebSocketConfig STRICT = WebSocketConfig.newBuilder().path("/sip")
            .allowedOrigins(List.of("https://phone.example.com")).build();

    @Test
    void aGoodHandshakeIsAnsweredExactly() throws Exception {
        Transport server = open("ws", Events.recording(), ws(STRICT));
        RawWsPeer peer = raw(listen(server));
        peer.write(RawWsPeer.request("/sip?user=alice", "Origin: https://PHONE.example.com",
                "Sec-WebSocket-Protocol: foo, sip", "Sec-WebSocket-Extensions: permessage-deflate"));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RawWsPeer.ACCEPT + "\r\n"
                + "Sec-WebSocket-Protocol: sip\r\n"
                + "\r\n", peer.head()); // no extension: permessage-deflate is not taken
    }

    @Test
    void theAcceptValueIsRfc6455sExample() {
        assertEquals(RawWsPeer.ACCEPT, ServerHandshake.accept(RawWsPeer.KEY));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no sip subprotocol", RawWsPeer.request("/sip"), Reason.NO_SIP_SUBPROTOCOL, 400, ""),
                Arguments.of("another subprotocol only", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: SIP, sip2"),
                        Reason.NO_SIP_SUBPROTOCOL, 400, ""),
                Arguments.of("version 8", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("Version: 13", "Version: 8"), Reason.UNSUPPORTED_VERSION, 426,
                        "Sec-WebSocket-Version: 13\r\n"),
                Arguments.of("forbidden origin", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip",
                        "Origin: https://evil.example.com"), Reason.FORBIDDEN_ORIGIN, 403, ""),
                Arguments.of("wrong path", RawWsPeer.request("/", "Sec-WebSocket-Protocol: sip"),
                        Reason.PATH_NOT_FOUND, 404, ""),
                Arguments.of("no upgrade", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("Upgrade: websocket\r\n", ""), Reason.NOT_AN_UPGRADE, 426, "Upgrade: websocket\r\n"),
                Arguments.of("bad key", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace(RawWsPeer.KEY, "c2hvcnQ="), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("POST", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("GET", "POST"), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("not HTTP", "INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n\r\n",
                        Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("HTTP/1.1junk", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("HTTP/1.1", "HTTP/1.1junk"), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("HTTP/2.0", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("HTTP/1.1", "HTTP/2.0"), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("a bare CR ending a line", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("Connection: Upgrade\r\n", "Connection: Upgrade\r"), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("two keys", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip",
                        "Sec-WebSocket-Key: " + RawWsPeer.KEY), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("two versions", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip",
                        "Sec-WebSocket-Version: 13"), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("a Host that is not a host", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip")
                        .replace("Host: 127.0.0.1", "Host: a b/c"), Reason.MALFORMED_REQUEST, 400, ""),
                Arguments.of("an Origin after an LF line end", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip",
                        "X-Note: a\nOrigin: https://evil.example.com"), // a line of its own, not X-Note's value
                        Reason.FORBIDDEN_ORIGIN, 403, ""),
                Arguments.of("oversize head", RawWsPeer.request("/sip", "Sec-WebSocket-Protocol: sip",
                        "X-Padding: " + "p".repeat(12_000)), Reason.REQUEST_TOO_LARGE, 431, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aBadHandshakeIsRefusedWithItsStatusAndTheSocketClosed(String what, String request, Reason reason,
            int status, String extraHeader) throws Exception {
        Events events = Events.recording();
        Transport server = open("ws", events, ws(STRICT));
        RawWsPeer peer = raw(listen(server));
        peer.write(request);
        String answer = peer.untilClosed(); // returns: the server is done with the socket
        peer.close(); // as a client does on the end of the answer; the server waits (briefly) for it
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        assertTrue(extraHeader.isEmpty() || answer.contains("\r\n" + extraHeader), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertTrue(answer.contains("Content-Length: " + body.getBytes(StandardCharsets.US_ASCII).length + "\r\n"), answer);
        assertTrue(body.length() > 5 && body.endsWith("\n"), "a short body saying why: " + body);

        ConnectionEvent.Failed failed = events.await(ConnectionEvent.Failed.class);
        assertTrue(failed.inbound());
        WebSocketHandshakeException e = assertInstanceOf(WebSocketHandshakeException.class, failed.cause());
        assertEquals(reason, e.reason());
        assertEquals(status, e.status());
        assertEquals(1, server.stats().failed());
        assertEquals(0, server.stats().connections());
        eventually(() -> server.stats().sockets() == 1, "only the listener left");
    }

    @Test
    void anLfOnlyHeadIsServedAtOnceNotAtTheDeadline() throws Exception {
        Transport server = open("ws", Events.recording(), b -> b.handshakeTimeout(Duration.ofSeconds(20)));
        RawWsPeer peer = raw(listen(server));
        long started = System.nanoTime();
        peer.write(RawWsPeer.request("/", "Sec-WebSocket-Protocol: sip").replace("\r\n", "\n")); // RFC 9112 §2.2 MAY
        String head = peer.head();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        // A server waiting for more would only close at the 20 s deadline, without a 101: the 101
        // proves the head was read; this bound only catches an answer sent at the deadline.
        assertTrue(tookMs < 10_000, "answered after " + tookMs + " ms");
    }

    @Test
    void aLaterHttp1MinorVersionIsServedAs11() throws Exception {
        Transport server = open("ws", Events.recording());
        RawWsPeer peer = raw(listen(server));
        peer.write(RawWsPeer.request("/", "Sec-WebSocket-Protocol: sip").replace("HTTP/1.1", "HTTP/1.2")); // RFC 9110 §2.5
        String head = peer.head();
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    }

    @Test
    void hostValuesAsRfc9112Allows() {
        for (String good : List.of("", "a", "example.com:5060", "127.0.0.1", "[::1]:443", "[2001:db8::1]", "x.test:")) {
            assertTrue(ServerHandshake.isValidHost(good), good);
        }
        for (String bad : List.of(":80", "a b", "a/b", "a@b", "[::1", "[]", "a:8x", "[::1]x", "a:1:2")) {
            assertTrue(!ServerHandshake.isValidHost(bad), bad);
        }
    }

    @Test
    void aSlowHandshakeIsClosedByTheDeadlineWithAFailedEvent() throws Exception {
        Events events = Events.recording();
        Transport server = open("ws", events, b -> b.handshakeTimeout(Duration.ofMillis(300)));
        RawWsPeer peer = raw(listen(server));
        String request = RawWsPeer.request("/", "Sec-WebSocket-Protocol: sip");
        peer.write(request.substring(0, 20)); // and nothing more
        ConnectionEvent.Failed failed = events.await(ConnectionEvent.Failed.class);
        WebSocketHandshakeException e = assertInstanceOf(WebSocketHandshakeException.class, failed.cause());
        assertEquals(Reason.TIMEOUT, e.reason());
        assertEquals(0, e.status());
        assertTrue(peer.closedByServer());
        assertEquals(1, server.stats().failed());
        eventually(() -> server.stats().sockets() == 1, "only the listener left");
    }

    @Test
    void theHandshakeDeadlineCoversTlsAndHttpTogether() throws Exception {
        Events events = Events.recording();
        Transport server = open("wss", events, b -> b.handshakeTimeout(Duration.ofMillis(800)));
        InetSocketAddress at = listen(server);
        javax.net.ssl.SSLContext context = sip.transport.tls.internal.SslContexts.create(
                sip.transport.spi.TlsConfig.newBuilder().trustedCertificates(ca.certificatePem()).build());
        try (var ssl = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(at.getAddress(), at.getPort())) {
            ssl.startHandshake(); // TLS done at once; the HTTP request never comes
            RawWsPeer peer = new RawWsPeer(ssl);
            ConnectionEvent.Failed failed = events.await(ConnectionEvent.Failed.class);
            assertEquals(Reason.TIMEOUT, assertInstanceOf(WebSocketHandshakeException.class, failed.cause()).reason());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void aWssRefusalIsAnsweredOverTls() throws Exception {
        Events events = Events.recording();
        Transport server = open("wss", events);
        InetSocketAddress at = listen(server);
        javax.net.ssl.SSLContext context = sip.transport.tls.internal.SslContexts.create(
                sip.transport.spi.TlsConfig.newBuilder().trustedCertificates(ca.certificatePem()).build());
        try (var ssl = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(at.getAddress(), at.getPort())) {
            RawWsPeer peer = new RawWsPeer(ssl);
            peer.write(RawWsPeer.request("/")); // no sip subprotocol
            assertTrue(peer.untilClosed().startsWith("HTTP/1.1 400 "));
        }
        assertEquals(Reason.NO_SIP_SUBPROTOCOL,
                assertInstanceOf(WebSocketHandshakeException.class, events.await(ConnectionEvent.Failed.class).cause()).reason());
        eventually(() -> server.stats().sockets() == 1, "only the listener left");
    }

    @Test
    void framesSentRightAfterTheRequestAreNotLost() throws Exception {
        Events events = Events.answering();
        Transport server = open("ws", events);
        RawWsPeer peer = raw(listen(server));
        // One write: the request head, then a SIP message in a masked text frame.
        byte[] payload = optionsBytes("early");
        byte[] frame = new byte[FrameEncoder.headerLength(payload.length, true) + payload.length];
        int header = FrameEncoder.writeHeader(frame, 0, FrameEncoder.TEXT, true, payload.length, true, 0x01020304);
        FrameEncoder.mask(payload, 0, frame, header, payload.length, 0x01020304, 0);
        byte[] head = RawWsPeer.request("/", "Sec-WebSocket-Protocol: sip").getBytes(StandardCharsets.US_ASCII);
        byte[] both = new byte[head.length + frame.length];
        System.arraycopy(head, 0, both, 0, head.length);
        System.arraycopy(frame, 0, both, head.length, frame.length);
        peer.write(both);
        assertTrue(peer.head().startsWith("HTTP/1.1 101"));
        assertEquals("early", ((sip.message.SipRequest) events.message().message()).callId());
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
    }

    @Test
    void aClientClosingBeforeItsRequestEndsIsAFailedHandshake() throws Exception {
        Events events = Events.recording();
        Transport server = open("ws", events);
        RawWsPeer peer = raw(listen(server));
        peer.write("GET / HTTP/1.1\r\n");
        peer.close();
        ConnectionEvent.Failed failed = events.await(ConnectionEvent.Failed.class);
        assertEquals(Reason.MALFORMED_REQUEST, assertInstanceOf(WebSocketHandshakeException.class, failed.cause()).reason());
    }

    @Test
    void headsAreReadWhateverTheirCase() throws IOException {
        HttpHead head = HttpHead.read(new java.io.ByteArrayInputStream(("GET / HTTP/1.1\r\nHOST: a\r\nupgrade: WebSocket\r\n"
                + "Connection: keep-alive, Upgrade\r\nsec-websocket-version: 13\r\nSec-WebSocket-Key: " + RawWsPeer.KEY
                + "\r\nSec-WebSocket-Protocol: sip\r\n\r\nrest").getBytes(StandardCharsets.US_ASCII)));
        assertTrue(ServerHandshake.answer(head, WebSocketConfig.defaults()).accepted());
        assertEquals("rest", new String(head.rest(), StandardCharsets.US_ASCII));
    }
}
