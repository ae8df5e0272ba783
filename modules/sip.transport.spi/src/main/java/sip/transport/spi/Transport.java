package sip.transport.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One protocol's runtime in one stack: its listeners and connections, sharing one
 * {@link TransportConfig} and one {@link InboundHandler}. Made by
 * {@link TransportProvider#open}. Thread-safe.
 */
public interface Transport extends AutoCloseable {

    Protocol protocol();

    /**
     * Binds a listener. Port 0 binds an ephemeral port ({@link Listener#localAddress()} tells
     * which). Inbound messages go to this transport's handler.
     *
     * @throws ConnectionClosedException if this transport is closed
     */
    Listener listen(InetSocketAddress local) throws IOException;

    /**
     * A connection to {@code remote}, reusing any open one, inbound or outbound, whose remote
     * address is {@code remote} (RFC 3261 §18.1.1); otherwise a new one, connected (and for TLS,
     * handshaken) before this returns, within the connect and handshake timeouts. A connect that
     * fails also delivers a {@link ConnectionEvent.Failed} event ({@code inbound} false). For UDP the flow goes out of a listener
     * of the same address family, so answers come back to the listening port, or out of an
     * ephemeral socket when there is none.
     *
     * @throws ConnectionLimitException if {@link TransportConfig#maxConnections()} are open
     * @throws TlsException if the TLS handshake or the server's identity check fails
     * @throws IOException if the peer cannot be reached
     */
    default Connection connect(InetSocketAddress remote) throws IOException {
        return connect(remote, null);
    }

    /**
     * As {@link #connect(InetSocketAddress)}, naming the host the connection is for: the TLS
     * server name (SNI) and the identity the server's certificate must carry (RFC 5922 §7.2).
     * Transports that have no use for it ignore it.
     *
     * @param serverName a domain name, or null to check the certificate against the IP address
     */
    Connection connect(InetSocketAddress remote, String serverName) throws IOException;

    /** The open connection carrying {@code flow}, if any (for UDP: if its listener is open). */
    Optional<Connection> find(Flow flow);

    /** The open listeners. */
    List<Listener> listeners();

    /** A snapshot of this transport's counters and live counts. */
    TransportStats stats();

    /**
     * Closes every listener and connection; afterwards {@link TransportStats#sockets()} and
     * {@link TransportStats#connections()} are zero. Idempotent.
     */
    @Override
    void close();
}
