package sip.transport.spi;

/** The connection (or the UDP listener under a flow) is closed; nothing more can be sent on it. */
public final class ConnectionClosedException extends TransportException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(Flow flow, Throwable cause) {
        super("connection closed: " + flow, cause);
    }

    /**
     * The whole transport is closed: nothing can be bound at or sent to {@code address} (null when
     * the caller has no address to name).
     */
    public ConnectionClosedException(String protocol, java.net.InetSocketAddress address, Throwable cause) {
        super(protocol + " transport is closed" + (address == null ? "" : " (asked for " + address + ")"), cause);
    }
}
