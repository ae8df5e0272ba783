package sip.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;
import sip.testkit.Dnsmasq;

/** What dnsmasq (through sip.testkit.Dnsmasq) serves, as dnsjava reads it off the wire. */
class DnsmasqWireTest {

    @BeforeAll
    static void needDnsmasq() {
        assumeTrue("1".equals(System.getenv("PARLEY_REQUIRE_PEERS")) || Dnsmasq.isAvailable(), "dnsmasq not installed");
    }

    private static Message ask(Dnsmasq dns, String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    @Test
    void naptrSrvAndAOverUdpAndTcp() throws Exception {
        try (Dnsmasq dns = Dnsmasq.builder().domain("example.test")
                .naptr("example.test", 10, 50, "s", "SIP+D2T", "", "_sip._tcp.example.test")
                .srv("_sip._tcp.example.test", "sip1.example.test", 5070, 10, 60)
                .host("sip1.example.test", "127.0.0.1")
                .ttl(Duration.ofSeconds(60)).start()) {
            for (boolean tcp : new boolean[] {false, true}) {
                NAPTRRecord naptr = (NAPTRRecord) ask(dns, "example.test", Type.NAPTR, tcp).getSection(Section.ANSWER).getFirst();
                assertEquals("SIP+D2T", naptr.getService());
                assertEquals("s", naptr.getFlags());
                assertEquals(10, naptr.getOrder());
                assertEquals(50, naptr.getPreference());
                assertEquals(Name.fromString("_sip._tcp.example.test."), naptr.getReplacement());
                assertEquals(60, naptr.getTTL());
                SRVRecord srv = (SRVRecord) ask(dns, "_sip._tcp.example.test", Type.SRV, tcp).getSection(Section.ANSWER).getFirst();
                assertEquals(5070, srv.getPort());
                assertEquals(Name.fromString("sip1.example.test."), srv.getTarget());
                ARecord a = (ARecord) ask(dns, "sip1.example.test", Type.A, tcp).getSection(Section.ANSWER).getFirst();
                assertEquals("127.0.0.1", a.getAddress().getHostAddress());
            }
            assertEquals(2, dns.queryCount("sip1.example.test", "A"));
        }
    }

    @Test
    void authoritativeNegativeAnswersCarryTheSoa() throws Exception {
        try (Dnsmasq dns = Dnsmasq.builder().domain("example.test").host("h.example.test", "127.0.0.1")
                .ttl(Duration.ofSeconds(45)).authoritative().start()) {
            Message nx = ask(dns, "nope.example.test", Type.A, false);
            assertEquals(Rcode.NXDOMAIN, nx.getRcode());
            SOARecord soa = (SOARecord) nx.getSection(Section.AUTHORITY).getFirst();
            assertEquals(45, soa.getTTL());
            assertEquals(45, soa.getMinimum());
            assertTrue(nx.getHeader().getFlag(org.xbill.DNS.Flags.AA));
        }
    }
}
