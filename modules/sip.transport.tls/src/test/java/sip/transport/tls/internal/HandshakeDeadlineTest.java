package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ending a handshake disarms its deadline atomically: either the timer can no longer close the
 * socket, or the handshake is failed as timed out; never a "successful" handshake whose socket the
 * timer closes a moment later.
 */
class HandshakeDeadlineTest {

    private ServerSocket server;
    private Socket socket;
    private Socket peer;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket = new Socket();
        socket.connect(server.getLocalSocketAddress());
        peer = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        socket.close();
        peer.close();
        server.close();
    }

    @Test
    void aDeadlineDisarmedInTimeNeverClosesTheSocket() throws Exception {
        HandshakeDeadline deadline = new HandshakeDeadline(socket, Duration.ofMillis(50));
        assertDoesNotThrow(deadline::disarm);
        assertFalse(deadline.expired());
        // Well past the deadline the socket is still open: a closed one would fail the read at once.
        socket.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        assertFalse(socket.isClosed());
        assertDoesNotThrow(deadline::disarm, "idempotent");
    }

    @Test
    void aDeadlineThatFiredFailsTheDisarmEvenIfTheHandshakeGotThrough() throws Exception {
        HandshakeDeadline deadline = new HandshakeDeadline(socket, Duration.ofMillis(50));
        socket.setSoTimeout((int) Duration.ofSeconds(Recorder.WAIT_SECONDS).toMillis());
        // Blocks until the deadline closes the socket under it.
        assertThrows(SocketException.class, () -> socket.getInputStream().read());
        assertTrue(deadline.expired());
        assertThrows(SocketTimeoutException.class, deadline::disarm);
        assertThrows(SocketTimeoutException.class, deadline::disarm, "still, once fired");
    }
}
