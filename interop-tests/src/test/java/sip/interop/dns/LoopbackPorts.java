package sip.interop.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports on 127.0.0.1 that nothing listens on right now, found by binding port 0 and closing the
 * socket: a place for SIPp to listen, or a dead SRV target (TCP: the connection is refused;
 * UDP: the datagram is dropped, so the request times out). Another process could take the
 * port meanwhile; SIPp then fails to bind and its test says so.
 */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    static int unused(String protocol) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (protocol.equals("udp")) {
            try (DatagramSocket s = new DatagramSocket(any)) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(any);
            return s.getLocalPort();
        }
    }
}
