package sip.router.internal.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import sip.transport.spi.Connection;

/**
 * The open WebSocket connections, by their peer's address: a WebSocket client accepts no
 * connection (RFC 7118 §5), so what is sent to it by address goes over one it opened. One address
 * may hold several (a client socket reaching a {@code ws} and a {@code wss} listener, or two
 * listeners on different local addresses): each is kept, and one closing leaves the others.
 * Bounded: an entry per open connection, gone with its close.
 */
final class WebSocketConnections {

    /** Immutable lists, replaced whole inside compute. */
    private final Map<InetSocketAddress, List<Connection>> byRemote = new ConcurrentHashMap<>();

    void opened(Connection c) {
        byRemote.compute(c.remoteAddress(), (k, list) -> {
            List<Connection> next = new ArrayList<>(list == null ? List.of() : list);
            next.removeIf(old -> old == c || !old.isOpen());
            next.add(c);
            return List.copyOf(next);
        });
        if (!c.isOpen()) {
            closed(c); // a close told before its open (or racing it) leaves no entry behind
        }
    }

    void closed(Connection c) {
        byRemote.computeIfPresent(c.remoteAddress(), (k, list) -> {
            List<Connection> next = new ArrayList<>(list);
            next.removeIf(old -> old == c);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    /** The most recently opened open connection from {@code remote} that {@code fits}, or null. */
    Connection find(InetSocketAddress remote, Predicate<Connection> fits) {
        List<Connection> list = byRemote.get(remote);
        if (list == null) {
            return null;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            Connection c = list.get(i);
            if (c.isOpen() && fits.test(c)) {
                return c;
            }
        }
        return null;
    }

    /** Connections held, for tests: one per open connection. */
    int size() {
        int n = 0;
        for (List<Connection> l : byRemote.values()) {
            n += l.size();
        }
        return n;
    }
}
