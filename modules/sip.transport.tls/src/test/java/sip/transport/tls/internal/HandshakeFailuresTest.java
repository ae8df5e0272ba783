package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import sip.transport.spi.TlsException;
import sip.transport.spi.TlsException.Failure;

/** The mapping of what JSSE throws (as JDK 25 words it) to a failure kind, on each side. */
class HandshakeFailuresTest {

    private static final String PEER = "127.0.0.1:5061 (sip.test)";

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    private static Failure client(IOException e) {
        return HandshakeFailures.classify(e, PEER, true, false, false, 500).failure();
    }

    private static Failure server(IOException e) {
        return HandshakeFailures.classify(e, "client 127.0.0.1:40000", false, false, false, 500).failure();
    }

    @Test
    void untrustedPath() {
        IOException e = handshake("PKIX path building failed", new CertificateException("x",
                new CertPathBuilderException("unable to find valid certification path to requested target")));
        assertEquals(Failure.UNTRUSTED_CERTIFICATE, client(e));
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, server(e), "the client's certificate, seen by a server");
        TlsException t = HandshakeFailures.classify(e, PEER, true, false, false, 500);
        assertTrue(t.getMessage().contains(PEER + " is not signed by a trusted CA: unable to find valid"),
                t.getMessage());
        assertSame(e, t.getCause());
    }

    @Test
    void expiredOrNotYetValid() {
        assertEquals(Failure.EXPIRED_CERTIFICATE, client(handshake("PKIX path validation failed",
                new CertPathValidatorException("validity check failed", new CertificateExpiredException("NotAfter"),
                        null, -1, CertPathValidatorException.BasicReason.EXPIRED))));
        assertEquals(Failure.EXPIRED_CERTIFICATE, client(handshake("x", new CertPathValidatorException("y", null,
                null, -1, CertPathValidatorException.BasicReason.NOT_YET_VALID))));
        assertEquals(Failure.EXPIRED_CERTIFICATE, server(handshake("x", new CertificateExpiredException("z"))));
    }

    @Test
    void alertsAboutOurCertificate() {
        for (String alert : new String[] {"bad_certificate", "certificate_required", "certificate_unknown", "unknown_ca"}) {
            assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, client(handshake("Received fatal alert: " + alert, null)));
            assertEquals(Failure.UNTRUSTED_CERTIFICATE, server(handshake("Received fatal alert: " + alert, null)),
                    "a client that did not accept the server's certificate");
        }
        assertEquals(Failure.EXPIRED_CERTIFICATE, server(handshake("Received fatal alert: certificate_expired", null)));
    }

    @Test
    void handshakeFailureAlertIsARefusalOnlyAfterACertificateRequest() {
        IOException e = handshake("Received fatal alert: handshake_failure", null);
        assertEquals(Failure.PROTOCOL, client(e));
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED,
                HandshakeFailures.classify(e, PEER, true, true, false, 500).failure());
    }

    @Test
    void serverMissingTheClientCertificate() {
        TlsException t = HandshakeFailures.classify(handshake("Empty client certificate chain", null),
                "client 127.0.0.1:40000", false, false, false, 500);
        assertEquals(Failure.CLIENT_CERTIFICATE_REJECTED, t.failure());
        assertEquals("CLIENT_CERTIFICATE_REJECTED: client 127.0.0.1:40000 sent no client certificate, and this"
                + " server requires one", t.getMessage());
    }

    @Test
    void versionsAndTimeouts() {
        assertEquals(Failure.PROTOCOL, client(handshake("Received fatal alert: protocol_version", null)));
        assertEquals(Failure.PROTOCOL, server(handshake("Client requested protocol TLSv1.2 is not enabled or"
                + " supported in server context", null)));
        assertEquals(Failure.TIMEOUT, server(new SocketTimeoutException("Read timed out")));
        assertEquals(Failure.TIMEOUT, server(handshake("x", new SocketTimeoutException("Read timed out"))));
        TlsException deadline = HandshakeFailures.classify(new SocketException("Socket closed"), PEER, true, false,
                true, 500);
        assertEquals(Failure.TIMEOUT, deadline.failure());
        assertEquals("TIMEOUT: " + PEER + " did not complete the TLS handshake within 500 ms", deadline.getMessage());
    }

    @Test
    void resetsAndStrangers() {
        assertTrue(HandshakeFailures.classify(new SocketException("Connection reset"), PEER, true, false, false, 500)
                .getMessage().contains("broke off the TLS handshake"));
        assertTrue(HandshakeFailures.classify(handshake("Unsupported or unrecognized SSL message", null),
                PEER, false, false, false, 500).getMessage().contains("does not speak TLS"));
        TlsException already = new TlsException(Failure.IDENTITY_MISMATCH, "x", null);
        assertSame(already, HandshakeFailures.classify(already, PEER, true, false, false, 500));
    }

    @Test
    void receivedAlertIsReadFromTheCauseChain() {
        assertEquals("certificate_required", HandshakeFailures.receivedAlert(
                new IOException("wrapped", handshake("Received fatal alert: certificate_required", null))));
        assertEquals(null, HandshakeFailures.receivedAlert(new IOException("Connection reset")));
    }
}
