package sip.transport.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * How a stream transport gets its sockets: plain for TCP, {@code SSLSocket}s for TLS. Everything
 * else (reader loop, framing, keep-alive, limits, counts) is {@link StreamTransport}'s and the
 * same for both. Exported only to the modules of Parley's own stream providers.
 */
public interface StreamSockets {

    /** A bound server socket (plain or {@code SSLServerSocket}). */
    ServerSocket bind(InetSocketAddress local, int backlog) throws IOException;

    /**
     * Runs on the accepted connection's own thread before it is announced: nothing for TCP, the
     * server-side handshake for TLS, bounded by {@code handshakeTimeout}.
     *
     * @throws IOException ({@code sip.transport.spi.TlsException} for TLS) if the peer must be
     *     refused; the socket is then closed and a {@code Failed} event sent
     */
    void accepted(Socket socket, Duration handshakeTimeout) throws IOException;

    /**
     * A connected socket to {@code remote}: for TLS, handshaken (SNI = {@code serverName}) and with
     * the server's identity checked against {@code serverName}, or the IP address when null.
     */
    Socket connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout) throws IOException;
}
