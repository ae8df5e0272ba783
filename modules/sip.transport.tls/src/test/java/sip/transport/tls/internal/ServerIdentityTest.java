package sip.transport.tls.internal;

import sip.testkit.TestCertificateAuthority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5922 §7.1/§7.2 identity matching on certificates made for each rule. */
class ServerIdentityTest {

    @TempDir
    static Path dir;
    static TestCertificateAuthority ca;
    static InetAddress v4;
    static InetAddress v6;

    @BeforeAll
    static void ca() throws Exception {
        ca = TestCertificateAuthority.create(dir, "identity");
        v4 = InetAddress.ofLiteral("127.0.0.1");
        v6 = InetAddress.ofLiteral("::1");
    }

    private static X509Certificate cert(TestCertificateAuthority.Spec spec) throws Exception {
        return ca.issue("c" + System.nanoTime(), spec).certificate();
    }

    @Test
    void dnsNameMatchesWholeNameIgnoringCaseAndTrailingDot() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("unrelated").dns("sip.test"));
        assertTrue(ServerIdentity.matches(c, "sip.test", v4));
        assertTrue(ServerIdentity.matches(c, "SIP.Test", v4));
        assertTrue(ServerIdentity.matches(c, "sip.test.", v4));
        assertFalse(ServerIdentity.matches(c, "other.test", v4));
        assertFalse(ServerIdentity.matches(c, "a.sip.test", v4), "no suffix matching");
        assertFalse(ServerIdentity.matches(c, "test", v4), "no suffix matching");
    }

    @Test
    void sipUriMatchesItsHostOnly() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("unrelated").uri("sip:example.com"));
        assertTrue(ServerIdentity.matches(c, "example.com", v4));
        assertTrue(ServerIdentity.matches(c, "EXAMPLE.COM", v4));
        assertFalse(ServerIdentity.matches(c, "sip.test", v4));
        assertFalse(ServerIdentity.matches(c, "unrelated", v4), "CN is not used when there are SANs");
    }

    @Test
    void sipUriWithPortAndParametersNamesItsHost() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("x").uri("sip:example.com:5061;transport=tls"));
        assertTrue(ServerIdentity.matches(c, "example.com", v4));
    }

    @Test
    void sipUriWithUserPartOrOtherSchemeIsNoDomainIdentity() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("x").uri("sip:alice@example.com").uri("sips:example.net")
                .uri("https://example.org/"));
        assertFalse(ServerIdentity.matches(c, "example.com", v4), "RFC 5922 §7.1: a user part is not a domain");
        assertFalse(ServerIdentity.matches(c, "example.net", v4), "RFC 5922 §7.1: only the sip scheme");
        assertFalse(ServerIdentity.matches(c, "example.org", v4));
        assertFalse(ServerIdentity.matches(c, "x", v4), "URI SANs present: CN not used");
    }

    @Test
    void uriAndDnsSansBothCount() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("x").uri("sip:a.test").dns("b.test"));
        assertTrue(ServerIdentity.matches(c, "a.test", v4));
        assertTrue(ServerIdentity.matches(c, "b.test", v4));
    }

    @Test
    void commonNameOnlyWithoutAnySubjectAltName() throws Exception {
        assertTrue(ServerIdentity.matches(cert(TestCertificateAuthority.spec("sip.test")), "sip.test", v4), "no SAN at all");
        assertFalse(ServerIdentity.matches(cert(TestCertificateAuthority.spec("sip.test").ip("127.0.0.1")), "sip.test", v4),
                "RFC 5922 §7.1: CN only if and only if there is no subjectAltName, even one naming an IP");
        assertFalse(ServerIdentity.matches(cert(TestCertificateAuthority.spec("sip.test").dns("other.test")), "sip.test", v4));
    }

    @Test
    void wildcardsMatchOnlyThemselves() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("*.example.com").dns("*.example.com").uri("sip:*.example.net"));
        assertFalse(ServerIdentity.matches(c, "foo.example.com", v4), "RFC 5922 §7.2: no wildcard matching");
        assertFalse(ServerIdentity.matches(c, "example.com", v4));
        assertFalse(ServerIdentity.matches(c, "foo.example.net", v4));
        assertFalse(ServerIdentity.matches(cert(TestCertificateAuthority.spec("*.example.com")), "foo.example.com", v4),
                "not in the CN either");
        assertFalse(ServerIdentity.matches(cert(TestCertificateAuthority.spec("x").dns(".example.com")), "foo.example.com", v4));
    }

    @Test
    void ipTargetsMatchIpAddressSansOnly() throws Exception {
        X509Certificate ips = cert(TestCertificateAuthority.spec("127.0.0.1").ip("127.0.0.1").ip("::1"));
        assertTrue(ServerIdentity.matches(ips, null, v4));
        assertTrue(ServerIdentity.matches(ips, null, v6));
        assertTrue(ServerIdentity.matches(ips, "0:0:0:0:0:0:0:1", v4), "an IP literal as server name");
        assertTrue(ServerIdentity.matches(ips, "[::1]", v4));
        assertFalse(ServerIdentity.matches(ips, null, InetAddress.ofLiteral("127.0.0.2")));

        X509Certificate named = cert(TestCertificateAuthority.spec("127.0.0.1").dns("127.0.0.1").uri("sip:127.0.0.1"));
        assertFalse(ServerIdentity.matches(named, null, v4), "neither CN, dNSName nor URI names an address");
        assertFalse(ServerIdentity.matches(named, "127.0.0.1", v4));
    }

    @Test
    void internationalisedNamesCompareInAsciiForm() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("x").dns("xn--bcher-kva.example"));
        assertTrue(ServerIdentity.matches(c, "bücher.example", v4));
        assertTrue(ServerIdentity.matches(c, "XN--BCHER-KVA.example", v4));
    }

    @Test
    void describeListsWhatTheCertificateNames() throws Exception {
        X509Certificate c = cert(TestCertificateAuthority.spec("sip.test").dns("sip.test").uri("sip:sip.test").ip("127.0.0.1"));
        assertEquals(List.of("URI:sip:sip.test", "DNS:sip.test", "IP:127.0.0.1", "CN=sip.test"),
                ServerIdentity.describe(c));
    }

    @Test
    void sipUriHostParsing() {
        assertEquals("example.com", ServerIdentity.sipUriHost("SIP:example.com"));
        assertEquals("[::1]", ServerIdentity.sipUriHost("sip:[::1]:5061"));
        assertNull(ServerIdentity.sipUriHost("sip:"));
        assertNull(ServerIdentity.sipUriHost("sips:example.com"));
    }

    @Test
    void commonNameIsTheMostSpecificAndUnescaped() {
        assertEquals("a,b", ServerIdentity.commonName(new X500Principal("CN=a\\,b, O=x")));
        assertEquals("first", ServerIdentity.commonName(new X500Principal("CN=first, OU=u, CN=second")));
        assertNull(ServerIdentity.commonName(new X500Principal("O=only")));
    }
}
