package sip.transport.tls.internal;

import sip.testkit.TestCertificateAuthority;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import sip.transport.spi.Listener;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;

/**
 * What the socket-level TLS tests share: one PKI made per test class (a CA, a server certificate
 * for {@code sip.test}, 127.0.0.1 and ::1, an expired one, one from another CA, a client
 * certificate), transports opened through {@link Transports} and closed after each test, which
 * then must have no socket and no connection left.
 */
abstract class TlsFixture {

    @TempDir
    static Path dir;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority otherCa;
    static TestCertificateAuthority.Issued server;
    static TestCertificateAuthority.Issued expired;
    static TestCertificateAuthority.Issued foreign;
    static TestCertificateAuthority.Issued client;

    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        ca = TestCertificateAuthority.create(dir, "ca");
        otherCa = TestCertificateAuthority.create(dir, "other-ca");
        server = ca.server("server");
        expired = ca.issue("expired", TestCertificateAuthority.spec("sip.test").dns("sip.test").ip("127.0.0.1").expired());
        foreign = otherCa.server("foreign");
        client = ca.issue("client", TestCertificateAuthority.spec("client.test").dns("client.test").uri("sip:client.test"));
    }

    /** A server config: the {@code sip.test} certificate (PEM), trusting the CA for client certificates. */
    static TlsConfig.Builder serverTls() {
        return TlsConfig.newBuilder().certificate(server.chain(), server.key8()).trustedCertificates(ca.certificatePem());
    }

    /** A client config trusting the CA. */
    static TlsConfig.Builder clientTls() {
        return TlsConfig.newBuilder().trustedCertificates(ca.certificatePem());
    }

    Transport open(TlsConfig tls, Recorder handler) throws IOException {
        return open(tls, handler, b -> b);
    }

    Transport open(TlsConfig tls, Recorder handler, UnaryOperator<TransportConfig.Builder> settings)
            throws IOException {
        TransportConfig config = config(tls, settings);
        return track(Transports.open("tls", config, handler));
    }

    /** Closes {@code t} after the test and checks it has nothing left. */
    <T extends Transport> T track(T t) {
        transports.add(t);
        return t;
    }

    /** A config as {@link #open} makes it, for a transport made directly. */
    static TransportConfig config(TlsConfig tls, UnaryOperator<TransportConfig.Builder> settings) {
        return settings.apply(TransportConfig.newBuilder().tls(tls).handshakeTimeout(Duration.ofSeconds(5))).build();
    }

    static InetSocketAddress listen(Transport t) throws IOException {
        Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0));
        return l.localAddress();
    }

    static byte[] options(String callId) {
        return ("OPTIONS sip:sip.test SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS client.test;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@client.test>;tag=1\r\n"
                + "To: <sip:sip.test>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Polls {@code stats} until its live connection count is {@code connections} and sockets {@code sockets}. */
    static void awaitCounts(Transport t, int sockets, int connections) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Recorder.WAIT_SECONDS);
        TransportStats s = t.stats();
        while ((s.sockets() != sockets || s.connections() != connections) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10); // polling a count with a deadline, not synchronising
            s = t.stats();
        }
        assertEquals(sockets, s.sockets(), "sockets: " + s);
        assertEquals(connections, s.connections(), "connections: " + s);
    }

    @AfterEach
    void closeAndCheckNothingIsLeft() throws InterruptedException {
        for (Transport t : transports) {
            t.close();
        }
        for (Transport t : transports) {
            awaitCounts(t, 0, 0);
            assertEquals(0, t.stats().listeners(), "listeners");
        }
    }
}
