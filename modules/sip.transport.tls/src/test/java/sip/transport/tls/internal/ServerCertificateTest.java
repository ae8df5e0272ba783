package sip.transport.tls.internal;

import sip.testkit.TestCertificateAuthority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TlsException;
import sip.transport.spi.TlsException.Failure;
import sip.transport.spi.Transport;

/** A client's checks of the server certificate: trust, validity, and RFC 5922 identity. */
class ServerCertificateTest extends TlsFixture {

    private Recorder serverSide;

    private InetSocketAddress serve(TestCertificateAuthority.Issued certificate) throws Exception {
        serverSide = Recorder.answering();
        Transport t = open(TlsConfig.newBuilder().certificate(certificate.chain(), certificate.key8()).build(),
                serverSide);
        return listen(t);
    }

    private TlsException refused(InetSocketAddress address, String serverName, Failure expected) throws Exception {
        Recorder clientSide = Recorder.quiet();
        Transport client = open(clientTls().build(), clientSide);
        TlsException e = assertThrows(TlsException.class, () -> client.connect(address, serverName));
        assertEquals(expected, e.failure(), e.getMessage());
        ConnectionEvent.Failed failed = clientSide.event(ConnectionEvent.Failed.class);
        assertEquals(address, failed.remote());
        assertEquals(e, failed.cause());
        assertEquals(0, client.stats().sockets());
        assertEquals(1, client.stats().failed());
        return e;
    }

    @Test
    void certificateFromAnotherCaIsUntrusted() throws Exception {
        InetSocketAddress address = serve(foreign);
        TlsException e = refused(address, "sip.test", Failure.UNTRUSTED_CERTIFICATE);
        assertTrue(e.getMessage().contains("not signed by a trusted CA"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + address.getPort() + " (sip.test)"), e.getMessage());
        // The server hears the client's alert (its certificate was not accepted), unless the client's
        // reset of the connection overtook it: then all it knows is that the client broke off.
        ConnectionEvent.Failed failed = serverSide.event(ConnectionEvent.Failed.class);
        assertTrue(failed.inbound());
        Failure seen = assertInstanceOf(TlsException.class, failed.cause()).failure();
        assertTrue(seen == Failure.UNTRUSTED_CERTIFICATE || seen == Failure.PROTOCOL, seen.toString());
    }

    @Test
    void expiredCertificate() throws Exception {
        TlsException e = refused(serve(expired), "sip.test", Failure.EXPIRED_CERTIFICATE);
        assertTrue(e.getMessage().contains("has expired or is not yet valid"), e.getMessage());
    }

    @Test
    void certificateForAnotherNameIsAnIdentityMismatch() throws Exception {
        InetSocketAddress address = serve(server);
        TlsException e = refused(address, "other.test", Failure.IDENTITY_MISMATCH);
        assertTrue(e.getMessage().contains("is not for other.test"), e.getMessage());
        assertTrue(e.getMessage().contains("DNS:sip.test"), e.getMessage());

        Recorder clientSide = Recorder.quiet();
        Connection c = open(clientTls().build(), clientSide).connect(address, "sip.test");
        c.send(options("right-name"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());
    }

    @Test
    void noServerNameChecksTheIpAddress() throws Exception {
        InetSocketAddress ipNamed = serve(server);
        assertTrue(open(clientTls().build(), Recorder.quiet()).connect(ipNamed).isOpen(), "SAN IP 127.0.0.1");

        TestCertificateAuthority.Issued dnsOnly = ca.issue("dns-only", TestCertificateAuthority.spec("127.0.0.1").dns("sip.test"));
        TlsException e = refused(serve(dnsOnly), null, Failure.IDENTITY_MISMATCH);
        assertTrue(e.getMessage().contains("iPAddress names only"), e.getMessage());
    }

    @Test
    void sipUriSubjectAltNameIsTheDomainIdentity() throws Exception {
        TestCertificateAuthority.Issued uriOnly = ca.issue("uri-only", TestCertificateAuthority.spec("unrelated").uri("sip:example.test"));
        InetSocketAddress address = serve(uriOnly);
        Recorder clientSide = Recorder.quiet();
        Connection c = open(clientTls().build(), clientSide).connect(address, "example.test");
        c.send(options("uri-san"));
        assertEquals(200, assertInstanceOf(SipResponse.class, clientSide.message().message()).statusCode());

        refused(address, "unrelated", Failure.IDENTITY_MISMATCH); // the CN does not count beside a SAN
    }

    @Test
    void wildcardCertificateDoesNotNameASubdomain() throws Exception {
        TestCertificateAuthority.Issued wildcard = ca.issue("wildcard", TestCertificateAuthority.spec("*.example.test").dns("*.example.test"));
        refused(serve(wildcard), "proxy.example.test", Failure.IDENTITY_MISMATCH);
    }

    @Test
    void identityCheckCanBeTurnedOffForTests() throws Exception {
        InetSocketAddress address = serve(server);
        Transport client = open(clientTls().verifyServerIdentity(false).build(), Recorder.quiet());
        assertTrue(client.connect(address, "other.test").isOpen());
    }
}
