package sip.transport.spi;

/**
 * A message too large for the transport it was to go on; nothing was sent. For UDP this is a
 * request above the MTU (RFC 3261 §18.1.1): send it over a congestion-controlled transport (TCP)
 * and change the top Via accordingly.
 */
public final class MessageTooLargeException extends TransportException {

    private static final long serialVersionUID = 1L;
    private final int size;
    private final int limit;

    public MessageTooLargeException(String protocol, int size, int limit) {
        super(protocol + " message of " + size + " bytes exceeds the limit of " + limit
                + " bytes; send it over a congestion-controlled transport (RFC 3261 §18.1.1)", null);
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
