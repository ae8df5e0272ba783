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
     *     request above the MTU, RFC 3261 §18.1.1; see {@link #sendAboveMtu}), before anything is sent
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

    /**
     * Sends one serialized request as {@link #send(ByteBuffer)} does, but past this transport's
     * size policy ({@link TransportConfig#mtu}): for RFC 3261 §18.1.1's retry only. A request
     * that policy refuses must go over a congestion-controlled transport such as TCP; when the
     * peer answers the connection attempt with a reset or an ICMP error (it has no TCP), the
     * element SHOULD retry over UDP, and the request then travels at its size. Without this
     * method that retry could never leave, since a plain {@code send} keeps refusing it.
     *
     * <p>Only a policy is waived: a limit of the transport itself still applies (a UDP datagram
     * above 65,507 bytes is refused with {@link MessageTooLargeException}). A transport without
     * such a policy need not override this: the default is a plain {@link #send(ByteBuffer)}.
     *
     * @throws MessageTooLargeException if the message exceeds what the transport can carry at all
     * @throws ConnectionClosedException as {@link #send(ByteBuffer)}
     * @throws IOException as {@link #send(ByteBuffer)}
     */
    default void sendAboveMtu(ByteBuffer message) throws IOException {
        send(message);
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
