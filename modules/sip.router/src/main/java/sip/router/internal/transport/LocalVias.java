package sip.router.internal.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final int MAX_REMEMBERED = 4096;

    /** One DRBG for all threads: per-thread instances would reseed on every virtual thread. */
    private final SecureRandom random = new SecureRandom();
    private final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    private final Set<String> stamped = ConcurrentHashMap.newKeySet();
    /** The configured sent-by host, or null. */
    private final String hostName;

    LocalVias(String hostName) {
        this.hostName = hostName;
    }

    /** A fresh branch: the RFC 3261 magic cookie then 96 random bits, base64url. */
    String newBranch() {
        byte[] b = new byte[BRANCH_BYTES];
        random.nextBytes(b);
        return Via.MAGIC_COOKIE + base64.encodeToString(b);
    }

    /**
     * {@code SIP/2.0/<token> host:port;branch=...;rport}, remembering {@code host:port} when it
     * is a stable one (a host name or a listener), not an ephemeral connection's.
     */
    Via stamp(String viaToken, String host, int port, boolean stable) {
        if (stable && stamped.size() < MAX_REMEMBERED) {
            stamped.add(key(host, port));
        }
        return new Via("SIP/2.0", viaToken, host, port, Parameters.of("branch", newBranch(), "rport", null));
    }

    /**
     * True when {@code via} (a response's top Via) carries a sent-by this layer stamps: one it
     * remembered, or the local address of the connection the response came in on (requests sent
     * from an ephemeral socket or connection carry that).
     */
    boolean isOwn(Via via, Connection arrival) {
        int port = via.port();
        if (port >= 0 && stamped.contains(key(via.host(), port))) {
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

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
