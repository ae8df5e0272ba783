package sip.router.internal.transport;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which local address the operating system sends from to reach a peer, for the sent-by of a
 * request going out of a wildcard-bound socket (a Via cannot say 0.0.0.0). Asked by connecting
 * an unbound UDP socket, which sends nothing; remembered per peer address.
 */
final class LocalRoutes {

    /** Peers are many on a busy server; forgetting them all now and then keeps this bounded. */
    private static final int MAX_REMEMBERED = 1024;

    private final Map<InetAddress, InetAddress> sources = new ConcurrentHashMap<>();

    InetAddress sourceFor(InetAddress peer) {
        InetAddress known = sources.get(peer);
        if (known != null) {
            return known;
        }
        InetAddress found = lookUp(peer);
        if (sources.size() >= MAX_REMEMBERED) {
            sources.clear();
        }
        sources.put(peer, found);
        return found;
    }

    private static InetAddress lookUp(InetAddress peer) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer, 5060);
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local;
            }
        } catch (SocketException | UncheckedIOException | SecurityException e) {
            // No route: fall through to the loopback address, the only one sure to exist.
        }
        return InetAddress.getLoopbackAddress();
    }
}
