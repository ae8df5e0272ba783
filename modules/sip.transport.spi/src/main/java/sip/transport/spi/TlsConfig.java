package sip.transport.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * TLS settings for the {@code tls} and {@code wss} transports: where this side's certificate and
 * key come from, which peers to trust, whether clients must present a certificate, and which
 * protocol versions are allowed (TLS 1.2 and 1.3 only). Immutable; made with {@link #newBuilder()}.
 *
 * <p>Reading the files happens when a transport opens, so a bad file fails
 * {@link TransportProvider#open} with a message naming it.
 */
public final class TlsConfig {

    /** This side's certificate chain and private key. */
    public sealed interface KeySource {
        /** A PEM certificate chain (leaf first) and a PEM PKCS#8 private key, optionally encrypted. */
        record Pem(Path certificateChain, Path privateKey, Optional<String> keyPassword) implements KeySource {
            public Pem {
                Objects.requireNonNull(certificateChain, "certificateChain");
                Objects.requireNonNull(privateKey, "privateKey");
                Objects.requireNonNull(keyPassword, "keyPassword");
            }
        }

        /** A PKCS#12 keystore holding one private key entry. */
        record Pkcs12(Path keyStore, String password) implements KeySource {
            public Pkcs12 {
                Objects.requireNonNull(keyStore, "keyStore");
                Objects.requireNonNull(password, "password");
            }
        }
    }

    /** The certificates that anchor trust in the peer. */
    public sealed interface TrustSource {
        /** The JDK's default trust store ({@code cacerts}). */
        record SystemDefault() implements TrustSource {}

        /** PEM CA certificates, one or more in one file. */
        record Pem(Path certificates) implements TrustSource {
            public Pem {
                Objects.requireNonNull(certificates, "certificates");
            }
        }

        /** A PKCS#12 trust store. */
        record Pkcs12(Path trustStore, String password) implements TrustSource {
            public Pkcs12 {
                Objects.requireNonNull(trustStore, "trustStore");
                Objects.requireNonNull(password, "password");
            }
        }
    }

    /** Whether a server asks clients for a certificate (mutual TLS). */
    public enum ClientAuth {
        /** Clients are not asked for a certificate. */
        NONE,
        /** Clients are asked; one that sends none is accepted, one that sends an untrusted one is not. */
        WANT,
        /** Clients must present a trusted certificate. */
        NEED
    }

    private static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final KeySource keySource;
    private final TrustSource trustSource;
    private final ClientAuth clientAuth;
    private final List<String> protocols;
    private final boolean verifyServerIdentity;
    private final SSLContext sslContext;

    private TlsConfig(Builder b) {
        this.keySource = b.keySource;
        this.trustSource = b.trustSource;
        this.clientAuth = b.clientAuth;
        this.protocols = b.protocols;
        this.verifyServerIdentity = b.verifyServerIdentity;
        this.sslContext = b.sslContext;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** This side's certificate and key; needed to listen, optional to connect (client certificate). */
    public Optional<KeySource> keySource() {
        return Optional.ofNullable(keySource);
    }

    public TrustSource trustSource() {
        return trustSource;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Allowed protocol versions, most preferred first. */
    public List<String> protocols() {
        return protocols;
    }

    /** Whether a client checks the server's certificate names the host it connected to (RFC 5922). */
    public boolean verifyServerIdentity() {
        return verifyServerIdentity;
    }

    /** A ready-made context, used instead of {@link #keySource()} and {@link #trustSource()}. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** Builds a {@link TlsConfig}. */
    public static final class Builder {
        private KeySource keySource;
        private TrustSource trustSource = new TrustSource.SystemDefault();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private List<String> protocols = ALLOWED_PROTOCOLS;
        private boolean verifyServerIdentity = true;
        private SSLContext sslContext;

        private Builder() {
        }

        /** PEM certificate chain (leaf first) and unencrypted PKCS#8 key. No default. */
        public Builder certificate(Path certificateChain, Path privateKey) {
            this.keySource = new KeySource.Pem(certificateChain, privateKey, Optional.empty());
            return this;
        }

        /** Any key source (encrypted PEM key, PKCS#12). No default. */
        public Builder keySource(KeySource source) {
            this.keySource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** PEM CA certificates to trust instead of the JDK's. Default: the JDK's trust store. */
        public Builder trustedCertificates(Path pem) {
            this.trustSource = new TrustSource.Pem(pem);
            return this;
        }

        /** Any trust source. Default {@link TrustSource.SystemDefault}. */
        public Builder trustSource(TrustSource source) {
            this.trustSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Default {@link ClientAuth#NONE}. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /** Allowed versions among {@code TLSv1.3} and {@code TLSv1.2}. Default both. */
        public Builder protocols(String... versions) {
            List<String> list = List.of(versions);
            if (list.isEmpty()) {
                throw new IllegalArgumentException("at least one TLS version is needed");
            }
            for (String v : list) {
                if (!ALLOWED_PROTOCOLS.contains(v)) {
                    throw new IllegalArgumentException("TLS version not allowed: " + v
                            + " (only TLSv1.3 and TLSv1.2)");
                }
            }
            this.protocols = list;
            return this;
        }

        /**
         * Whether clients check the server's identity (RFC 5922 §7.2). Turning this off is for
         * tests against peers with throw-away certificates. Default true.
         */
        public Builder verifyServerIdentity(boolean verify) {
            this.verifyServerIdentity = verify;
            return this;
        }

        /** A ready-made context (key and trust managers of your own). Default none. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}
