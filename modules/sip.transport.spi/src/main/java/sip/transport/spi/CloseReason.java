package sip.transport.spi;

/** Why a connection closed. */
public enum CloseReason {
    /**
     * {@link Connection#close()} or {@link Transport#close()} on this side, or a thread of this
     * side interrupted during I/O on the connection.
     */
    LOCAL,
    /** The peer closed it (end of stream) or reset it. */
    PEER,
    /** Nothing was received for {@link TransportConfig#idleTimeout()}. */
    IDLE,
    /** A message was started and not finished within {@link TransportConfig#messageReadTimeout()}. */
    READ_TIMEOUT,
    /** The peer did not read what we sent within {@link TransportConfig#writeTimeout()}. */
    WRITE_TIMEOUT,
    /** The peer sent bytes that cannot be framed (the stream's framing is lost). */
    MALFORMED,
    /** An I/O error. */
    ERROR
}
