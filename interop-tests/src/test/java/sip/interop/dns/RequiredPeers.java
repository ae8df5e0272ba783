package sip.interop.dns;

import sip.interop.Peers;
import sip.testkit.Dnsmasq;

/**
 * The real processes these tests run. As {@link Peers#require} does for SIPp: missing, the test
 * is skipped, unless {@code PARLEY_REQUIRE_PEERS=1} (CI), where it fails.
 */
final class RequiredPeers {

    private RequiredPeers() {
    }

    /** dnsmasq, found as {@link Dnsmasq} finds it (in /usr/sbin, which a user's PATH may lack). */
    static void dnsmasq() {
        if (!Dnsmasq.isAvailable()) {
            Peers.missing("dnsmasq is not installed (Debian: apt-get install dnsmasq-base)");
        }
    }
}
