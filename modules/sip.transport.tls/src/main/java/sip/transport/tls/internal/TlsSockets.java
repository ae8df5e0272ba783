package sip.transport.tls.internal;

import java.io.IOException;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TlsException;
import sip.transport.spi.TlsException.Failure;
import sip.transport.tcp.internal.SocketDeadline;
import sip.transport.tcp.internal.StreamSockets;
import sip.transport.tcp.internal.StreamTransport;

/**
 * TLS sockets for the stream transport: server-mode {@link SSLSocket}s layered over each socket a
 * plain server socket accepted, handshaken on the connection's own thread, and client
 * {@link SSLSocket}s layered over a connected socket, handshaken and identity-checked (RFC 5922
 * §7.2) before they are handed over. The raw socket under each goes to the transport with it, so a
 * close can always be cut short ({@link StreamSockets.Layered}). Only TLS 1.3 and 1.2 are ever
 * enabled ({@link TlsConfig#protocols()}). Each handshake is bounded as a whole by the handshake
 * timeout ({@link HandshakeDeadline}); every failure is a {@link TlsException}.
 *
 * <p>{@code TCP_NODELAY} on both ends, as TCP: a TLS record of a SIP message usually ends in a
 * small segment, and with Nagle on it waits for the ACK of the one before, which the peer's
 * delayed ACK holds back (40 ms on Linux): 350 messages/s with 16 in flight instead of 35,000.
 *
 * <p>Holds its configuration and the certificate requests of connects in progress
 * ({@link CertificateRequests}); safe for any number of threads.
 */
public final class TlsSockets implements StreamSockets {

    /**
     * The least time a TLS 1.3 client waits for the server's verdict on its certificate (see
     * {@link #verdictWaitMillis}).
     */
    private static final long MIN_VERDICT_WAIT_MILLIS = 200;
    /** How long a failed connect waits to tell the server with {@code close_notify} that we left. */
    private static final Duration GOODBYE_GRACE = Duration.ofSeconds(1);

    private final TlsConfig config;
    private final SSLContext context;
    private final CertificateRequests requests;
    private final String[] protocols;

    private TlsSockets(TlsConfig config, SSLContext context, CertificateRequests requests) {
        this.config = config;
        this.context = context;
        this.requests = requests;
        this.protocols = config.protocols().toArray(String[]::new);
    }

    /**
     * Sockets as {@code config} says, reading its certificate files now.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static TlsSockets create(TlsConfig config) throws IOException {
        CertificateRequests requests = new CertificateRequests();
        return new TlsSockets(config, SslContexts.create(config, requests::wrapping), requests);
    }

    @Override
    public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
        if (config.keySource().isEmpty() && config.sslContext().isEmpty()) {
            throw new IOException("a tls listener needs a certificate and key: set TlsConfig.Builder.certificate(...)"
                    + " or keySource(...)");
        }
        // Fail here, not at each accept, if the context cannot take these settings.
        SSLEngine probe = context.createSSLEngine();
        probe.setUseClientMode(false);
        probe.setSSLParameters(serverParameters(probe.getSSLParameters()));
        // Plain: TLS is layered over each accepted socket, so the transport keeps the raw socket.
        ServerSocket server = new ServerSocket();
        try {
            server.bind(local, backlog);
            return server;
        } catch (IOException | RuntimeException e) {
            HandshakeDeadline.closeQuietly(server);
            throw e;
        }
    }

    private SSLParameters serverParameters(SSLParameters parameters) {
        parameters.setProtocols(protocols);
        switch (config.clientAuth()) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        return parameters;
    }

    @Override
    public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
        String peer = "client " + describe(raw.getRemoteSocketAddress());
        try (HandshakeDeadline deadline = new HandshakeDeadline(raw, handshakeTimeout)) {
            SSLSocket ssl = null;
            try {
                raw.setTcpNoDelay(true);
                ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, null, true);
                ssl.setUseClientMode(false);
                ssl.setSSLParameters(serverParameters(ssl.getSSLParameters()));
                deadline.applyReadTimeout(raw);
                ssl.startHandshake();
                deadline.disarm(); // the deadline can no longer close the socket being handed over
                raw.setSoTimeout(0); // from here on the stream transport's idle and read timeouts apply
                return ssl;
            } catch (IOException e) {
                HandshakeDeadline.closeQuietly(ssl != null ? ssl : raw); // within the deadline still
                throw HandshakeFailures.classify(e, peer, false, false, deadline);
            }
        }
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout) throws IOException {
        return connect(remote, serverName, connectTimeout, handshakeTimeout, socket -> { });
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout, Consumer<Socket> created) throws IOException {
        boolean domain = serverName != null && !ServerIdentity.isIpLiteral(serverName);
        String sni = domain ? sniName(serverName) : null;
        String peer = describe(remote) + (serverName != null ? " (" + serverName + ")" : "");
        AlertKeepingSocket plain = new AlertKeepingSocket();
        SSLSocket ssl = null;
        try {
            created.accept(plain);
            plain.setTcpNoDelay(true);
            plain.connect(remote, StreamTransport.millis(connectTimeout)); // under 1 ms is not "none"
            // The host given here keys JSSE's session cache, so resumption stays per server name.
            String host = sni != null ? sni : remote.getAddress().getHostAddress();
            ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, remote.getPort(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setProtocols(protocols);
            parameters.setServerNames(sni != null ? List.of(new SNIHostName(sni)) : List.of());
            ssl.setSSLParameters(parameters);
            handshake(ssl, plain, serverName, remote, peer, handshakeTimeout);
            return new Layered(plain, ssl);
        } catch (IOException | RuntimeException e) {
            HandshakeDeadline.closeQuietly(plain);
            throw e;
        } finally {
            if (ssl != null) {
                requests.forget(ssl);
            }
        }
    }

    /**
     * The client handshake within the deadline, then the identity check and the certificate verdict,
     * which has its own small budget: the deadline is disarmed first, so it cannot close a socket
     * whose handshake succeeded.
     */
    private void handshake(SSLSocket ssl, AlertKeepingSocket plain, String serverName, InetSocketAddress remote,
            String peer, Duration timeout) throws IOException {
        long started = System.nanoTime();
        try (HandshakeDeadline deadline = new HandshakeDeadline(plain, timeout)) {
            try {
                deadline.applyReadTimeout(plain);
                ssl.startHandshake();
                deadline.disarm(); // throws if the deadline closed the socket meanwhile
                plain.handshakeDone();
            } catch (IOException e) {
                HandshakeDeadline.closeQuietly(ssl);
                IOException failure = e;
                String alert = plain.alert();
                if (alert != null) { // the server's alert JSSE skipped over (see AlertKeepingSocket)
                    failure = new SSLHandshakeException("Received fatal alert: " + alert);
                    failure.initCause(e);
                }
                throw HandshakeFailures.classify(failure, peer, true, requests.forget(ssl), deadline);
            }
        }
        long handshakeNanos = System.nanoTime() - started;
        try {
            if (config.verifyServerIdentity()) {
                checkIdentity(ssl.getSession(), serverName, remote, peer);
            }
            awaitCertificateVerdict(ssl, plain, verdictWaitMillis(handshakeNanos, timeout), timeout, peer);
            plain.setSoTimeout(0); // from here on the stream transport's idle and read timeouts apply
        } catch (IOException | RuntimeException e) {
            // A close_notify at least tells the server we left; a server that does not take it
            // cannot hold the connect up (the deadline that would have cut it short is disarmed).
            SocketDeadline cutShort = new SocketDeadline(plain, GOODBYE_GRACE, true);
            HandshakeDeadline.closeQuietly(ssl);
            cutShort.disarm();
            throw e;
        }
    }

    /**
     * How long the verdict wait reads: twice the handshake's own duration (the verdict needs about
     * one more round trip and the server's check), at least {@link #MIN_VERDICT_WAIT_MILLIS} so a
     * busy server is not taken for a content one, and at most a quarter of the handshake timeout.
     */
    static long verdictWaitMillis(long handshakeNanos, Duration handshakeTimeout) {
        long wait = Math.max(MIN_VERDICT_WAIT_MILLIS, 2 * handshakeNanos / 1_000_000);
        if (!handshakeTimeout.isZero()) {
            wait = Math.min(wait, handshakeTimeout.toMillis() / 4);
        }
        return Math.clamp(wait, 1, Integer.MAX_VALUE);
    }

    private static void checkIdentity(SSLSession session, String serverName, InetSocketAddress remote,
            String peer) throws IOException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate leaf
                && ServerIdentity.matches(leaf, serverName, remote.getAddress())) {
            return;
        }
        String expected = serverName != null ? serverName : remote.getAddress().getHostAddress();
        String names = chain.length > 0 && chain[0] instanceof X509Certificate leaf
                ? String.join(", ", ServerIdentity.describe(leaf)) : "nothing";
        throw new TlsException(Failure.IDENTITY_MISMATCH, "the certificate of " + peer + " is not for "
                + expected + ": it names " + names + " (RFC 5922 §7.2: no wildcards, no suffixes"
                + (serverName == null ? "; an IP address matches iPAddress names only" : "") + ")", null);
    }

    /**
     * In TLS 1.3 a server checks the client's certificate after the client's handshake is over
     * (RFC 8446 §4.4.2.4): a server that refuses it, or the lack of one, says so with an alert the
     * client only sees when it next reads. So when the server asked for a certificate, this reads
     * briefly to catch that alert and fail the connect with {@code CLIENT_CERTIFICATE_REJECTED}
     * instead of handing over a connection about to die. The read times out when the server is
     * content (it sends nothing unasked; a session ticket is consumed inside JSSE). A SIP server does
     * not speak first, so application data here is a protocol error: it cannot be put back.
     *
     * <p>Running out of {@code waitMillis} is success. The handshake deadline is no longer armed, so
     * the wait can neither use it up nor be cut short by it.
     */
    private void awaitCertificateVerdict(SSLSocket ssl, Socket plain, long waitMillis, Duration handshakeTimeout,
            String peer) throws IOException {
        SSLSession session = ssl.getSession();
        // The key manager saw the request, or (a context of the user's own) the session lists the
        // signature algorithms that only a CertificateRequest carries to a client.
        boolean asked = requests.forget(ssl) || session instanceof ExtendedSSLSession extended
                && extended.getPeerSupportedSignatureAlgorithms().length > 0;
        if (!asked || !"TLSv1.3".equals(session.getProtocol())) {
            return;
        }
        // The socket timeout bounds each read, not the wait: a server trickling a record one byte
        // at a time would hold the connect up for ever. This bounds the whole wait.
        SocketDeadline whole = new SocketDeadline(plain, Duration.ofMillis(2 * waitMillis + 100), true);
        try {
            ssl.setSoTimeout((int) waitMillis);
            if (ssl.getInputStream().read() >= 0) {
                throw new TlsException(Failure.PROTOCOL, peer + " sent data before any request", null);
            }
            throw refusal(peer, "closed the connection", null);
        } catch (SocketTimeoutException content) {
            // no alert: the server accepted us (unless the whole-wait deadline closed the socket)
            if (!whole.disarm()) {
                throw new TlsException(Failure.TIMEOUT, peer + ": the certificate verdict wait ran out", content);
            }
        } catch (TlsException e) {
            throw e;
        } catch (IOException e) {
            if (!whole.disarm()) {
                throw new TlsException(Failure.PROTOCOL, peer + " kept the connection busy past the "
                        + (2 * waitMillis + 100) + " ms allowed to hear its verdict on our certificate", e);
            }
            TlsException failure = HandshakeFailures.classify(e, peer, true, true, false, handshakeTimeout.toMillis());
            if (failure.failure() == Failure.PROTOCOL && HandshakeFailures.receivedAlert(e) == null) {
                throw refusal(peer, "broke off the connection", e); // a reset, or an end without alert
            }
            throw failure;
        } finally {
            whole.disarm();
        }
    }

    /** A server that asked for our certificate and hung up without an alert we could read refused it. */
    private static TlsException refusal(String peer, String what, Throwable cause) {
        return new TlsException(Failure.CLIENT_CERTIFICATE_REJECTED, peer + " asked for our client certificate and "
                + what + " right after the handshake, without an alert; taken as a refusal", cause);
    }

    /**
     * The SNI form of a domain: ASCII (A-labels), no trailing dot; null if it is not a host name SNI
     * can carry (e.g. one with an underscore), which is then not sent rather than failing the connect.
     */
    private static String sniName(String serverName) {
        String name = serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
        try {
            return new SNIHostName(IDN.toASCII(name, IDN.ALLOW_UNASSIGNED)).getAsciiName();
        } catch (IllegalArgumentException notAHostName) {
            return null;
        }
    }

    private static String describe(Object address) {
        if (address instanceof InetSocketAddress a && a.getAddress() != null) {
            String host = a.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }
}
