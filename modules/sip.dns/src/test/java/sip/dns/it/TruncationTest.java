package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/**
 * An answer too big for UDP (100 A records: about 1,650 bytes, over dnsmasq's 1,232-byte EDNS
 * limit) comes back truncated (TC) with part of the records; the locator must ask again over TCP
 * rather than use the part. dnsmasq logs both queries, the TCP one from the child serving the
 * connection.
 */
class TruncationTest {
    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        Dnsmasq.Builder records = Dnsmasq.builder().domain("example.test");
        for (int i = 1; i <= 100; i++) {
            records.host("big.example.test", "127.0." + (8 + i / 200) + "." + (i % 200 + 1));
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
    void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
        try (DnsServerLocator locator = Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY).build()) {
            List<String> found = targets(locator.locate(SipUri.parse("sip:big.example.test:5060"), Set.of("udp")));
            assertEquals(32, found.size(), "at most 32 records of one answer are used");
            assertEquals(32, Set.copyOf(found).size(), found::toString);
            found.forEach(d -> assertTrue(d.startsWith("udp:127.0.8.") && d.endsWith(":5060"), d));
            assertEquals(1, locator.stats().queriesSent(), "the TCP retry is part of the same query: " + locator.stats());
            assertEquals(2, dns.queryCount("big.example.test", "A"), () -> "UDP, then TCP: " + dns.queryLog());
        }
    }
}
