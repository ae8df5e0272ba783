package sip.transport.spi;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The lifecycle of connections, told to {@link InboundHandler#onEvent}. */
public sealed interface ConnectionEvent {

    /** A connection is open and ready (for TLS: after the handshake). */
    record Opened(Connection connection) implements ConnectionEvent {}

    /** A connection closed; its flow is gone. */
    record Closed(Connection connection, CloseReason reason) implements ConnectionEvent {}

    /**
     * A connection could not be opened: an outbound connect that failed, or an inbound one whose
     * TLS/WebSocket handshake failed or that was refused by the connection limit. During a flood
     * of refused connections some may only be counted ({@link TransportStats#refused()}) without
     * an event, so that reporting them never slows down accepting.
     *
     * @param protocol lower-case protocol name
     * @param remote the peer
     * @param inbound true if the peer was connecting to us
     * @param cause what went wrong ({@link TlsException}, {@link ConnectionLimitException}, ...)
     */
    record Failed(String protocol, InetSocketAddress remote, boolean inbound, IOException cause)
            implements ConnectionEvent {}
}
