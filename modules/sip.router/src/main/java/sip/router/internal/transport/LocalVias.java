package sip.router.internal.transport;

import sip.router.internal.SecureBits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import sip.message.Parameters;
import sip.message.Via;
import sip.transport.spi.Connection;

/**
 * The top Vias this user agent puts on requests, and the sent-by values it has used, so that a
 * response whose top Via names anything else is discarded (RFC 3261 §18.1.2).
 */
final class LocalVias {

    /** 96 random bits: far past the 64 that keep branches unique among all clients (§8.1.1.7). */
    private static final int BRANCH_BYTES = 12;
    /** The sent-by values of listeners and the host name are few; this only guards a bug. */
    private static final int MAX_REMEMBERED = 64;

    private final SecureBits random = new SecureBits(BRANCH_BYTES);
    private final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    /** Copy-on-write: read on every inbound response, written only when a new sent-by appears. */
    private volatile SentBy[] stamped = new SentBy[0];
    /** The configured sent-by host, or null. */
    private final String hostName;

    /** A sent-by this layer stamps, its host lower-cased once. */
    private record SentBy(String host, int port) {
        boolean matches(String otherHost, int otherPort) {
            return port == otherPort && host.equalsIgnoreCase(otherHost);
        }
    }

    LocalVias(String hostName) {
        this.hostName = hostName;
    }

    /** A fresh branch: the RFC 3261 magic cookie then 96 random bits, base64url. */
    String newBranch() {
        return Via.MAGIC_COOKIE + base64.encodeToString(random.next());
    }

    /**
     * {@code SIP/2.0/<token> host:port;branch=...;rport}, remembering {@code host:port} when it
     * is a stable one (a host name or a listener), not an ephemeral connection's.
     */
    Via stamp(String viaToken, String host, int port, boolean stable) {
        return stamp(viaToken, host, port, stable, null);
    }

    /**
     * As {@link #stamp(String, String, int, boolean)}, the branch ending in {@code "." + suffix}
     * when {@code suffix} is not null (a proxy's loop-detection hash, RFC 3261 §16.6 item 8).
     */
    Via stamp(String viaToken, String host, int port, boolean stable, String suffix) {
        if (stable && !remembers(host, port)) {
            remember(host, port);
        }
        String branch = suffix == null ? newBranch() : newBranch() + "." + suffix;
        return new Via("SIP/2.0", viaToken, host, port, Parameters.of("branch", branch, "rport", null));
    }

    /**
     * True when {@code via} (a response's top Via) carries a sent-by this layer stamps: one it
     * remembered, or the local address of the connection the response came in on (requests sent
     * from an ephemeral socket or connection carry that).
     */
    boolean isOwn(Via via, Connection arrival) {
        int port = via.port();
        if (port >= 0 && remembers(via.host(), port)) {
            return true;
        }
        InetSocketAddress local = arrival.localAddress();
        if (local == null || port != local.getPort()) {
            return false;
        }
        if (hostName != null && hostName.equalsIgnoreCase(via.host())) {
            return true;
        }
        InetAddress ip = HostAddresses.literal(via.host());
        return ip != null && (ip.equals(local.getAddress()) || local.getAddress().isAnyLocalAddress()
                && !HostAddresses.isForbiddenTarget(ip));
    }

    /** A scan of a handful of entries, comparing in place: nothing allocated per message. */
    private boolean remembers(String host, int port) {
        for (SentBy s : stamped) {
            if (s.matches(host, port)) {
                return true;
            }
        }
        return false;
    }

    private synchronized void remember(String host, int port) {
        SentBy[] now = stamped;
        if (now.length >= MAX_REMEMBERED || remembers(host, port)) {
            return;
        }
        SentBy[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = new SentBy(host.toLowerCase(Locale.ROOT), port);
        stamped = more;
    }
}
