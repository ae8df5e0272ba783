package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import sip.interop.Peers;
import sip.testkit.Dnsmasq;

/**
 * The real processes these tests run. As {@link Peers#require} does for SIPp: missing, the test
 * is skipped, unless {@code PARLEY_REQUIRE_PEERS=1} (CI), where it fails.
 */
final class RequiredPeers {

    private RequiredPeers() {
    }

    /** dnsmasq, found as {@link Dnsmasq} finds it. */
    static void dnsmasq() {
        if (Dnsmasq.isAvailable()) {
            return;
        }
        String message = "dnsmasq is not installed (Debian: apt-get install dnsmasq-base)";
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail(message);
        }
        assumeTrue(false, message);
    }

    /** SIPp. */
    static void sipp() {
        Peers.require("sipp");
    }
}
