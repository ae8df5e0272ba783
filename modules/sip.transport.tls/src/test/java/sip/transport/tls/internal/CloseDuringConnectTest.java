package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Transport;

/**
 * Closing the transport ends an outbound TLS handshake in progress at once: the connect fails with
 * {@link ConnectionClosedException}, not after the handshake timeout with a timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseDuringConnectTest extends TlsFixture {

    @Test
    void closingTheTransportAbortsAnOutboundTlsHandshakeAtOnce() throws Exception {
        CountDownLatch accepted = new CountDownLatch(1);
        CompletableFuture<Integer> serverRead = new CompletableFuture<>();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    accepted.countDown();
                    // Reads the ClientHello and never answers: -1 once the client's socket closes.
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = s.getInputStream().read(b)) > 0) {
                        // the handshake the client started
                    }
                    serverRead.complete(n);
                } catch (IOException e) {
                    serverRead.completeExceptionally(e);
                }
            });
            Transport client = open(clientTls().build(), Recorder.quiet(), b -> b.handshakeTimeout(Duration.ofSeconds(10)));
            CompletableFuture<Throwable> attempt = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    client.connect((InetSocketAddress) silent.getLocalSocketAddress(), "sip.test");
                    attempt.complete(null);
                } catch (IOException | RuntimeException e) {
                    attempt.complete(e);
                }
            });
            assertTrue(accepted.await(5, TimeUnit.SECONDS), "the client never connected");
            long started = System.nanoTime();
            client.close();
            Throwable outcome = attempt.get(5, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertInstanceOf(ConnectionClosedException.class, outcome, "connect must fail as closed: " + outcome);
            // Half the 10 s handshake timeout: "at once" against "at the deadline", with room for a loaded machine.
            assertTrue(tookMs < 5_000, "connect ended " + tookMs + " ms after close(): it waited for the handshake timeout");
            assertTrue(serverRead.get(5, TimeUnit.SECONDS) < 0, "the server saw the socket closed");
            assertTrue(client.stats().sockets() == 0 && client.stats().failed() == 0, client.stats().toString());
        }
    }
}
