package sip.router.internal.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.internal.AddressText;
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
     * creation order with a concrete (non-wildcard) address and its port, else {@code [::1]} when the
     * first listener is an IPv6 wildcard, else {@code 127.0.0.1}.
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
        // Only wildcards: the loopback of the first one's family, so an IPv6-only agent does not
        // claim an IPv4 identity.
        boolean v6 = !open.isEmpty() && open.getFirst().localAddress().getAddress() instanceof Inet6Address;
        return NameAddress.of(SipUri.of(DEFAULT_USER, v6 ? "[::1]" : "127.0.0.1", -1));
    }

    /** The host of {@link #identity()} when it is a SIP URI (Call-IDs name it), else {@code parley}. */
    public String host() {
        return identity().uri() instanceof SipUri u ? u.host() : DEFAULT_USER;
    }

    /** An IP literal as a SIP URI host: IPv6 in brackets, RFC 5952 short form, no scope. */
    static String literal(InetAddress ip) {
        return AddressText.uriHost(ip);
    }
}
