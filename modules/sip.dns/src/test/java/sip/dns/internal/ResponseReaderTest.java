package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;

class ResponseReaderTest {

    private static Message response(String name, int type) {
        Message m = new Message(1);
        m.addRecord(Record.newRecord(FakeZone.name(name), type, DClass.IN), Section.QUESTION);
        return m;
    }

    private static ARecord a(String name, long ttl, String ip) {
        return new ARecord(FakeZone.name(name), DClass.IN, ttl, InetAddress.ofLiteral(ip));
    }

    private static Answer read(Message m, String name, int type) throws DnsLookupException {
        return ResponseReader.read(new Question(FakeZone.name(name), type), m, "127.0.0.1:53");
    }

    @Test
    void followsTheCnameChainAndTakesTheSmallestTtl() throws Exception {
        Message m = response("alias.example.test", Type.A);
        m.addRecord(new CNAMERecord(FakeZone.name("alias.example.test"), DClass.IN, 30, FakeZone.name("mid.example.test")), Section.ANSWER);
        m.addRecord(new CNAMERecord(FakeZone.name("mid.example.test"), DClass.IN, 300, FakeZone.name("host.example.test")), Section.ANSWER);
        m.addRecord(a("host.example.test", 600, "192.0.2.1"), Section.ANSWER);
        m.addRecord(a("host.example.test", 400, "192.0.2.2"), Section.ANSWER);
        m.addRecord(a("other.example.test", 1, "192.0.2.9"), Section.ANSWER);   // not on the chain: ignored
        Answer.Records r = assertInstanceOf(Answer.Records.class, read(m, "alias.example.test", Type.A));
        assertEquals(2, r.records().size());
        assertEquals(30, r.ttl());
    }

    @Test
    void aCnameWithoutItsTargetsRecordsAsksAgain() throws Exception {
        Message m = response("alias.example.test", Type.A);
        m.addRecord(new CNAMERecord(FakeZone.name("alias.example.test"), DClass.IN, 30, FakeZone.name("elsewhere.test")), Section.ANSWER);
        Answer.Alias alias = assertInstanceOf(Answer.Alias.class, read(m, "alias.example.test", Type.A));
        assertEquals(FakeZone.name("elsewhere.test"), alias.target());
        assertEquals(1, alias.links());
    }

    @Test
    void aLoopingOrTooLongChainIsMalformed() {
        Message loop = response("x.example.test", Type.A);
        loop.addRecord(new CNAMERecord(FakeZone.name("x.example.test"), DClass.IN, 30, FakeZone.name("y.example.test")), Section.ANSWER);
        loop.addRecord(new CNAMERecord(FakeZone.name("y.example.test"), DClass.IN, 30, FakeZone.name("x.example.test")), Section.ANSWER);
        assertEquals(Reason.MALFORMED, assertThrows(DnsLookupException.class, () -> read(loop, "x.example.test", Type.A)).reason());
        Message chain = response("c0.example.test", Type.A);
        for (int i = 0; i < 9; i++) {
            chain.addRecord(new CNAMERecord(FakeZone.name("c" + i + ".example.test"), DClass.IN, 30,
                    FakeZone.name("c" + (i + 1) + ".example.test")), Section.ANSWER);
        }
        chain.addRecord(a("c9.example.test", 30, "192.0.2.1"), Section.ANSWER);
        assertEquals(Reason.MALFORMED, assertThrows(DnsLookupException.class, () -> read(chain, "c0.example.test", Type.A)).reason());
    }

    @Test
    void negativeTtlIsTheSmallerOfSoaTtlAndMinimum() throws Exception {
        FakeZone zone = new FakeZone().soa(120, 30);
        Message nx = response("nope.example.test", Type.A);
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        nx.addRecord(zone.soa, Section.AUTHORITY);
        assertEquals(new Answer.Negative(true, 30), read(nx, "nope.example.test", Type.A));
        Message nodata = response("h.example.test", Type.AAAA);
        nodata.addRecord(new FakeZone().soa(20, 300).soa, Section.AUTHORITY);
        assertEquals(new Answer.Negative(false, 20), read(nodata, "h.example.test", Type.AAAA));
        Message bare = response("nope.example.test", Type.A);
        bare.getHeader().setRcode(Rcode.NXDOMAIN);
        assertEquals(new Answer.Negative(true, 0), read(bare, "nope.example.test", Type.A));
    }

    @Test
    void errorRcodesAreTypedFailures() {
        int[][] cases = {{Rcode.SERVFAIL, 0}, {Rcode.REFUSED, 1}, {Rcode.NOTIMP, 1}, {Rcode.FORMERR, 2}};
        Reason[] reasons = {Reason.SERVER_FAILURE, Reason.REFUSED, Reason.MALFORMED};
        for (int[] c : cases) {
            Message m = response("h.example.test", Type.A);
            m.getHeader().setRcode(c[0]);
            DnsLookupException e = assertThrows(DnsLookupException.class, () -> read(m, "h.example.test", Type.A));
            assertEquals(reasons[c[1]], e.reason());
            assertEquals("h.example.test", e.name());
            assertEquals("A", e.type());
            assertEquals("DNS " + reasons[c[1]] + " for h.example.test A: server 127.0.0.1:53 answered "
                    + Rcode.string(c[0]), e.getMessage());
        }
    }

    @Test
    void atMost32RecordsAreUsed() throws Exception {
        Message m = response("many.example.test", Type.A);
        for (int i = 1; i <= 40; i++) {
            m.addRecord(a("many.example.test", 60, "192.0.2." + i), Section.ANSWER);
        }
        assertEquals(32, ((Answer.Records) read(m, "many.example.test", Type.A)).records().size());
    }

    @Test
    void additionalAddressesAreKeptOnlyForSrvTargets() throws Exception {
        Message m = response("_sip._udp.example.test", Type.SRV);
        m.addRecord(new SRVRecord(FakeZone.name("_sip._udp.example.test"), DClass.IN, 60, 10, 10, 5060,
                FakeZone.name("sip1.example.test")), Section.ANSWER);
        m.addRecord(a("sip1.example.test", 60, "192.0.2.1"), Section.ADDITIONAL);
        m.addRecord(a("unrelated.example.test", 60, "192.0.2.66"), Section.ADDITIONAL);
        Answer.Records r = (Answer.Records) read(m, "_sip._udp.example.test", Type.SRV);
        assertEquals(1, r.additional().size());
        assertEquals(FakeZone.name("sip1.example.test"), r.additional().getFirst().getName());
    }
}
