package sip.fuzz.dns;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import java.net.InetSocketAddress;

/**
 * Lets the locator reach the test's DNS responders past Jazzer's server-side request forgery
 * detector, which refuses every connection by default once Jazzer's agent is attached (dnsjava
 * connects over TCP when an answer is truncated), and nothing but loopback.
 *
 * <p>{@link BugDetectors} finds the detector once, when it is first used: touched before Jazzer's
 * agent is attached (in a {@code @BeforeAll}, or a plain {@code @Test} that runs before any
 * {@code @FuzzTest}) it would never find it, for the whole JVM. So only a {@code @FuzzTest} body
 * touches it first; a plain test does only after one has (before that no detector is attached,
 * and none is needed).
 */
final class LoopbackOnly {
    private static volatile boolean agentAttached;

    private LoopbackOnly() {
    }

    /** From a {@code @FuzzTest} body: Jazzer's agent is attached. */
    static SilentCloseable allowInFuzzTest(InetSocketAddress server) {
        agentAttached = true;
        return allow(server);
    }

    /** From a plain {@code @Test}. */
    static SilentCloseable allowInPlainTest(InetSocketAddress server) {
        return agentAttached ? allow(server) : () -> { };
    }

    /**
     * Loopback only, any port: the test's responders (the class's, and {@link LocatorContract#warmUp}'s)
     * listen on free ports of 127.0.0.1; {@code server} is the one the caller knows of.
     */
    private static SilentCloseable allow(InetSocketAddress server) {
        assert server.getAddress().isLoopbackAddress();
        return BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    }
}
