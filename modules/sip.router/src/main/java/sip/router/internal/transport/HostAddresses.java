package sip.router.internal.transport;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;
import sip.router.internal.AddressText;

/**
 * Host text as it appears in Via and URIs, turned into addresses: IP literals only, without any
 * lookup, and the addresses a message must never be sent to
 * (RFC 4475 §3.1.2.3 bcast: a Via may name a broadcast or multicast address).
 */
public final class HostAddresses {

    /** Subnet-directed broadcast addresses of this host's interfaces, read once. */
    private static final Set<InetAddress> LOCAL_BROADCASTS = localBroadcasts();

    private HostAddresses() {
    }

    /**
     * The address of an IPv4 literal (dotted quad) or a bracketed or bare IPv6 literal; null for
     * anything else (a domain name), so no name is ever looked up here. IPv4 only as RFC 3261's
     * {@code IPv4address}, four decimal parts: {@link InetAddress#ofLiteral} alone would also take
     * the BSD short forms ("1.2.3" = 1.2.0.3, "16909060" = 1.2.3.4), which no peer means as an
     * address. Also {@link sip.router.ServerLocator#jdk()}'s test of what needs no lookup.
     */
    public static InetAddress literal(String host) {
        if (host.isEmpty()) {
            return null;
        }
        char first = host.charAt(0);
        if (first == '[' || host.indexOf(':') >= 0 || isDottedQuad(host)) {
            try {
                return InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * True for a name under the reserved {@code invalid.} top-level domain (RFC 6761 §6.4: it
     * never resolves, and must not be looked up). WebSocket clients name themselves so in Via
     * and Contact (RFC 7118 §5, e.g. {@code df7jal23ls0d.invalid}): they are reached only over
     * their connection. The bare name {@code invalid} counts; a trailing dot and any case are accepted.
     */
    public static boolean isInvalidName(String host) {
        int end = host.endsWith(".") ? host.length() - 1 : host.length();
        // "invalid" itself is reserved too (RFC 6761 §6.4: "invalid." and all names under it).
        return end == 7 ? host.regionMatches(true, 0, "invalid", 0, 7)
                : end > 8 && host.regionMatches(true, end - 8, ".invalid", 0, 8);
    }

    /**
     * True for addresses no response or request may go to: multicast, the limited broadcast
     * 255.255.255.255, a local subnet's broadcast, and the unspecified address.
     */
    static boolean isForbiddenTarget(InetAddress address) {
        if (address.isMulticastAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF) {
            return true;
        }
        return LOCAL_BROADCASTS.contains(address);
    }

    /** The host as Via sent-by writes it: IPv6 in brackets, short form, without a scope. */
    static String viaHost(InetAddress address) {
        return AddressText.uriHost(address);
    }

    /** The address as a Via received parameter writes it: IPv6 short form, without brackets or scope. */
    static String receivedText(InetAddress address) {
        return AddressText.bare(address);
    }

    /** RFC 3261 {@code IPv4address}: {@code 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT}. */
    public static boolean isDottedQuad(String host) {
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                dots++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && ++digits <= 3) {
                continue;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    private static Set<InetAddress> localBroadcasts() {
        Set<InetAddress> found = new HashSet<>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                for (InterfaceAddress a : interfaces.nextElement().getInterfaceAddresses()) {
                    if (a.getBroadcast() != null) {
                        found.add(a.getBroadcast());
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // No interface list (a sandbox): multicast and 255.255.255.255 are still refused.
        }
        return Set.copyOf(found);
    }
}
