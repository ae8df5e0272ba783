package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;
import sip.transport.ws.WebSocketConfig;

/**
 * Opens WS and WSS transports through {@link Transports} (the provider found as any other) and
 * raw peers for a test, closes them after it and checks every live count is back at zero. WSS
 * uses a CA and a {@code sip.test} server certificate (also for 127.0.0.1) made per test class.
 */
abstract class WsTestBase {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    static Path dir;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority.Issued server;

    private final List<Transport> transports = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        ca = TestCertificateAuthority.create(dir, "ca");
        server = ca.server("server");
    }

    /** Server and client TLS in one: the server certificate, trusting the CA. */
    static TlsConfig tls() {
        return TlsConfig.newBuilder().certificate(server.chain(), server.key8()).trustedCertificates(ca.certificatePem())
                .build();
    }

    Transport open(String protocol, Events handler) throws IOException {
        return open(protocol, handler, b -> b);
    }

    Transport open(String protocol, Events handler, UnaryOperator<TransportConfig.Builder> settings) throws IOException {
        TransportConfig.Builder b = TransportConfig.newBuilder().handshakeTimeout(Duration.ofSeconds(5));
        if (protocol.equals("wss")) {
            b.tls(tls());
        }
        Transport t = Transports.open(protocol, settings.apply(b).build(), handler);
        transports.add(t);
        return t;
    }

    static UnaryOperator<TransportConfig.Builder> ws(WebSocketConfig config) {
        return b -> b.extension(WebSocketConfig.class, config);
    }

    static InetSocketAddress listen(Transport t) throws IOException {
        return t.listen(LOOPBACK).localAddress();
    }

    RawWsPeer raw(InetSocketAddress to) throws IOException {
        RawWsPeer peer = RawWsPeer.connect(to);
        resources.add(peer);
        return peer;
    }

    @AfterEach
    void closeAndCheckCounts() throws Exception {
        for (Transport t : transports) {
            t.close();
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
        for (Transport t : transports) {
            TransportStats s = t.stats();
            assertEquals(0, s.sockets(), () -> "sockets after close: " + s);
            assertEquals(0, s.connections(), () -> "connections after close: " + s);
            assertEquals(0, s.listeners(), () -> "listeners after close: " + s);
        }
    }

    /** Polls {@code condition} (a count) until it holds, for at most the events' wait. */
    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Events.WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + Events.WAIT_SECONDS + " s: " + what);
            }
            LockSupport.parkNanos(2_000_000); // polling a count, not synchronising on an event
        }
    }

    /** An OPTIONS request as a WebSocket client (a browser) writes it. */
    static String options(String callId) {
        return "OPTIONS sip:sip.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@sip.test>;tag=1\r\n"
                + "To: <sip:sip.test>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static byte[] optionsBytes(String callId) {
        return options(callId).getBytes(StandardCharsets.US_ASCII);
    }
}
