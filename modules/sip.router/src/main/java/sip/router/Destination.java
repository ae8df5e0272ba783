package sip.router;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * One place a request can be sent: a transport protocol name as providers know it ({@code "udp"},
 * {@code "tcp"}, {@code "tls"}, {@code "ws"}, ...), a resolved address, and the host name the
 * target was known by (for TLS: SNI and the certificate identity check, RFC 5922), or null for an
 * IP literal.
 */
public record Destination(String protocol, InetSocketAddress address, String serverName) {

    public Destination {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        protocol = protocol.toLowerCase(Locale.ROOT);
    }

    public static Destination of(String protocol, InetSocketAddress address) {
        return new Destination(protocol, address, null);
    }

    @Override
    public String toString() {
        return protocol + ":" + address.getAddress().getHostAddress() + ":" + address.getPort()
                + (serverName == null ? "" : " (" + serverName + ")");
    }
}
