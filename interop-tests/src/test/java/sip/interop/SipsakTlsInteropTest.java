package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;

/**
 * sipsak (Debian, linked with GnuTLS: an independent TLS stack) sends OPTIONS over TLS 1.2 to
 * {@link MinimalResponder}: a trusted server certificate gets the 200 through, an untrusted one is
 * refused by sipsak, and a server requiring a client certificate refuses sipsak, which has none.
 * (sipsak's {@code --tls-client-cert} never loads a private key, so it cannot do mutual TLS; the
 * accepting side of mutual TLS is proven Java to Java in {@code sip.transport.tls}.)
 */
class SipsakTlsInteropTest {

    private static final long PEER_TIMEOUT_S = 30;

    @TempDir
    static Path pki;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority otherCa;
    static TestCertificateAuthority.Issued server;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificateAuthority.create(pki, "interop-ca");
        otherCa = TestCertificateAuthority.create(pki, "other-ca");
        server = ca.server("server");
    }

    private static TransportConfig tls(TlsConfig.ClientAuth clientAuth) {
        return TransportConfig.newBuilder()
                .handshakeTimeout(Duration.ofSeconds(5))
                .tls(TlsConfig.newBuilder()
                        .certificate(server.chain(), server.key8())
                        .trustedCertificates(ca.certificatePem())
                        .clientAuth(clientAuth)
                        // sipsak 0.9.8.1 takes a TLS 1.3 NewSessionTicket for the answer and gives
                        // up ("select returned error"), against any TLS 1.3 server (openssl
                        // s_server too); over TLS 1.2 it works.
                        .protocols("TLSv1.2")
                        .build())
                .build();
    }

    @Test
    void optionsOverTlsIsAnswered() throws Exception {
        try (MinimalResponder responder = new MinimalResponder("tls", tls(TlsConfig.ClientAuth.NONE))) {
            Peers.Run run = sipsak(responder, ca.certificatePem());
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("200 OK"), run.output());
            assertEquals(1, responder.received("OPTIONS"));
            responder.awaitDrained();
            assertEquals(1, responder.transport().stats().accepted());
        }
    }

    @Test
    void sipsakRefusesAServerItDoesNotTrust() throws Exception {
        try (MinimalResponder responder = new MinimalResponder("tls", tls(TlsConfig.ClientAuth.NONE))) {
            Peers.Run run = sipsak(responder, otherCa.certificatePem());
            assertNotEquals(0, run.exitCode(), run.output());
            assertEquals(0, responder.received("OPTIONS"));
            responder.awaitDrained();
            // GnuTLS checks the chain after its side of the handshake is done, so the server may
            // have counted the connection as accepted before sipsak hung up: either way, once.
            TransportStats stats = responder.transport().stats();
            assertEquals(1, stats.accepted() + stats.failed(), stats.toString());
        }
    }

    @Test
    void mutualTlsRefusesSipsakWithoutACertificate() throws Exception {
        try (MinimalResponder responder = new MinimalResponder("tls", tls(TlsConfig.ClientAuth.NEED))) {
            Peers.Run run = sipsak(responder, ca.certificatePem());
            assertNotEquals(0, run.exitCode(), run.output());
            assertEquals(0, responder.received("OPTIONS"));
            responder.awaitDrained();
            assertTrue(responder.transport().stats().failed() >= 1, responder.transport().stats().toString());
            assertEquals(0, responder.transport().stats().accepted());
        }
    }

    private Peers.Run sipsak(MinimalResponder responder, Path trusted) throws Exception {
        Path sipsak = Peers.require("sipsak");
        // The port goes in -r: sipsak 0.9.8 checks the certificate against the URI's "host:port"
        // string when the port is in the URI, which no certificate can match.
        List<String> cmd = new ArrayList<>(List.of(sipsak.toString(), "-vvv",
                "--transport=tls", "--tls-ca-cert=" + trusted,
                "-s", "sip:parley@127.0.0.1", "-r", String.valueOf(responder.port())));
        return Peers.run(dir, PEER_TIMEOUT_S, cmd);
    }

}
