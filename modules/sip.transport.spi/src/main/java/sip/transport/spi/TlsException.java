package sip.transport.spi;

import java.util.Objects;

/** A TLS handshake or identity check failed; the connection was not opened. */
public final class TlsException extends TransportException {

    private static final long serialVersionUID = 1L;

    /** What kind of TLS failure; the message says the details. */
    public enum Failure {
        /** The peer's certificate does not chain to a trusted anchor. */
        UNTRUSTED_CERTIFICATE,
        /** The peer's certificate (or one in its chain) is expired or not yet valid. */
        EXPIRED_CERTIFICATE,
        /** The server's certificate does not name the host we connected to (RFC 5922 §7.2). */
        IDENTITY_MISMATCH,
        /** Mutual TLS: the client sent no certificate, or one the server does not trust. */
        CLIENT_CERTIFICATE_REJECTED,
        /** No common protocol version or cipher suite, or a protocol error. */
        PROTOCOL,
        /** The handshake did not finish within {@link TransportConfig#handshakeTimeout()}. */
        TIMEOUT
    }

    private final Failure failure;

    public TlsException(Failure failure, String message, Throwable cause) {
        super(Objects.requireNonNull(failure, "failure") + ": " + message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
