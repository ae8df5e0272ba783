package sip.transport.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;
import sip.transport.spi.TransportConfig;

/**
 * How a stream transport gets its sockets and frames its messages: plain sockets for TCP,
 * {@code SSLSocket}s for TLS, either under an HTTP upgrade and WebSocket frames for WS and WSS
 * ({@link #open}). Everything else (reader loop, keep-alive, limits, timeouts, counts, reuse) is
 * {@link StreamTransport}'s and the same for all. Exported only to the modules of Parley's own
 * stream providers.
 *
 * <p>The transport always holds the raw TCP socket under a secure one ({@link Layered}): closing a
 * TLS socket writes {@code close_notify} with a blocking write that has no timeout, so only the raw
 * socket can be closed without waiting on the peer. Hence listeners are plain server sockets and TLS
 * is layered over each accepted socket.
 */
public interface StreamSockets {

    /**
     * A connected socket and what messages travel over.
     *
     * @param raw the TCP socket; closing it ends the connection at once, whatever is blocked on it
     * @param stream what is read and written: {@code raw} itself for TCP, an {@code SSLSocket}
     *     layered over it (closing it closes {@code raw}) for TLS
     */
    record Layered(Socket raw, Socket stream) {

        /** A plain TCP connection: nothing is layered over the socket. */
        public static Layered plain(Socket socket) {
            return new Layered(socket, socket);
        }

        /** True if {@link #stream} is a protocol layered over {@link #raw}. */
        public boolean layered() {
            return raw != stream;
        }
    }

    /** A bound plain server socket: secure protocols layer themselves over each accepted socket. */
    ServerSocket bind(InetSocketAddress local, int backlog) throws IOException;

    /**
     * Runs on the accepted connection's own thread before it is announced: returns the socket
     * itself for TCP; for TLS, an {@code SSLSocket} layered over it once the server-side handshake
     * is done, bounded by {@code handshakeTimeout}.
     *
     * @throws IOException ({@code sip.transport.spi.TlsException} for TLS) if the peer must be
     *     refused; the caller then closes {@code raw} and sends a {@code Failed} event
     */
    Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException;

    /**
     * A connection to {@code remote}: for TLS, handshaken (SNI = {@code serverName}) and with the
     * server's identity checked against {@code serverName}, or the IP address when null.
     */
    Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout) throws IOException;

    /**
     * {@link #connect(InetSocketAddress, String, Duration, Duration)}, handing the raw socket to
     * {@code created} before connecting it, so the transport can close it (and end the connect or
     * the TLS handshake at once) when it closes. {@code created} may close the socket; the connect
     * then fails. The default hands nothing over: the connect is out of the transport's reach
     * until it returns.
     */
    default Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout, Consumer<Socket> created) throws IOException {
        return connect(remote, serverName, connectTimeout, handshakeTimeout);
    }

    /**
     * Opens the message layer of a new connection, on the connection's own thread before it is
     * announced: SIP's Content-Length framing at once by default (TCP, TLS). A protocol with an
     * opening exchange of its own (WebSocket's HTTP upgrade) runs it here, over
     * {@code socket.stream()}, within {@code handshakeTimeout}; bytes it read past that exchange
     * go into the framing it returns.
     *
     * @param inbound true for an accepted socket (this side serves), false for a connect
     * @param serverName for a connect, the name given to it (null when none)
     * @param handshakeTimeout what is left of the handshake timeout (zero: none)
     * @throws IOException if the connection must be given up; the caller then closes the socket
     *     and reports a {@code Failed} event with it
     */
    default MessageFraming open(Layered socket, boolean inbound, String serverName, TransportConfig config,
            Duration handshakeTimeout) throws IOException {
        return MessageFraming.sip(config.parser().newStreamFramer());
    }
}
