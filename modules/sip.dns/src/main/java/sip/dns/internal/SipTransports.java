package sip.dns.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import sip.message.SipUri;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transports;

/**
 * The transport rules of RFC 3263 §4.1 that need no DNS: which protocol a URI asks for, its SRV
 * name, its default port, and whether a host is an IP literal.
 */
final class SipTransports {
    private static final Map<String, Integer> DEFAULT_PORTS = new ConcurrentHashMap<>();

    private SipTransports() {
    }

    /** The SRV service label pair of a protocol (RFC 3263 §4.1, RFC 7118 §5), or null for one without SRV. */
    static String srvPrefix(String protocol) {
        return switch (protocol) {
            case "udp" -> "_sip._udp";
            case "tcp" -> "_sip._tcp";
            case "tls" -> "_sips._tcp";
            case "ws" -> "_sip._ws";
            case "wss" -> "_sips._ws";
            default -> null;
        };
    }

    static Name srvName(String protocol, Name domain) {
        String prefix = srvPrefix(protocol);
        if (prefix == null) {
            return null;
        }
        try {
            return Name.concatenate(Name.fromString(prefix), domain);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            return null;   // a domain too long for the prefix has no SRV name
        }
    }

    /** The transport of a {@code transport=} parameter: TLS/WSS for its TCP/WS in a {@code sips} URI. */
    static String secureProtocol(String transport, boolean secure) {
        if (secure && transport.equals("tcp")) {
            return "tls";   // RFC 3261 §26.2.2, RFC 5630 §3.1
        }
        if (secure && transport.equals("ws")) {
            return "wss";   // RFC 7118 §5
        }
        return transport;
    }

    /** The transport for an IP literal or a name with a port: {@code transport=}, else as the JDK locator chooses. */
    static String directProtocol(SipUri target, Set<String> protocols) {
        String transport = target.transport();
        if (transport != null) {
            String wanted = secureProtocol(transport, target.secure());
            return protocols.contains(wanted) ? wanted : null;
        }
        return jdkProtocol(target, protocols);
    }

    /** The transport without NAPTR/SRV, as {@code sip.router}'s JDK locator picks it. */
    static String jdkProtocol(SipUri target, Set<String> protocols) {
        if (target.transport() != null) {
            String wanted = secureProtocol(target.transport(), target.secure());
            return protocols.contains(wanted) ? wanted : null;
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

    /** The transport provider's default port; without the provider, the RFC's (5060, 5061 for TLS, 80/443 for WS/WSS). */
    static int defaultPort(String protocol) {
        return DEFAULT_PORTS.computeIfAbsent(protocol, p -> {
            try {
                return Transports.protocol(p).defaultPort();
            } catch (RuntimeException e) {
                for (Protocol known : List.of(Protocol.UDP, Protocol.TCP, Protocol.TLS, Protocol.WS, Protocol.WSS)) {
                    if (known.name().equals(p)) {
                        return known.defaultPort();
                    }
                }
                return Protocol.UDP.defaultPort();
            }
        });
    }

    /** An IPv4 or (bracketed or bare) IPv6 literal's address, without a lookup; null for a name. */
    static InetAddress literal(String host) {
        boolean dotted = !host.isEmpty();
        for (int i = 0; i < host.length() && dotted; i++) {
            char c = host.charAt(i);
            dotted = c == '.' || (c >= '0' && c <= '9');
        }
        if (!dotted && !host.startsWith("[") && host.indexOf(':') < 0) {
            return null;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.ofLiteral(bare);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
