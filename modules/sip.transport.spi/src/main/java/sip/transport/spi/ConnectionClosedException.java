package sip.transport.spi;

/** The connection (or the UDP listener under a flow) is closed; nothing more can be sent on it. */
public final class ConnectionClosedException extends TransportException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(Flow flow, Throwable cause) {
        super("connection closed: " + flow, cause);
    }
}
