package sip.transport.tls.internal;

import sip.testkit.TestCertificateAuthority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TlsConfig.KeySource;
import sip.transport.spi.TlsConfig.TrustSource;

/** Reading keys and certificates: every supported form, and a clear message for each mistake. */
class SslContextsTest {

    @TempDir
    static Path dir;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority.Issued server;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestCertificateAuthority.create(dir, "contexts");
        server = ca.server("server");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "Ed25519"})
    void pemKeyOfEachAlgorithm(String algorithm) throws Exception {
        TestCertificateAuthority.Issued issued = ca.issue("pem-" + algorithm, TestCertificateAuthority.spec("sip.test").key(algorithm));
        X509KeyManager keys = keyManager(new KeySource.Pem(issued.chain(), issued.key8(), Optional.empty()));
        String alias = keys.getServerAliases(issued.key().getAlgorithm(), null)[0];
        assertEquals(issued.key(), keys.getPrivateKey(alias));
        X509Certificate[] chain = keys.getCertificateChain(alias);
        assertEquals(2, chain.length, "leaf and CA");
        assertEquals(issued.certificate(), chain[0]);
    }

    @Test
    void encryptedPemKeyWithItsPassword() throws Exception {
        X509KeyManager keys = keyManager(new KeySource.Pem(server.chain(), server.encryptedKey8(),
                Optional.of(TestCertificateAuthority.PASSWORD)));
        assertEquals(server.key(), keys.getPrivateKey(keys.getServerAliases("EC", null)[0]));
    }

    @Test
    void encryptedPemKeyWithWrongOrNoPassword() {
        IOException wrong = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(server.chain(), server.encryptedKey8(), Optional.of("nope"))));
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains(server.encryptedKey8().toString()), wrong.getMessage());

        IOException none = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(server.chain(), server.encryptedKey8(), Optional.empty())));
        assertTrue(none.getMessage().contains("encrypted and no password"), none.getMessage());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        TestCertificateAuthority.Issued other = ca.issue("other", TestCertificateAuthority.spec("other.test"));
        IOException e = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(server.chain(), other.key8(), Optional.empty())));
        assertTrue(e.getMessage().startsWith("private key does not match certificate"), e.getMessage());
        assertTrue(e.getMessage().contains(other.key8().toString()), e.getMessage());
    }

    @Test
    void fileWithoutCertificateOrKey() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        IOException noCert = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(empty, server.key8(), Optional.empty())));
        assertEquals("no certificate in " + empty + " (expected -----BEGIN CERTIFICATE----- blocks)",
                noCert.getMessage());
        IOException noKey = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(server.chain(), server.chain(), Optional.empty())));
        assertTrue(noKey.getMessage().startsWith("no private key in " + server.chain()), noKey.getMessage());
        IOException missing = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(dir.resolve("absent.pem"), server.key8(), Optional.empty())));
        assertTrue(missing.getMessage().startsWith("cannot read " + dir.resolve("absent.pem")), missing.getMessage());
    }

    @Test
    void pkcs1KeyIsExplained() throws Exception {
        Path rsa = Files.writeString(dir.resolve("pkcs1.pem"), TestCertificateAuthority.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        IOException e = assertThrows(IOException.class, () -> SslContexts.keyManagers(
                new KeySource.Pem(server.chain(), rsa, Optional.empty())));
        assertTrue(e.getMessage().contains("convert it to PKCS#8"), e.getMessage());
    }

    @Test
    void corruptCertificateNamesTheFile() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.pem"), TestCertificateAuthority.pem("CERTIFICATE", new byte[] {48, 3, 1, 1, 1}));
        IOException e = assertThrows(IOException.class, () -> SslContexts.trustManagers(new TrustSource.Pem(bad)));
        assertTrue(e.getMessage().startsWith("certificate 1 in " + bad + " is not a valid X.509 certificate"),
                e.getMessage());
    }

    @Test
    void pkcs12KeyStore() throws Exception {
        X509KeyManager keys = keyManager(new KeySource.Pkcs12(server.pkcs12(), TestCertificateAuthority.PASSWORD));
        assertEquals(server.key(), keys.getPrivateKey(keys.getServerAliases("EC", null)[0]));

        IOException wrong = assertThrows(IOException.class,
                () -> SslContexts.keyManagers(new KeySource.Pkcs12(server.pkcs12(), "nope")));
        assertEquals("wrong password for " + server.pkcs12(), wrong.getMessage());

        IOException noKey = assertThrows(IOException.class,
                () -> SslContexts.keyManagers(new KeySource.Pkcs12(ca.trustStore(), TestCertificateAuthority.PASSWORD)));
        assertEquals("no private key with a certificate chain in " + ca.trustStore(), noKey.getMessage());
    }

    @Test
    void trustFromPemPkcs12AndTheSystem() throws Exception {
        X509TrustManager pem = trustManager(new TrustSource.Pem(ca.certificatePem()));
        assertEquals(ca.certificate(), pem.getAcceptedIssuers()[0]);
        pem.checkServerTrusted(new X509Certificate[] {server.certificate(), ca.certificate()}, "ECDHE_ECDSA");

        X509TrustManager p12 = trustManager(new TrustSource.Pkcs12(ca.trustStore(), TestCertificateAuthority.PASSWORD));
        assertEquals(ca.certificate(), p12.getAcceptedIssuers()[0]);

        X509TrustManager system = trustManager(new TrustSource.SystemDefault());
        assertTrue(system.getAcceptedIssuers().length > 0, "the JDK's cacerts");

        IOException noTrust = assertThrows(IOException.class,
                () -> SslContexts.trustManagers(new TrustSource.Pkcs12(server.pkcs12(), TestCertificateAuthority.PASSWORD)));
        assertEquals("no trusted certificate entry in " + server.pkcs12(), noTrust.getMessage());
    }

    @Test
    void readyMadeContextIsUsedAsIs() throws Exception {
        SSLContext mine = SSLContext.getInstance("TLS");
        mine.init(null, null, null);
        assertSame(mine, SslContexts.create(TlsConfig.newBuilder().sslContext(mine).build()));
    }

    private static X509KeyManager keyManager(KeySource source) throws IOException {
        KeyManager[] managers = SslContexts.keyManagers(source);
        return assertInstanceOf(X509KeyManager.class, managers[0]);
    }

    private static X509TrustManager trustManager(TrustSource source) throws IOException {
        TrustManager[] managers = SslContexts.trustManagers(source);
        return assertInstanceOf(X509TrustManager.class, managers[0]);
    }
}
