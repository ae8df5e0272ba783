package sip.transport.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Plain TCP sockets. {@code TCP_NODELAY} is on: a SIP message is written whole, and Nagle's delay
 * would only hold back the last segment of one waiting for an ACK.
 */
public final class TcpSockets implements StreamSockets {

    @Override
    public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(local, backlog);
            return server;
        } catch (IOException | RuntimeException e) {
            StreamTransport.closeQuietly(server);
            throw e;
        }
    }

    @Override
    public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
        raw.setTcpNoDelay(true);
        return raw;
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout) throws IOException {
        return connect(remote, serverName, connectTimeout, handshakeTimeout, socket -> { });
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout, Consumer<Socket> created) throws IOException {
        Socket socket = new Socket();
        try {
            created.accept(socket);
            socket.setTcpNoDelay(true);
            socket.connect(remote, StreamTransport.millis(connectTimeout));
            return Layered.plain(socket);
        } catch (IOException | RuntimeException e) {
            StreamTransport.closeQuietly(socket);
            throw e;
        }
    }
}
