package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.transport.tcp.internal.StreamSockets;

/**
 * Nagle is off on both ends of a TLS connection, as on TCP: with it on, the last small segment
 * of each record waits for the ACK the peer's delayed ACK holds back (350 messages/s instead of
 * 35,000 with 16 in flight).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsNoDelayTest extends TlsFixture {

    @Test
    void tcpNoDelayIsSetOnTheAcceptedAndTheConnectedSocket() throws Exception {
        TlsSockets serverSockets = TlsSockets.create(serverTls().build());
        TlsSockets clientSockets = TlsSockets.create(clientTls().build());
        Duration timeout = Duration.ofSeconds(5);
        try (ServerSocket listener = serverSockets.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            CompletableFuture<Socket> accepted = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Socket raw = listener.accept();
                    serverSockets.accepted(raw, timeout); // the server-side handshake, as the transport runs it
                    accepted.complete(raw);
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            StreamSockets.Layered client = clientSockets.connect(
                    (InetSocketAddress) listener.getLocalSocketAddress(), "sip.test", timeout, timeout);
            try (Socket clientStream = client.stream(); Socket serverRaw = accepted.get(5, TimeUnit.SECONDS)) {
                assertTrue(client.raw().getTcpNoDelay(), "TCP_NODELAY on the connected socket");
                assertTrue(serverRaw.getTcpNoDelay(), "TCP_NODELAY on the accepted socket");
            }
        }
    }
}
