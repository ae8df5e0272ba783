package sip.transport.ws.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A WebSocket server written by hand for client tests: accepts one connection on loopback and
 * runs a script on it (on a virtual thread), whose result the test can wait for.
 */
final class HandWrittenServer<T> implements AutoCloseable {

    /** What the server does with the accepted socket, as a raw peer. */
    @FunctionalInterface
    interface Script<T> {
        T run(RawWsPeer client, Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    HandWrittenServer(Script<T> script) throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                result.complete(script.run(new RawWsPeer(s), s));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    CompletableFuture<T> result() {
        return result;
    }

    /** A 101 answering {@code requestHead} (its key), with {@code extraLines} (each ending CRLF). */
    static String switching(String requestHead, String extraLines) {
        String key = requestHead.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst()
                .orElseThrow().substring("Sec-WebSocket-Key: ".length());
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.accept(key) + "\r\n" + extraLines + "\r\n";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
