package sip.router.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.internal.transport.HostAddresses;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transports;

/**
 * {@link ServerLocator#jdk()}: IP literals and JDK name resolution (RFC 3263 §4 without DNS
 * records). The transport is the URI's {@code transport} parameter, TLS for {@code sips}, else
 * UDP, else TCP, else the first protocol offered; a name gives one destination per address the
 * resolver returns, in its order, for failover (RFC 3263 §4.3).
 */
public final class JdkServerLocator implements ServerLocator {
    public static final JdkServerLocator INSTANCE = new JdkServerLocator();

    private JdkServerLocator() {
    }

    @Override
    public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
        String protocol = protocol(target, protocols);
        if (protocol == null) {
            return List.of();
        }
        String maddr = target.parameter("maddr");
        String host = maddr != null && !maddr.isEmpty() ? maddr : target.host();
        int port = target.port() >= 0 ? target.port() : defaultPort(protocol);
        InetAddress literal = HostAddresses.literal(host);
        if (literal != null) {
            return List.of(new Destination(protocol, new InetSocketAddress(literal, port), null));
        }
        InetAddress[] addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve host '" + host + "' of " + target + ": " + e.getMessage(), e);
        }
        List<Destination> found = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            found.add(new Destination(protocol, new InetSocketAddress(a, port), host));
        }
        return List.copyOf(found);
    }

    /** {@link ServerLocator#locateSentBy} without SRV: the host's addresses, the protocol's default port. */
    public static List<Destination> sentBy(String protocol, String host, int port) throws IOException {
        String p = protocol.toLowerCase(java.util.Locale.ROOT);
        int at = port >= 0 ? port : defaultPort(p);
        InetAddress literal = HostAddresses.literal(host);
        if (literal != null) {
            return List.of(new Destination(p, new InetSocketAddress(literal, at), null));
        }
        InetAddress[] addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve sent-by host '" + host + "': " + e.getMessage(), e);
        }
        List<Destination> found = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            found.add(new Destination(p, new InetSocketAddress(a, at), host));
        }
        return List.copyOf(found);
    }

    /** RFC 3263 §4.1 without NAPTR/SRV; null when the choice is not among {@code protocols}. */
    static String protocol(SipUri target, Set<String> protocols) {
        String transport = target.transport();
        if (transport != null) {
            String wanted = target.secure() ? secureTransport(transport) : transport;
            return wanted != null && protocols.contains(wanted) ? wanted : null;
        }
        if (target.secure()) {
            return protocols.contains("tls") ? "tls" : null;
        }
        if (protocols.contains("udp")) {
            return "udp";
        }
        if (protocols.contains("tcp")) {
            return "tcp";
        }
        return protocols.isEmpty() ? null : protocols.iterator().next();
    }

    /**
     * The transport of a {@code sips} URI's {@code transport=}: TLS over TCP (RFC 3261 §26.2.2,
     * RFC 5630 §3.1), WSS over WS (RFC 7118 §5); null for one without TLS (udp, sctp, ...): SIPS
     * needs TLS on every hop and RFC 5630 §3.1.3 names {@code sips} with {@code transport=udp} as
     * not to be used, so there is no destination.
     */
    private static String secureTransport(String transport) {
        return switch (transport) {
            case "tcp", "tls" -> "tls";
            case "ws", "wss" -> "wss";
            default -> null;
        };
    }

    private static int defaultPort(String protocol) {
        try {
            return Transports.protocol(protocol).defaultPort();
        } catch (IllegalStateException e) {
            return protocol.equals(Protocol.TLS.name()) ? Protocol.TLS.defaultPort() : Protocol.UDP.defaultPort();
        }
    }

    /**
     * The host's addresses from the JDK resolver. A host of digits and dots that is no dotted
     * quad ("1.2.3", "16909060") is no host name either (RFC 3261 {@code toplabel} starts with
     * a letter), and the JDK resolver would take it as the BSD short form of an address: refused.
     */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        boolean digitsAndDots = !host.isEmpty();
        for (int i = 0; i < host.length() && digitsAndDots; i++) {
            char c = host.charAt(i);
            digitsAndDots = c == '.' || (c >= '0' && c <= '9');
        }
        if (digitsAndDots) {
            throw new UnknownHostException(host + ": neither an IPv4 address (four decimal parts) nor a host name");
        }
        return InetAddress.getAllByName(host);
    }
}
