package sip.torture.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the premise of the wire suite: its JVM sees only loopback, and what a SIP stack would do
 * with the hosts in the RFC 4475 messages (send to 192.0.2.x, resolve example.com) fails at once,
 * on this side of the machine's edge.
 */
class NetworkNamespaceTest {
    private static final InetSocketAddress TEST_NET_1 = new InetSocketAddress("192.0.2.1", 5060);

    @BeforeEach
    void isolated() {
        NetworkNamespace.requireIsolated();
    }

    @Test
    void onlyLoopbackIsVisibleAndItIsUp() throws IOException {
        var interfaces = NetworkNamespace.interfaces();
        assertEquals(1, interfaces.size(), "interfaces: " + interfaces);
        NetworkInterface lo = interfaces.getFirst();
        assertTrue(lo.isLoopback() && lo.isUp(), "lo up: " + lo);
        assertTrue(lo.inetAddresses().anyMatch(a -> a.equals(InetAddress.getLoopbackAddress())),
                "127.0.0.1 on " + lo);
    }

    @Test
    void udpToTestNetIsUnreachable() throws IOException {
        byte[] ping = "OPTIONS sip:x@192.0.2.1 SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            // Bound to loopback like the server's listener: the kernel has no route off it.
            IOException e = assertThrows(IOException.class, () -> s.send(new DatagramPacket(ping, ping.length, TEST_NET_1)));
            assertTrue(e.getMessage().contains("unreachable"), e.toString());
        }
        try (DatagramSocket s = new DatagramSocket()) {
            assertThrows(IOException.class, () -> s.send(new DatagramPacket(ping, ping.length, TEST_NET_1)));
        }
    }

    @Test
    void tcpToTestNetFailsWithoutWaiting() {
        IOException e;
        try (Socket s = new Socket()) {
            e = assertThrows(IOException.class, () -> s.connect(TEST_NET_1, 5_000));
        } catch (IOException closing) {
            throw new AssertionError(closing);
        }
        // Unreachable, not a timeout: no SYN went anywhere (a SYN sent and lost would end in a
        // SocketTimeoutException after the 5 s connect timeout).
        assertFalse(e instanceof java.net.SocketTimeoutException, "connect failed only after a wait: " + e);
    }

    @Test
    void exampleDotComDoesNotResolve() {
        assertThrows(UnknownHostException.class, () -> InetAddress.getByName("example.com"));
    }
}
