package sip.transport.spi;

/** The transport already has {@link TransportConfig#maxConnections()} open connections. */
public final class ConnectionLimitException extends TransportException {

    private static final long serialVersionUID = 1L;

    public ConnectionLimitException(String protocol, int limit) {
        super(protocol + " connection limit of " + limit + " reached", null);
    }
}
