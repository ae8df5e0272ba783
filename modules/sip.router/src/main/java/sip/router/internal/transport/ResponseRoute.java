package sip.router.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import sip.message.Via;
import sip.transport.spi.Protocol;

/**
 * Where a response goes when it cannot simply go back on the connection its request came in on
 * (RFC 3261 §18.2.2, RFC 3581 §4), from the top Via alone.
 */
final class ResponseRoute {

    private ResponseRoute() {
    }

    /**
     * Reliable: {@code received} (else the sent-by host) at the sent-by port, for a new
     * connection. Unreliable: {@code maddr} at the sent-by port; else {@code received} at
     * {@code rport}'s value, else the sent-by port; else the sent-by host and port. A missing port
     * is the protocol's default.
     *
     * @throws IOException when the host cannot be resolved, or names a multicast, broadcast or
     *     unspecified address: nothing taken from a Via may make this host send there
     */
    static InetSocketAddress target(Via via, Protocol protocol) throws IOException {
        int sentByPort = via.port() >= 0 ? via.port() : protocol.defaultPort();
        String host;
        int port = sentByPort;
        if (protocol.reliable()) {
            host = via.received() != null ? via.received() : via.host();
        } else if (via.maddr() != null) {
            host = via.maddr();
        } else if (via.received() != null) {
            host = via.received();
            port = via.rport().orElse(sentByPort);
        } else {
            host = via.host();
        }
        InetAddress address = HostAddresses.resolve(host);
        if (HostAddresses.isForbiddenTarget(address)) {
            throw new IOException("refusing to send a response to " + address.getHostAddress()
                    + " (multicast, broadcast or unspecified) taken from Via " + via);
        }
        return new InetSocketAddress(address, port);
    }
}
