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
     * <p>IP literals only. §18.2.2 would resolve a {@code maddr} name (or a sent-by name that has
     * no {@code received}, which the receiving side never lets through) with RFC 3263, but this runs
     * on transport and timer threads, and a response path must never block on a DNS lookup whose
     * name, and so whose latency, the peer chooses. Such a response is refused instead. The one
     * lookup a response does make, RFC 3263 §5 for a reliable transport whose connection to
     * {@code received} fails, runs off the sending thread ({@link SentByConnection}).
     *
     * @throws IOException when the host is not an IP literal, or names a multicast, broadcast or
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
        InetAddress address = HostAddresses.literal(host);
        if (address == null) {
            throw new IOException("refusing to look up '" + host + "' to send a response (Via " + via
                    + "): responses go to IP addresses only, never through DNS a peer controls");
        }
        if (HostAddresses.isForbiddenTarget(address)) {
            throw new IOException("refusing to send a response to " + address.getHostAddress()
                    + " (multicast, broadcast or unspecified) taken from Via " + via);
        }
        return new InetSocketAddress(address, port);
    }

    /**
     * The name a new TLS connection back to the client checks the certificate against (§18.2.2
     * reconnect): the sent-by host when it is a domain name, null for an IP literal (then the
     * address it connects to is all there is to check).
     */
    static String serverName(Via via) {
        return HostAddresses.literal(via.host()) == null ? via.host() : null;
    }
}
