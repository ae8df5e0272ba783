package sip.transport.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import sip.message.SipMessage;

/**
 * One flow over which messages go out and come in: a TCP or TLS connection, a WebSocket, or a
 * UDP socket paired with one peer address.
 *
 * <p>{@link #send} may be called from any thread; sends on one connection are written one after
 * the other, never interleaved. It blocks until the message is handed to the operating system, so
 * a peer that stops reading slows its senders down (and is closed after the write timeout) instead
 * of growing a queue.
 */
public interface Connection {

    /** The flow this connection carries; the key to find it again ({@link Transport#find}). */
    Flow flow();

    /** The transport protocol. */
    Protocol protocol();

    default InetSocketAddress localAddress() {
        return flow().local();
    }

    default InetSocketAddress remoteAddress() {
        return flow().remote();
    }

    /** True if the peer opened it (accepted by a listener, or a datagram that arrived). */
    boolean inbound();

    /**
     * Sends one serialized message: the remaining bytes of {@code message} (consumed). The buffer
     * is not kept after this returns.
     *
     * @throws MessageTooLargeException if the message may not travel on this transport (a UDP
     *     request above the MTU, RFC 3261 §18.1.1), before anything is sent
     * @throws ConnectionClosedException if the connection is closed, or closes while writing
     * @throws IOException on any other I/O failure; the connection is closed (for UDP only this
     *     flow view: the socket belongs to its listener and stays open)
     */
    void send(ByteBuffer message) throws IOException;

    default void send(byte[] message) throws IOException {
        send(ByteBuffer.wrap(message));
    }

    default void send(SipMessage message) throws IOException {
        send(ByteBuffer.wrap(message.toBytes()));
    }

    boolean isOpen();

    /**
     * Closes the connection. Idempotent; a {@link ConnectionEvent.Closed} event with
     * {@link CloseReason#LOCAL} follows. For UDP this only marks the flow view closed: the socket
     * belongs to its listener, and flows are views, not connections, so no event follows.
     */
    void close();

    /** The TLS session of a secure connection (peer certificates for RFC 5922 checks). */
    default Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }
}
