package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * Outside authoritative mode dnsmasq puts the SRV targets' A/AAAA records in the additional
 * section, but only as many as fit (1,232 bytes with dnsjava's EDNS): it cuts the section in the
 * middle of an RRset and does not set TC (measured: 10 targets x 6 addresses give 3 of one target's
 * 6 and none of several others). An address set taken from there may be partial, so every target
 * must still end up with all its addresses — failover (RFC 3263 §4.3) needs each one.
 */
class SrvAdditionalSectionTest {
    private static final int TARGETS = 10;
    private static final int ADDRESSES = 6;

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        Dnsmasq.Builder records = Dnsmasq.builder().domain("example.test");
        for (int t = 1; t <= TARGETS; t++) {
            String target = "target-with-a-long-name-" + t + ".glue.example.test";
            records.srv("_sip._udp.glue.example.test", target, 7000 + t, t, 10);
            for (int a = 1; a <= ADDRESSES; a++) {
                records.host(target, "127.0.7." + ((t - 1) * ADDRESSES + a));
            }
        }
        dns = records.ttl(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void everyAddressOfEverySrvTargetIsUsedWhenTheAdditionalSectionIsCut() throws Exception {
        for (AddressFamily family : List.of(AddressFamily.IPV4_ONLY, AddressFamily.IPV4_FIRST)) {
            try (DnsServerLocator locator = Matrix.locatorOn(dns.address()).addressFamily(family).build()) {
                List<Destination> found = locator.locate(SipUri.parse("sip:glue.example.test;transport=udp"), Set.of("udp"));
                Map<Integer, Integer> perPort = new TreeMap<>();
                found.forEach(d -> perPort.merge(d.address().getPort(), 1, Integer::sum));
                Map<Integer, Integer> expected = new TreeMap<>();
                for (int t = 1; t <= TARGETS; t++) {
                    expected.put(7000 + t, ADDRESSES);
                }
                assertEquals(expected, perPort, () -> family + ": addresses per SRV target port; " + targets(found));
            }
        }
    }
}
