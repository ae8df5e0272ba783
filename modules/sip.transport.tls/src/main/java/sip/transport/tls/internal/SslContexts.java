package sip.transport.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TlsConfig.KeySource;
import sip.transport.spi.TlsConfig.TrustSource;

/**
 * The {@link SSLContext} a {@link TlsConfig} describes, built with the JDK alone. Exported to
 * {@code sip.transport.ws} so that WSS reads certificates exactly as TLS does.
 *
 * <p>Every file problem is an {@link IOException} naming the file and what is wrong with it, so a
 * bad configuration fails when the transport opens rather than at the first handshake.
 */
public final class SslContexts {

    /** The password of the in-memory keystore a PEM key is put in; never leaves this process. */
    private static final char[] IN_MEMORY = "parley".toCharArray();

    private SslContexts() {
    }

    /** {@link TlsConfig#sslContext()} if set, otherwise a context from its key and trust sources. */
    public static SSLContext create(TlsConfig config) throws IOException {
        return create(config, UnaryOperator.identity());
    }

    /**
     * As {@link #create(TlsConfig)}, with the key managers (null without a key source) passed
     * through {@code keyManagers} before the context is initialised, e.g. to observe them.
     */
    public static SSLContext create(TlsConfig config, UnaryOperator<KeyManager[]> keyManagers) throws IOException {
        if (config.sslContext().isPresent()) {
            return config.sslContext().get();
        }
        KeyManager[] keys = keyManagers.apply(config.keySource().isPresent()
                ? keyManagers(config.keySource().get()) : null);
        TrustManager[] trust = trustManagers(config.trustSource());
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Key managers offering the one certificate chain and key of {@code source}. */
    public static KeyManager[] keyManagers(KeySource source) throws IOException {
        return switch (source) {
            case KeySource.Pem pem -> keyManagers(pemKeyStore(pem), IN_MEMORY);
            case KeySource.Pkcs12 p12 -> keyManagers(pkcs12KeyStore(p12.keyStore(), p12.password()),
                    p12.password().toCharArray());
        };
    }

    /** Trust managers anchored in {@code source}. */
    public static TrustManager[] trustManagers(TrustSource source) throws IOException {
        KeyStore anchors = switch (source) {
            case TrustSource.SystemDefault ignored -> null; // the factory then loads the JDK's cacerts
            case TrustSource.Pem pem -> pemTrustStore(pem.certificates());
            case TrustSource.Pkcs12 p12 -> pkcs12TrustStore(p12.trustStore(), p12.password());
        };
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    private static KeyStore pemKeyStore(KeySource.Pem pem) throws IOException {
        List<X509Certificate> chain = PemFile.read(pem.certificateChain()).certificates();
        PrivateKey key = PemFile.read(pem.privateKey()).privateKey(pem.keyPassword());
        if (!KeyPairs.match(key, chain.getFirst().getPublicKey())) {
            throw new IOException("private key does not match certificate: the key in " + pem.privateKey()
                    + " is not the key of the first certificate in " + pem.certificateChain()
                    + " (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        try {
            KeyStore store = emptyKeyStore();
            store.setKeyEntry("key", key, IN_MEMORY, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key in " + pem.privateKey() + " with the chain in "
                    + pem.certificateChain() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore pkcs12KeyStore(Path file, String password) throws IOException {
        KeyStore store = loadPkcs12(file, password);
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password.toCharArray());
                    if (key instanceof PrivateKey && store.getCertificateChain(alias) != null) {
                        return store;
                    }
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new IOException("the private key in " + file + " has a password other than the keystore's", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("no private key with a certificate chain in " + file);
    }

    private static KeyStore pemTrustStore(Path file) throws IOException {
        List<X509Certificate> certificates = PemFile.read(file).certificates();
        try {
            KeyStore store = emptyKeyStore();
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore pkcs12TrustStore(Path file, String password) throws IOException {
        KeyStore store = loadPkcs12(file, password);
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    return store;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("no trusted certificate entry in " + file);
    }

    private static KeyStore loadPkcs12(Path file, String password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IOException("wrong password for " + file, e);
            }
            throw new IOException("cannot read " + file + " as PKCS#12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + file + " as PKCS#12: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e); // never: there is nothing to read
        }
        return store;
    }

    private static KeyManager[] keyManagers(KeyStore store, char[] password) throws IOException {
        try {
            // PKIX (not the SunX509 default) picks among keys by the peer's signature algorithms.
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the TLS key: " + e.getMessage(), e);
        }
    }
}
