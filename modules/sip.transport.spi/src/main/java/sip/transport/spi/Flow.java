package sip.transport.spi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A flow in the RFC 5626 sense: the transport plus the local and remote address of one path.
 * A request that arrived on a flow is answered on the same flow, and in-dialog requests to a
 * NATed or connection-oriented peer go back over it ({@link Transport#find(Flow)}).
 *
 * <p>For a connection-oriented transport a flow names one connection; for UDP it names the
 * listening socket and the peer's address and stays usable as long as that socket is open.
 *
 * @param protocol lower-case protocol name ({@link Protocol#name()})
 * @param local the local socket address: an accepted connection's own (on a wildcard listener,
 *     the local IP the peer reached); for UDP the listener's
 * @param remote the peer's address as seen by this host (after any NAT)
 */
public record Flow(String protocol, InetSocketAddress local, InetSocketAddress remote) {

    public Flow {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String toString() {
        return protocol + ":" + format(local) + "->" + format(remote);
    }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
