package sip.transport.tls.internal;

import sip.testkit.TestCertificateAuthority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Protocol;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TlsConfig.ClientAuth;
import sip.transport.spi.TlsException;
import sip.transport.spi.TlsException.Failure;
import sip.transport.spi.Transport;
import sip.transport.tcp.internal.StreamSockets;
import sip.transport.tcp.internal.StreamTransport;

/**
 * Client certificates, in both versions: TLS 1.2 refuses a client inside the handshake, TLS 1.3
 * after the client's side of it is done (the client learns it from the verdict wait).
 */
class MutualTlsTest extends TlsFixture {

    private Recorder serverSide;

    private InetSocketAddress serve(ClientAuth auth, String version) throws Exception {
        serverSide = Recorder.answering();
        Transport t = open(serverTls().clientAuth(auth).protocols(version).build(), serverSide);
        return listen(t);
    }

    private static TlsConfig.Builder withClientCertificate(TestCertificateAuthority.Issued certificate) {
        return clientTls().certificate(certificate.chain(), certificate.key8());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void requiredCertificatePresentedAndSeenByTheServer(String version) throws Exception {
        InetSocketAddress address = serve(ClientAuth.NEED, version);
        Recorder clientSide = Recorder.quiet();
        Connection c = open(withClientCertificate(client).build(), clientSide).connect(address, "sip.test");

        ConnectionEvent.Opened opened = serverSide.event(ConnectionEvent.Opened.class);
        SSLSession session = opened.connection().tlsSession().orElseThrow();
        assertEquals(version, session.getProtocol());
        assertEquals(client.certificate(), session.getPeerCertificates()[0], "RFC 5922 §7.3 material");
        c.send(options("mtls-" + version));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void requiredCertificateMissingFailsBothSides(String version) throws Exception {
        InetSocketAddress address = serve(ClientAuth.NEED, version);
        Transport clientTransport = open(clientTls().build(), Recorder.quiet());

        TlsException e = assertThrows(TlsException.class, () -> clientTransport.connect(address, "sip.test"));
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, e.failure(), e.getMessage());
        ConnectionEvent.Failed failed = serverSide.event(ConnectionEvent.Failed.class);
        TlsException serverError = assertInstanceOf(TlsException.class, failed.cause());
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, serverError.failure(), serverError.getMessage());
        assertTrue(serverError.getMessage().contains("sent no client certificate"), serverError.getMessage());
        assertEquals(0, clientTransport.stats().sockets());
        assertEquals(0, clientTransport.stats().connections());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void certificateFromAnUntrustedCaIsRejected(String version) throws Exception {
        InetSocketAddress address = serve(ClientAuth.NEED, version);
        Transport clientTransport = open(withClientCertificate(foreign).build(), Recorder.quiet());

        TlsException e = assertThrows(TlsException.class, () -> clientTransport.connect(address, "sip.test"));
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, e.failure(), e.getMessage());
        ConnectionEvent.Failed failed = serverSide.event(ConnectionEvent.Failed.class);
        TlsException serverError = assertInstanceOf(TlsException.class, failed.cause());
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, serverError.failure(), serverError.getMessage());
        // A JDK client offers only a certificate whose issuer the server names as acceptable, so the
        // server sees none rather than an untrusted one; either way the client is refused.
        assertTrue(serverError.getMessage().contains("sent no client certificate")
                || serverError.getMessage().contains("not signed by a trusted CA"), serverError.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void wantedCertificateMayBeMissing(String version) throws Exception {
        InetSocketAddress address = serve(ClientAuth.WANT, version);
        Recorder clientSide = Recorder.quiet();
        Connection c = open(clientTls().build(), clientSide).connect(address, "sip.test");
        c.send(options("want-" + version));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());

        SSLSession session = serverSide.event(ConnectionEvent.Opened.class).connection().tlsSession().orElseThrow();
        assertThrows(SSLPeerUnverifiedException.class, session::getPeerCertificates);
        assertFalse(serverSide.events.stream().anyMatch(ConnectionEvent.Failed.class::isInstance));
    }

    /**
     * The verdict wait (twice the handshake's time) is not counted in the handshake timeout: with a
     * server that takes 40 % of it to answer, a wait inside the deadline would run into it and fail
     * a handshake that succeeded (as TIMEOUT, or by handing over a socket the deadline closes).
     */
    @Test
    void aSlowHandshakeLeavesTheVerdictWaitItsOwnTimeAndTheConnectionWorks() throws Exception {
        Duration handshakeTimeout = Duration.ofSeconds(3);
        Duration latency = Duration.ofMillis(1200);
        serverSide = Recorder.answering();
        TlsSockets tls = TlsSockets.create(serverTls().clientAuth(ClientAuth.WANT).protocols("TLSv1.3").build());
        InetSocketAddress address = listen(track(new StreamTransport(Protocol.TLS,
                config(serverTls().build(), b -> b), serverSide, new SlowToAnswer(tls, latency))));
        Recorder clientSide = Recorder.quiet();
        Transport client = open(clientTls().build(), clientSide, b -> b.handshakeTimeout(handshakeTimeout));

        Connection c = client.connect(address, "sip.test");
        SSLSession session = c.tlsSession().orElseThrow();
        assertEquals("TLSv1.3", session.getProtocol());
        c.send(options("slow-verdict"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
        assertTrue(c.isOpen());
        assertEquals(0, client.stats().failed());
    }

    @Test
    void aServerTricklingARecordCannotHoldTheVerdictWaitOpenForEver() throws Exception {
        Duration handshakeTimeout = Duration.ofSeconds(2);
        serverSide = Recorder.quiet();
        TlsSockets tls = TlsSockets.create(serverTls().clientAuth(ClientAuth.WANT).protocols("TLSv1.3").build());
        InetSocketAddress address = listen(track(new StreamTransport(Protocol.TLS,
                config(serverTls().build(), b -> b), serverSide, new TricklingAfterHandshake(tls))));
        Recorder clientSide = Recorder.quiet();
        Transport client = open(clientTls().build(), clientSide, b -> b.handshakeTimeout(handshakeTimeout));

        long started = System.nanoTime();
        TlsException e = assertThrows(TlsException.class, () -> client.connect(address, "sip.test"));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(Failure.PROTOCOL, e.failure(), e.getMessage());
        // Bounded by the whole-wait deadline (2 x a quarter of the handshake timeout + 100 ms), not by
        // the ~27 minutes a 16 KiB record trickled a byte per 100 ms would take; generous for CI.
        assertTrue(tookMillis < 30_000, "connect took " + tookMillis + " ms");
        assertEquals(0, client.stats().connections());
        assertEquals(0, client.stats().sockets());
    }

    /**
     * A server that, once the handshake is done, starts a 16 KiB application-data record and sends
     * its bytes one every 100 ms on the raw socket: each read of the client sees progress, so only a
     * deadline on the whole wait ends it.
     */
    private record TricklingAfterHandshake(TlsSockets tls) implements StreamSockets {

        @Override
        public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
            return tls.bind(local, backlog);
        }

        @Override
        public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
            Socket ssl = tls.accepted(raw, handshakeTimeout);
            Thread.ofVirtual().start(() -> {
                try {
                    var out = raw.getOutputStream();
                    out.write(new byte[] {0x17, 0x03, 0x03, 0x40, 0x00});
                    while (!raw.isClosed()) {
                        LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the trickle's pace
                        out.write(0x42);
                        out.flush();
                    }
                } catch (IOException closed) {
                    // the client gave up: the point of the test
                }
            });
            return ssl;
        }

        @Override
        public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
                Duration handshakeTimeout) throws IOException {
            return tls.connect(remote, serverName, connectTimeout, handshakeTimeout);
        }
    }

    /** A server that lets the client's hello wait before it answers, like one far away or busy. */
    private record SlowToAnswer(TlsSockets tls, Duration latency) implements StreamSockets {

        @Override
        public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
            return tls.bind(local, backlog);
        }

        @Override
        public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
            long until = System.nanoTime() + latency.toNanos(); // latency to simulate, not a synchronisation
            for (long left = latency.toNanos(); left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            return tls.accepted(raw, handshakeTimeout);
        }

        @Override
        public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
                Duration handshakeTimeout) throws IOException {
            return tls.connect(remote, serverName, connectTimeout, handshakeTimeout);
        }
    }
}
