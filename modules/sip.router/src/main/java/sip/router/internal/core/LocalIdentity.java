package sip.router.internal.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;

/**
 * Who a user agent is when it makes a request: the configured identity, or one derived from
 * {@code hostName} and the first listener, read afresh each time because listeners come after
 * the user agent is built.
 */
public final class LocalIdentity {

    private static final String DEFAULT_USER = "parley";

    private final NameAddress identity;
    private final String hostName;
    private final Supplier<List<Listener>> listeners;
    /** The host for a wildcard listener, found once: the local host's address can be slow to get. */
    private volatile String wildcardHost;

    /**
     * @param identity the configured identity, or null to derive one
     * @param hostName the configured host name, or null for the first listener's address
     */
    public LocalIdentity(NameAddress identity, String hostName, Supplier<List<Listener>> listeners) {
        this.identity = identity;
        this.hostName = hostName;
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    /** The From of new requests: the configured one, else {@code <sip:parley@HOST:PORT>}. */
    public NameAddress identity() {
        return identity != null ? identity : NameAddress.of(local(false));
    }

    /**
     * Where this user agent receives requests: {@code sip:USER@HOST:PORT} with the user of the
     * identity, HOST and PORT as for {@link #identity()}, and {@code transport=} when the first
     * listener is not UDP.
     */
    public SipUri contact() {
        return local(true).withUser(userOf(identity));
    }

    /**
     * Where requests reach this user agent over {@code flow}: its local address (or
     * {@code hostName}), the identity's user, {@code transport=} unless UDP. The Contact of
     * responses that create a dialog (RFC 3261 §12.1.1).
     */
    public SipUri contactFor(Flow flow) {
        String host = hostName != null ? hostName : hostOf(flow.local());
        SipUri u = SipUri.of(userOf(identity), host, flow.local().getPort());
        return flow.protocol().equals("udp") ? u : u.withParameter("transport", flow.protocol());
    }

    private static String userOf(NameAddress identity) {
        return identity != null && identity.uri() instanceof SipUri id && id.user() != null ? id.user() : DEFAULT_USER;
    }

    private SipUri local(boolean withTransport) {
        List<Listener> open = listeners.get();
        Listener first = open.isEmpty() ? null : open.getFirst();
        int port = first == null ? -1 : first.localAddress().getPort();
        String host = hostName != null ? hostName : first == null ? "127.0.0.1" : hostOf(first.localAddress());
        SipUri u = SipUri.of(DEFAULT_USER, host, port);
        String protocol = first == null ? "udp" : first.protocol().name();
        return withTransport && !protocol.equals("udp") ? u.withParameter("transport", protocol) : u;
    }

    private String hostOf(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString();
        }
        if (ip.isAnyLocalAddress()) {
            String h = wildcardHost;
            if (h == null) {
                h = wildcardHost = localHost();
            }
            return h;
        }
        return literal(ip);
    }

    private static String localHost() {
        try {
            return literal(InetAddress.getLocalHost());
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
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
