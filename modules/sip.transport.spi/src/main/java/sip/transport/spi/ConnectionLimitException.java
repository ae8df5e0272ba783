package sip.transport.spi;

/**
 * The transport already has {@link TransportConfig#maxConnections()} open connections, or
 * {@link TransportConfig#maxConnectionsPerAddress()} from one peer address.
 */
public final class ConnectionLimitException extends TransportException {

    private static final long serialVersionUID = 1L;

    public ConnectionLimitException(String protocol, int limit) {
        super(protocol + " connection limit of " + limit + " reached", null);
    }

    /** The per-address limit: {@code address} already has {@code limit} connections open. */
    public ConnectionLimitException(String protocol, java.net.InetAddress address, int limit) {
        super(protocol + " connection limit of " + limit + " per address reached for "
                + address.getHostAddress(), null);
    }
}
