package sip.router.internal.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.transport.spi.Listener;

/**
 * Who a user agent is when it makes a request: the configured identity, or one derived from
 * {@code hostName} or the listeners, read afresh each time because listeners come after the user
 * agent is built. From is an identity, not a routing address (RFC 3261 §8.1.1.3), so a derived
 * one need not be reachable; where this agent is reached (Contact) follows the Via sent-by and is
 * the transport layer's to fill in.
 */
public final class LocalIdentity {

    private static final String DEFAULT_USER = "parley";

    private final NameAddress identity;
    private final String hostName;
    private final Supplier<List<Listener>> listeners;

    /**
     * @param identity the configured identity, or null to derive one
     * @param hostName the configured host name, or null
     * @param listeners the open listeners in creation order
     */
    public LocalIdentity(NameAddress identity, String hostName, Supplier<List<Listener>> listeners) {
        this.identity = identity;
        this.hostName = hostName;
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    /**
     * The From of new requests: the configured one, else {@code <sip:parley@HOST[:PORT]>} with
     * HOST the configured host name (and the first listener's port), else the first listener in
     * creation order with a concrete (non-wildcard) address and its port, else {@code 127.0.0.1}.
     */
    public NameAddress identity() {
        if (identity != null) {
            return identity;
        }
        List<Listener> open = listeners.get();
        if (hostName != null) {
            return NameAddress.of(SipUri.of(DEFAULT_USER, hostName, open.isEmpty() ? -1 : open.getFirst().localAddress().getPort()));
        }
        for (Listener l : open) {
            InetSocketAddress a = l.localAddress();
            if (a.getAddress() != null && !a.getAddress().isAnyLocalAddress()) {
                return NameAddress.of(SipUri.of(DEFAULT_USER, literal(a.getAddress()), a.getPort()));
            }
        }
        return NameAddress.of(SipUri.of(DEFAULT_USER, "127.0.0.1", -1));
    }

    /** The host of {@link #identity()} when it is a SIP URI (Call-IDs name it), else {@code parley}. */
    public String host() {
        return identity().uri() instanceof SipUri u ? u.host() : DEFAULT_USER;
    }

    /** An IP literal as a SIP URI host: IPv6 in brackets, RFC 5952 short form, no scope. */
    static String literal(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return ip.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first if tied.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 1 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.append(']').toString();
    }
}
