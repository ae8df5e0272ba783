package sip.interop.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;

/**
 * RFC 5626 keep-alive over WebSocket with a real browser: Chrome cannot send WebSocket pings, so a
 * browser phone keeps its connection up with CRLFCRLF inside a message (SIP.js does; JsSIP sends
 * none). Two sockets of the page, subprotocol {@code sip}, to a WSS transport with a 3 s idle
 * timeout: the one pinging every second gets a CRLF pong for each ping and outlives the timeout
 * several times over; the silent one is closed by the server (close 1001, counted as timed out).
 * Then JsSIP's own WebSocket, with pings sent on it and after they stop.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrowserKeepAliveInteropTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final int PING_EVERY_MS = 1000;
    /**
     * Pongs the pinging socket must get: 12 s of pings, past the idle timeout several times and
     * past the message read timeout (10 s by default), within which an inbound connection must
     * send its first SIP message (keep-alives do not count: StreamConnection's first-message rule).
     */
    private static final int PONGS = 12;

    @TempDir
    Path dir;
    private final Server server = new Server();
    private Transport wss;
    private String url;
    private BrowserPhone phone;

    /** Answers a REGISTER 200 (its Contact echoed, as JsSIP expects) and remembers why each connection closed. */
    private static final class Server implements InboundHandler {
        private final List<CloseReason> reasons = new ArrayList<>();

        @Override
        public void onMessage(Connection connection, SipMessage message) {
            if (message instanceof SipRequest r && r.method().equals(Method.REGISTER)) {
                try {
                    connection.send(SipResponse.builder(r, 200)
                            .addHeader(StandardHeader.CONTACT, r.header(StandardHeader.CONTACT).orElseThrow()).build());
                } catch (IOException gone) {
                    // The browser closed first: its wait for "registered" says so.
                }
            }
            // Anything else (the raw sockets' OPTIONS) only has to arrive.
        }

        @Override
        public synchronized void onEvent(ConnectionEvent event) {
            if (event instanceof ConnectionEvent.Closed closed) {
                reasons.add(closed.reason());
            }
        }

        synchronized List<CloseReason> reasons() {
            return List.copyOf(reasons);
        }
    }

    @BeforeEach
    void open() throws Exception {
        TestCertificateAuthority.Issued certificate = TestCertificateAuthority.create(dir, "keepalive-ca").server("server");
        TransportConfig config = TransportConfig.newBuilder()
                .idleTimeout(IDLE_TIMEOUT)
                .tls(TlsConfig.newBuilder().certificate(certificate.chain(), certificate.key8()).build())
                .build();
        wss = Transports.open("wss", config, server);
        url = "wss://127.0.0.1:" + wss.listen(new InetSocketAddress("127.0.0.1", 0)).localAddress().getPort();
        phone = BrowserPhone.launch(dir);
    }

    @AfterEach
    void close() throws Exception {
        if (phone != null) {
            System.out.println(phone.diagnostics());
            phone.close();
        }
        if (wss != null) {
            wss.close();
        }
    }

    @Test
    void pingingBrowserSocketOutlivesTheIdleTimeoutAndASilentOneIsClosed() throws Exception {
        phone.send("openSocket", "id", "pinging", "url", url, "pingEveryMs", PING_EVERY_MS, "firstMessage", options("pinging"));
        phone.send("openSocket", "id", "silent", "url", url, "pingEveryMs", 0, "firstMessage", options("silent"));
        assertEquals("sip", phone.await("socketOpen").text("protocol"), "the server answered subprotocol sip");
        phone.await("socketOpen");

        BrowserEvent silentClosed = phone.await("socketClose", IDLE_TIMEOUT.plusSeconds(10));
        assertEquals("silent", silentClosed.text("id"), "the pinging socket stays\n" + phone.diagnostics());
        assertEquals(1001, silentClosed.number("code"), "going away, as for an idle timeout\n" + silentClosed.line());
        long silentFor = silentClosed.number("at") - openedAt(phone, "silent");
        assertTrue(silentFor >= IDLE_TIMEOUT.toMillis() - 100, "closed only after the idle timeout: " + silentFor + " ms");

        for (int i = 0; i < PONGS; i++) {
            BrowserEvent pong = phone.await("socketPong", Duration.ofSeconds(10));
            assertEquals("pinging", pong.text("id"), pong.line());
        }
        assertEquals(1, phone.events(e -> e.name().equals("socketClose")).size(),
                "the pinging socket is still open after " + PONGS + " pongs\n" + phone.diagnostics());
        TransportStats stats = wss.stats();
        assertEquals(2, stats.messagesIn(), "each socket's first message: " + stats);
        assertEquals(1, stats.timedOut(), stats.toString());
        assertEquals(1, stats.connections(), stats.toString());
        assertTrue(stats.keepAlives() >= PONGS, stats.toString());
        assertEquals(List.of(CloseReason.IDLE), server.reasons());

        phone.send("closeSocket", "id", "pinging");
        BrowserEvent pingingClosed = phone.await("socketClose");
        assertEquals(1000, pingingClosed.number("code"), "the server answered the browser's close\n" + pingingClosed.line());
        assertEquals(Boolean.TRUE, pingingClosed.fields().get("wasClean"), pingingClosed.line());
        assertEquals(0, awaitStats(wss, s -> s.connections() == 0).connections(), "live counts back to zero");
    }

    /** JsSIP's own connection: up while it pings on its socket, closed by the server once it stops. */
    @Test
    void jsSipConnectionStaysUpWhilePingingAndIsClosedWhenItStops() throws Exception {
        phone.send("start", "uri", "sip:alice@127.0.0.1", "ws", url);
        long connectedAt = phone.await("connected").number("at");
        // Its first SIP message, as JsSIP sends it at once in real life.
        phone.send("register");
        phone.await("registered");
        phone.send("keepAlive", "everyMs", PING_EVERY_MS);
        for (int i = 0; i < PONGS; i++) {
            phone.await("keepAliveSent", Duration.ofSeconds(10));
        }
        assertEquals(List.of(), phone.events(e -> e.name().equals("disconnected")),
                "JsSIP's connection is still up after " + PONGS + " pings");
        // The page reports a ping sent before the server has read and counted it: wait for the count.
        TransportStats pinging = awaitStats(wss, s -> s.keepAlives() >= PONGS);
        assertEquals(0, pinging.timedOut(), pinging.toString());
        assertTrue(pinging.keepAlives() >= PONGS, pinging.toString());

        phone.send("keepAlive", "everyMs", 0);
        BrowserEvent disconnected = phone.await("disconnected", IDLE_TIMEOUT.plusSeconds(10));
        assertEquals(1001, disconnected.number("code"), disconnected.line());
        assertTrue(disconnected.number("at") - connectedAt > IDLE_TIMEOUT.toMillis() * 2, "it was up past the idle timeout");
        assertEquals(1, awaitStats(wss, s -> s.timedOut() == 1).timedOut(), wss.stats().toString());
        assertEquals(CloseReason.IDLE, server.reasons().getFirst(), "idle once the pings stopped: " + server.reasons());
    }

    /** An OPTIONS as a browser sends it over its WebSocket (the Via host is {@code .invalid}). */
    private static String options(String id) {
        return String.join("\r\n", "OPTIONS sip:127.0.0.1 SIP/2.0",
                "Via: SIP/2.0/WSS " + id + ".invalid;branch=z9hG4bK-" + id,
                "From: <sip:" + id + "@" + id + ".invalid>;tag=" + id,
                "To: <sip:127.0.0.1>",
                "Call-ID: keepalive-" + id,
                "CSeq: 1 OPTIONS",
                "Max-Forwards: 70",
                "Content-Length: 0", "", "");
    }

    private static long openedAt(BrowserPhone phone, String id) {
        return phone.events(e -> e.name().equals("socketOpen") && id.equals(e.text("id"))).getFirst().number("at");
    }

    /** The stats once {@code condition} holds, polled for up to 5 s. */
    private static TransportStats awaitStats(Transport transport, Predicate<TransportStats> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        TransportStats stats = transport.stats();
        while (!condition.test(stats) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);   // polling a counter with a deadline, not waiting for an event
            stats = transport.stats();
        }
        return stats;
    }
}
