package sip.transport.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client key manager that notes which sockets a server asked for a certificate. JSSE consults
 * the key manager exactly when a CertificateRequest arrives, and that is what tells a refusal of
 * our certificate apart from other failures: a TLS 1.2 server that wants a certificate and gets
 * none ends with the generic {@code handshake_failure} alert (RFC 5246 §7.4.6).
 *
 * <p>Choosing keys is left to the key manager of the configured key source, if any. Entries live
 * from the request until {@link #forget}, which the connecting thread calls when it is done.
 */
final class CertificateRequests extends X509ExtendedKeyManager {

    /** Set once, by {@link #wrapping}, before the context using this is initialised. */
    private volatile X509ExtendedKeyManager keys;
    /**
     * Weak, so a request arriving after the connect is over (a TLS 1.2 renegotiation) cannot pin
     * its socket in memory; the connecting thread removes its own entry anyway.
     */
    private final Set<Socket> asked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * The key managers to initialise a context with: this one, in front of the first X.509 key
     * manager of {@code managers} (null or none: this side has no certificate).
     */
    KeyManager[] wrapping(KeyManager[] managers) {
        if (managers != null) {
            for (KeyManager m : managers) {
                if (m instanceof X509ExtendedKeyManager x509) {
                    keys = x509;
                    break;
                }
            }
        }
        return new KeyManager[] {this};
    }

    /** True if the server on {@code socket} asked for a client certificate; forgets the socket. */
    boolean forget(Socket socket) {
        return asked.remove(socket);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        if (socket != null) {
            asked.add(socket);
        }
        return keys == null ? null : keys.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return keys == null ? null : keys.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys == null ? null : keys.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys == null ? null : keys.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keys == null ? null : keys.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return keys == null ? null : keys.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys == null ? null : keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys == null ? null : keys.getPrivateKey(alias);
    }
}
