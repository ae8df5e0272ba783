package sip.torture.wire;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * The guard every wire test calls before it opens a socket: it lets a test run only where a bug
 * cannot send a packet off the machine, that is in the network namespace of
 * {@code torture-tests/netns/bin/java} (only {@code lo} exists there).
 *
 * <p>Outside it (a developer machine where {@code unshare} is not allowed, or the default
 * surefire execution picking a wire class up through {@code -Dtest}) the test is skipped with
 * the reason; with {@code PARLEY_REQUIRE_PEERS=1} (CI, running as root) a missing namespace in
 * the wire execution fails instead, so CI cannot go green by skipping.
 */
final class NetworkNamespace {
    /** Set only by the {@code wire} surefire execution, whose fork runs in the namespace. */
    static final String PROPERTY = "parley.netns";

    private NetworkNamespace() {}

    /** Skips or fails the calling test unless every visible interface is a loopback one. */
    static void requireIsolated() {
        if (!"expected".equals(System.getProperty(PROPERTY))) {
            abort("wire tests run only in the 'wire' surefire execution of torture-tests, inside its"
                    + " network namespace (system property " + PROPERTY + " is not set here)");
        }
        List<NetworkInterface> outside = interfaces().stream().filter(i -> !isLoopback(i)).toList();
        if (outside.isEmpty()) {
            return;
        }
        String why = "not inside an isolated network namespace: non-loopback interfaces "
                + outside.stream().map(NetworkInterface::getName).toList()
                + " are visible, so RFC 4475 messages naming 192.0.2.x or example.com could leave the"
                + " machine; torture-tests/netns/bin/java needs root or unprivileged user namespaces"
                + " for unshare -n";
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail(why + " (PARLEY_REQUIRE_PEERS=1, so this is a failure, not a skip)");
        }
        abort(why);
    }

    static List<NetworkInterface> interfaces() {
        try {
            return NetworkInterface.networkInterfaces().toList();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
    }

    static boolean isLoopback(NetworkInterface i) {
        try {
            return i.isLoopback();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot inspect interface " + i.getName(), e);
        }
    }
}
