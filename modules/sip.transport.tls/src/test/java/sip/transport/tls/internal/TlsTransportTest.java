package sip.transport.tls.internal;

import sip.testkit.TestCertificateAuthority;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Protocol;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TlsConfig.KeySource;
import sip.transport.spi.TlsConfig.TrustSource;
import sip.transport.spi.TlsException;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;
import sip.transport.spi.Transports;

/** The tls provider end to end on loopback: discovery, configuration forms, versions, keep-alive. */
class TlsTransportTest extends TlsFixture {

    @Test
    void discoveredThroughTheSpi() {
        TransportProvider provider = Transports.provider("tls");
        assertInstanceOf(TlsTransportProvider.class, provider);
        assertEquals(Set.of(Protocol.TLS), provider.protocols());
        assertEquals(Protocol.TLS, Transports.protocol("TLS"));
    }

    @Test
    void openWithoutTlsSettingsSaysWhatIsMissing() {
        IOException e = assertThrows(IOException.class,
                () -> Transports.open("tls", TransportConfig.defaults(), Recorder.quiet()));
        assertTrue(e.getMessage().startsWith("tls transport needs TransportConfig.tls(...)"), e.getMessage());
    }

    @Test
    void openWithAnUnreadableCertificateNamesTheFile() {
        Path missing = dir.resolve("missing.pem");
        TlsConfig tls = TlsConfig.newBuilder().certificate(missing, server.key8()).build();
        IOException e = assertThrows(IOException.class, () -> open(tls, Recorder.quiet()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void listeningWithoutACertificateIsRefused() throws IOException {
        Transport t = open(clientTls().build(), Recorder.quiet());
        IOException e = assertThrows(IOException.class, () -> listen(t));
        assertTrue(e.getMessage().startsWith("a tls listener needs a certificate and key"), e.getMessage());
        assertEquals(0, t.stats().sockets());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pem", "encrypted-pem", "pkcs12"})
    void requestAndResponseBothWays(String form) throws Exception {
        KeySource key = switch (form) {
            case "pem" -> new KeySource.Pem(server.chain(), server.key8(), Optional.empty());
            case "encrypted-pem" -> new KeySource.Pem(server.chain(), server.encryptedKey8(),
                    Optional.of(TestCertificateAuthority.PASSWORD));
            default -> new KeySource.Pkcs12(server.pkcs12(), TestCertificateAuthority.PASSWORD);
        };
        TrustSource trust = form.equals("pkcs12") ? new TrustSource.Pkcs12(ca.trustStore(), TestCertificateAuthority.PASSWORD)
                : new TrustSource.Pem(ca.certificatePem());
        Recorder serverSide = Recorder.answering();
        Transport serverTransport = open(TlsConfig.newBuilder().keySource(key).build(), serverSide);
        InetSocketAddress address = listen(serverTransport);
        Recorder clientSide = Recorder.quiet();
        Transport clientTransport = open(TlsConfig.newBuilder().trustSource(trust).build(), clientSide);

        Connection c = clientTransport.connect(address, "sip.test");
        assertEquals(Protocol.TLS, c.protocol());
        assertTrue(c.protocol().secure());
        c.send(options("both-ways-" + form));

        Recorder.Received request = serverSide.message();
        assertEquals("both-ways-" + form, request.message().callId());
        assertTrue(request.connection().inbound());
        assertEquals(request.connection().remoteAddress(), c.localAddress());
        Recorder.Received response = clientSide.message();
        assertEquals(200, assertInstanceOf(SipResponse.class, response.message()).statusCode());
        assertSame(c, response.connection());

        SSLSession session = c.tlsSession().orElseThrow();
        assertEquals("TLSv1.3", session.getProtocol());
        assertEquals(server.certificate(), session.getPeerCertificates()[0]);
        assertEquals(1, clientTransport.stats().connections());
        assertEquals(1, serverTransport.stats().connections());
        assertSame(c, clientTransport.connect(address, "sip.test"), "reused (RFC 3261 §18.1.1)");
    }

    @Test
    void serverSendsARequestBackOverTheSameFlow() throws Exception {
        Recorder serverSide = Recorder.quiet();
        Transport serverTransport = open(serverTls().build(), serverSide);
        InetSocketAddress address = listen(serverTransport);
        Recorder clientSide = Recorder.answering();
        Transport clientTransport = open(clientTls().build(), clientSide);
        Connection c = clientTransport.connect(address, "sip.test");
        c.send(options("register-like"));
        Connection inbound = serverSide.message().connection();

        inbound.send(options("back"));
        SipRequest back = assertInstanceOf(SipRequest.class, clientSide.message().message());
        assertEquals("back", back.callId());
        assertEquals(200, assertInstanceOf(SipResponse.class, serverSide.message().message()).statusCode());
        assertSame(inbound, serverTransport.find(inbound.flow()).orElseThrow());
    }

    @Test
    void tls12OnlyPeersAgreeOnTls12() throws Exception {
        Transport serverTransport = open(serverTls().protocols("TLSv1.2").build(), Recorder.answering());
        InetSocketAddress address = listen(serverTransport);
        Recorder clientSide = Recorder.quiet();
        Transport clientTransport = open(clientTls().build(), clientSide);
        Connection c = clientTransport.connect(address, "sip.test");
        assertEquals("TLSv1.2", c.tlsSession().orElseThrow().getProtocol());
        c.send(options("tls12"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
    }

    @Test
    void tls13OnlyPeersAgreeOnTls13() throws Exception {
        Transport serverTransport = open(serverTls().protocols("TLSv1.3").build(), Recorder.answering());
        InetSocketAddress address = listen(serverTransport);
        Recorder clientSide = Recorder.quiet();
        Transport clientTransport = open(clientTls().protocols("TLSv1.3").build(), clientSide);
        Connection c = clientTransport.connect(address, "sip.test");
        assertEquals("TLSv1.3", c.tlsSession().orElseThrow().getProtocol());
        c.send(options("tls13"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
    }

    @Test
    void noCommonVersionFailsBothSides() throws Exception {
        Recorder serverSide = Recorder.quiet();
        Transport serverTransport = open(serverTls().protocols("TLSv1.3").build(), serverSide);
        InetSocketAddress address = listen(serverTransport);
        Recorder clientSide = Recorder.quiet();
        Transport clientTransport = open(clientTls().protocols("TLSv1.2").build(), clientSide);

        TlsException e = assertThrows(TlsException.class, () -> clientTransport.connect(address, "sip.test"));
        assertEquals(TlsException.Failure.PROTOCOL, e.failure());
        assertTrue(e.getMessage().contains(address.getPort() + " (sip.test)"), e.getMessage());
        ConnectionEvent.Failed failed = serverSide.event(ConnectionEvent.Failed.class);
        assertTrue(failed.inbound());
        assertEquals(TlsException.Failure.PROTOCOL, assertInstanceOf(TlsException.class, failed.cause()).failure());
        ConnectionEvent.Failed clientFailed = clientSide.event(ConnectionEvent.Failed.class);
        assertFalse(clientFailed.inbound());
        assertEquals(1, clientTransport.stats().failed());
        awaitCounts(serverTransport, 1, 0); // the listener only
        assertEquals(0, clientTransport.stats().sockets());
    }

    @Test
    void sniCarriesTheDomainButNeverAnIpAddress() throws Exception {
        Recorder serverSide = Recorder.answering();
        Transport serverTransport = open(serverTls().build(), serverSide);
        InetSocketAddress address = listen(serverTransport);
        Transport byName = open(clientTls().build(), Recorder.quiet());
        byName.connect(address, "SIP.test.").send(options("sni-name"));
        ExtendedSSLSession named = (ExtendedSSLSession) serverSide.message().connection().tlsSession().orElseThrow();
        assertEquals(List.of(new SNIHostName("sip.test")), named.getRequestedServerNames());

        Transport byAddress = open(clientTls().build(), Recorder.quiet());
        byAddress.connect(address, "127.0.0.1").send(options("sni-ip"));
        ExtendedSSLSession unnamed = (ExtendedSSLSession) serverSide.message().connection().tlsSession().orElseThrow();
        assertEquals(List.of(), unnamed.getRequestedServerNames(), "RFC 6066 §3: no IP literal in SNI");
    }

    @Test
    void readyMadeContextServesBothSides() throws Exception {
        SSLContext serverContext = SslContexts.create(serverTls().build());
        Transport serverTransport = open(TlsConfig.newBuilder().sslContext(serverContext).build(),
                Recorder.answering());
        InetSocketAddress address = listen(serverTransport);
        SSLContext clientContext = SslContexts.create(clientTls().build());
        Recorder clientSide = Recorder.quiet();
        Transport clientTransport = open(TlsConfig.newBuilder().sslContext(clientContext).build(), clientSide);
        clientTransport.connect(address, "sip.test").send(options("ready-made"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
        assertThrows(TlsException.class, () -> clientTransport.connect(address, "other.test"),
                "the identity check applies to a ready-made context too");
    }

    @Test
    void keepAlivePingIsAnsweredOverTls() throws Exception {
        Transport serverTransport = open(serverTls().build(), Recorder.quiet());
        InetSocketAddress address = listen(serverTransport);
        // A bare TLS socket, so the pong bytes themselves can be seen.
        TlsConfig tls = clientTls().build();
        TlsSockets sockets = TlsSockets.create(tls);
        try (Socket secured = sockets.connect(address, "sip.test", Duration.ofSeconds(5), Duration.ofSeconds(5)).stream()) {
            assertInstanceOf(SSLSocket.class, secured);
            secured.setSoTimeout((int) Duration.ofSeconds(Recorder.WAIT_SECONDS).toMillis());
            secured.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            secured.getOutputStream().flush();
            InputStream in = secured.getInputStream();
            assertArrayEquals(new byte[] {'\r', '\n'}, in.readNBytes(2), "RFC 5626 §4.4.1 pong");
            assertEquals(1, serverTransport.stats().keepAlives());
        }
        awaitCounts(serverTransport, 1, 0);
    }

    @Test
    void ipv6LoopbackMatchesTheIpAddressName() throws Exception {
        Transport serverTransport = open(serverTls().build(), Recorder.answering());
        InetSocketAddress address;
        try {
            address = serverTransport.listen(new InetSocketAddress("::1", 0)).localAddress();
        } catch (IOException noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6.getMessage());
            return;
        }
        Recorder clientSide = Recorder.quiet();
        Transport clientTransport = open(clientTls().build(), clientSide);
        Connection c = clientTransport.connect(address); // no server name: checked against ::1
        c.send(options("v6"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
    }
}
