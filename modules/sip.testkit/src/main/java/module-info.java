/**
 * Test support for users' own suites: seeded generators of valid SIP messages, URIs and header
 * values for property-based and fuzz tests whatever library they use, and a throw-away certificate
 * authority for TLS tests ({@link sip.testkit.TestCertificateAuthority}), and a real DNS server
 * started on a free loopback port with the records a test gives it ({@link sip.testkit.Dnsmasq}).
 */
module sip.testkit {
    requires transitive sip.message;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    exports sip.testkit;
}
