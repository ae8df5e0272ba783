package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.dns.it.Matrix.targets;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * The documented limits: a CNAME chain of at most 8 links, whether it comes in one answer
 * (dnsmasq's default) or one link per answer (dnsmasq's authoritative mode, where the client asks
 * again for each target and only the last answer holds the target's records); at most 32 records
 * used from one answer (40 A records need TCP or EDNS: over plain 512-byte UDP dnsmasq truncates);
 * at most 64 destinations per call.
 */
class LimitsTest {
    private static final Set<String> UDP = Set.of("udp");

    /** Authoritative: SRV answers without an additional section, CNAME chains one link per answer. */
    private static Dnsmasq dns;
    /** Default mode: a CNAME chain comes whole in one answer. */
    private static Dnsmasq oneAnswer;
    private static DnsServerLocator locator;
    private static DnsServerLocator oneAnswerLocator;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        Dnsmasq.Builder records = chains(Dnsmasq.builder().domain("example.test"));
        for (int i = 1; i <= 40; i++) {
            records.host("many.example.test", "127.0.5." + i);
        }
        // 20 targets at priorities 1..20, 4 addresses each: 80 candidates.
        for (int t = 1; t <= 20; t++) {
            String target = "t" + t + ".wide.example.test";
            records.srv("_sip._udp.wide.example.test", target, 6000 + t, t, 10);
            for (int a = 1; a <= 4; a++) {
                records.host(target, "127.0.6." + ((t - 1) * 4 + a));
            }
        }
        // 40 SRV records at priorities 1..40, one address each: the 32 kept must be the best 32.
        for (int t = 1; t <= 40; t++) {
            String target = "p" + t + ".deep.example.test";
            records.srv("_sip._udp.deep.example.test", target, 8000 + t, t, 10);
            records.host(target, "127.0.9." + t);
        }
        // Authoritative: dnsmasq then sends no additional section with SRV answers, so each
        // target's addresses come from their own A queries (SrvAdditionalSectionTest covers the
        // additional section).
        dns = records.ttl(Duration.ofSeconds(60)).authoritative().start();
        oneAnswer = chains(Dnsmasq.builder().domain("example.test")).ttl(Duration.ofSeconds(60)).start();
        locator = Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY).build();
        oneAnswerLocator = Matrix.locatorOn(oneAnswer.address()).addressFamily(AddressFamily.IPV4_ONLY).build();
    }

    private static Dnsmasq.Builder chains(Dnsmasq.Builder records) {
        chain(records, "ok", 8, "127.0.4.8");
        chain(records, "long", 9, "127.0.4.9");
        chain(records, "short", 2, "127.0.4.2");
        return records;
    }

    /** {@code <prefix>0 → <prefix>1 → ... → <prefix><links>}, the last with an A record: {@code links} CNAMEs. */
    private static void chain(Dnsmasq.Builder records, String prefix, int links, String address) {
        for (int i = 0; i < links; i++) {
            records.cname(prefix + i + ".example.test", prefix + (i + 1) + ".example.test");
        }
        records.host(prefix + links + ".example.test", address);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {locator, oneAnswerLocator, dns, oneAnswer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void aShortCnameChainIsFollowed() throws Exception {
        for (DnsServerLocator l : List.of(locator, oneAnswerLocator)) {
            List<Destination> found = l.locate(SipUri.parse("sip:short0.example.test:5060"), UDP);
            assertEquals(List.of("udp:127.0.4.2:5060"), targets(found));
            assertEquals("short0.example.test", found.getFirst().serverName(), "the URI's name, not the CNAME target");
        }
    }

    @Test
    void aCnameChainOfEightLinksIsFollowed() throws Exception {
        for (DnsServerLocator l : List.of(locator, oneAnswerLocator)) {
            assertEquals(List.of("udp:127.0.4.8:5060"), targets(l.locate(SipUri.parse("sip:ok0.example.test:5060"), UDP)));
        }
    }

    @Test
    void aCnameChainOfNineLinksInOneAnswerIsMalformed() {
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> oneAnswerLocator.locate(SipUri.parse("sip:long0.example.test:5060"), UDP));
        assertEquals(DnsLookupException.Reason.MALFORMED, e.reason(), e::getMessage);
    }

    @Test
    void aCnameChainOfNineLinksAcrossAnswersIsMalformed() {
        // dnsmasq answers long0..long7 with one CNAME each, and long8 with the CNAME to long9
        // together with long9's A record: the ninth link is in the final answer.
        DnsLookupException e = assertThrows(DnsLookupException.class,
                () -> locator.locate(SipUri.parse("sip:long0.example.test:5060"), UDP));
        assertEquals(DnsLookupException.Reason.MALFORMED, e.reason(), e::getMessage);
    }

    @Test
    void atMost32RecordsOfOneAnswerAreUsed() throws Exception {
        List<String> found = targets(locator.locate(SipUri.parse("sip:many.example.test:5060"), UDP));
        assertEquals(32, found.size(), found::toString);
        assertEquals(32, Set.copyOf(found).size(), () -> "duplicates: " + found);
        found.forEach(d -> assertTrue(d.startsWith("udp:127.0.5.") && d.endsWith(":5060"), d));
    }

    @Test
    void atMost64DestinationsAreReturnedTheMostPreferredKept() throws Exception {
        List<Destination> found = locator.locate(SipUri.parse("sip:wide.example.test;transport=udp"), UDP);
        assertEquals(64, found.size(), () -> targets(found).toString());
        // Priorities 1..16 fill the 64 places; 17..20 are dropped.
        for (int i = 0; i < found.size(); i++) {
            int port = found.get(i).address().getPort();
            assertEquals(6001 + i / 4, port, () -> targets(found).toString());
        }
    }

    @Test
    void theRecordsKeptOfALongSrvSetAreTheMostPreferred() throws Exception {
        // dnsmasq rotates the order of an RRset between answers: whatever order the 40 records
        // come in, priorities 1..32 are the ones to keep. Three fresh locators, three answers.
        List<String> best = new java.util.ArrayList<>();
        for (int t = 1; t <= 32; t++) {
            best.add("udp:127.0.9." + t + ":" + (8000 + t));
        }
        for (int i = 0; i < 3; i++) {
            try (DnsServerLocator fresh = Matrix.locatorOn(dns.address()).addressFamily(AddressFamily.IPV4_ONLY).build()) {
                List<String> found = targets(fresh.locate(SipUri.parse("sip:deep.example.test;transport=udp"), UDP));
                assertEquals(best, found, "answer " + i);
            }
        }
    }
}
