package sip.interop.ws;

import java.nio.file.Path;
import sip.testkit.TestCertificateAuthority;

/**
 * The certificates of the WSS tests: a test CA and a server certificate it issued for
 * {@code sip.test}, 127.0.0.1 and ::1, so node checks it against the address it connects to
 * when it trusts the CA, and so does Parley's client.
 */
record WsPki(TestCertificateAuthority ca, TestCertificateAuthority.Issued server) {

    /** A new CA and server certificate, their files in {@code dir}. */
    static WsPki create(Path dir) throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir, "ws-interop-ca");
        return new WsPki(ca, ca.server("ws-server"));
    }
}
