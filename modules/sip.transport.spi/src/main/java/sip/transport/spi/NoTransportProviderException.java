package sip.transport.spi;

/**
 * No provider on the module path serves the protocol asked for (or two do). The message names the
 * module to add, e.g. "no transport provider for 'ws' on the module path; add sip.transport.ws".
 */
public final class NoTransportProviderException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private final String protocol;

    public NoTransportProviderException(String protocol, String message) {
        super(message);
        this.protocol = protocol;
    }

    /** The protocol that was asked for. */
    public String protocol() {
        return protocol;
    }
}
