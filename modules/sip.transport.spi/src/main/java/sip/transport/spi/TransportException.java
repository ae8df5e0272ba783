package sip.transport.spi;

import java.io.IOException;

/** A transport failure the stack can act on by its type. */
public sealed class TransportException extends IOException
        permits MessageTooLargeException, ConnectionLimitException, ConnectionClosedException, TlsException {

    private static final long serialVersionUID = 1L;

    protected TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
