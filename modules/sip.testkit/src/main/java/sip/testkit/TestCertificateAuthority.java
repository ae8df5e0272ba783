package sip.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A throw-away certificate authority made at test time, so no private key is ever committed: a CA
 * and the certificates it issues, written into a directory as PEM (chain leaf first + PKCS#8 key,
 * plain and encrypted) and PKCS#12, as an operator would deploy them for TLS or WSS tests.
 *
 * <pre>{@code
 * TestCertificateAuthority ca = TestCertificateAuthority.create(tempDir, "test-ca");
 * TestCertificateAuthority.Issued server = ca.server("server");   // sip.test, 127.0.0.1, ::1
 * TlsConfig tls = TlsConfig.newBuilder().certificate(server.chain(), server.key8())
 *         .trustedCertificates(ca.certificatePem()).build();
 * }</pre>
 *
 * <p>Bouncy Castle builds the certificates; its provider is used here only, never installed, so the
 * code under test sees the JDK's providers alone.
 */
public final class TestCertificateAuthority {

    /** The password of every PKCS#12 file and encrypted key this CA writes. */
    public static final String PASSWORD = "changeit";
    private static final Provider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificateAuthority(Path dir, String name, KeyPair keys, X509Certificate certificate) {
        this.dir = dir;
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A self-signed EC CA valid from yesterday for a year. */
    public static TestCertificateAuthority create(Path dir, String name) throws Exception {
        KeyPair keys = keyPair("EC");
        X500Name subject = new X500Name("CN=" + name + ",O=Parley tests");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate cert = sign(b, keys.getPrivate());
        TestCertificateAuthority ca = new TestCertificateAuthority(dir, name, keys, cert);
        Files.writeString(ca.certificatePem(), pem("CERTIFICATE", cert.getEncoded()));
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate as PEM: what a peer trusts. */
    public Path certificatePem() {
        return dir.resolve(name + "-ca.pem");
    }

    /** The CA certificate in a PKCS#12 trust store (password {@link #PASSWORD}). */
    public Path trustStore() throws Exception {
        Path file = dir.resolve(name + "-trust.p12");
        if (!Files.exists(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
        }
        return file;
    }

    /** What to put in a certificate to issue. */
    public static final class Spec {
        final String cn;
        String keyAlgorithm = "EC";
        final List<GeneralName> sans = new ArrayList<>();
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = Instant.now().plus(Duration.ofDays(30));

        private Spec(String cn) {
            this.cn = cn;
        }

        public Spec dns(String name) {
            sans.add(new GeneralName(GeneralName.dNSName, name));
            return this;
        }

        public Spec uri(String uri) {
            sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
            return this;
        }

        public Spec ip(String address) {
            sans.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        public Spec key(String algorithm) {
            this.keyAlgorithm = algorithm;
            return this;
        }

        public Spec expired() {
            notBefore = Instant.now().minus(Duration.ofDays(30));
            notAfter = Instant.now().minus(Duration.ofDays(1));
            return this;
        }
    }

    /** An issued certificate and where its files are. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path chain, Path key8, Path encryptedKey8,
            Path pkcs12) {
    }

    /** A certificate for common name {@code cn}, EC key, valid from yesterday for 30 days. */
    public static Spec spec(String cn) {
        return new Spec(cn);
    }

    /** The usual server: {@code sip.test} as dNSName and SIP URI, and both loopback addresses. */
    public Issued server(String fileName) throws Exception {
        return issue(fileName, spec("sip.test").dns("sip.test").uri("sip:sip.test").ip("127.0.0.1").ip("::1"));
    }

    /** Issues a certificate by {@code spec}; files are named after {@code fileName}. */
    public Issued issue(String fileName, Spec spec) throws Exception {
        KeyPair keys = keyPair(spec.keyAlgorithm);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                Date.from(spec.notBefore), Date.from(spec.notAfter), new X500Name("CN=" + spec.cn), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int usage = spec.keyAlgorithm.equals("RSA") ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (!spec.sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(spec.sans.toArray(GeneralName[]::new)));
        }
        X509Certificate cert = sign(b, this.keys.getPrivate());

        Path chain = dir.resolve(fileName + "-chain.pem");
        Files.writeString(chain, pem("CERTIFICATE", cert.getEncoded()) + pem("CERTIFICATE", certificate.getEncoded()));
        Path key = dir.resolve(fileName + "-key.pem");
        Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Path encrypted = dir.resolve(fileName + "-key-encrypted.pem");
        Files.writeString(encrypted, pem("ENCRYPTED PRIVATE KEY", encrypt(keys.getPrivate())));
        Path p12 = dir.resolve(fileName + ".p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(fileName, keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {cert, certificate});
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return new Issued(cert, keys.getPrivate(), chain, key, encrypted, p12);
    }

    /**
     * PKCS#8 encrypted as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes it (PBES2). Bouncy
     * Castle's provider is used here only, not installed: the code under test sees the JDK's alone.
     */
    private static byte[] encrypt(PrivateKey key) throws IOException, OperatorCreationException {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(BC).setRandom(new SecureRandom()).setPassword(PASSWORD.toCharArray()).build();
        return new JcaPKCS8Generator(key, encryptor).generate().getContent();
    }

    /** DER bytes as a PEM block with {@code label} (e.g. {@code CERTIFICATE}). */
    public static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        switch (algorithm) {
            case "EC" -> g.initialize(new ECGenParameterSpec("secp256r1"));
            case "RSA" -> g.initialize(2048);
            default -> { } // Ed25519 has no parameters
        }
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
