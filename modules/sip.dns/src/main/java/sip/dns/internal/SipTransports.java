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

    /**
     * The transport of a {@code transport=} parameter: TLS/WSS for its TCP/WS in a {@code sips}
     * URI; null for a {@code sips} URI naming a transport TLS cannot run over (udp, sctp, ...):
     * SIPS asks for TLS on every hop (RFC 3261 §26.2.2), RFC 5630 §3.1.3 names {@code sips} with
     * {@code transport=udp} as not to be used, so such a URI has no destination at all.
     */
    static String secureProtocol(String transport, boolean secure) {
        if (!secure) {
            return transport;
        }
        return switch (transport) {
            case "tcp", "tls" -> "tls";   // RFC 3261 §26.2.2, RFC 5630 §3.1
            case "ws", "wss" -> "wss";    // RFC 7118 §5
            default -> null;
        };
    }

    /** The transport for an IP literal or a name with a port: {@code transport=}, else as the JDK locator chooses. */
    static String directProtocol(SipUri target, Set<String> protocols) {
        String transport = target.transport();
        if (transport != null) {
            String wanted = secureProtocol(transport, target.secure());
            return wanted != null && protocols.contains(wanted) ? wanted : null;
        }
        return jdkProtocol(target, protocols);
    }

    /** The transport without NAPTR/SRV, as {@code sip.router}'s JDK locator picks it. */
    static String jdkProtocol(SipUri target, Set<String> protocols) {
        if (target.transport() != null) {
            String wanted = secureProtocol(target.transport(), target.secure());
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

    /**
     * An IPv4 or (bracketed or bare) IPv6 literal's address, without a lookup; null for a name.
     * IPv4 only as RFC 3261's {@code IPv4address}, four decimal parts: {@link InetAddress#ofLiteral}
     * also takes the BSD short forms ("1.2.3" = 1.2.0.3, "16909060" = 1.2.3.4), which no peer
     * means as an address; such a host is looked up as the name it is written as.
     */
    static InetAddress literal(String host) {
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String bare = bracketed ? host.substring(1, host.length() - 1) : host;
        if (bare.indexOf(':') < 0 && (bracketed || !dottedQuad(bare))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(bare);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 3261 {@code IPv4address}: {@code 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT}. */
    static boolean dottedQuad(String host) {
        int parts = 0;
        int digits = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && parts < 3) {
                parts++;
                digits = 0;
            } else {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }
}
