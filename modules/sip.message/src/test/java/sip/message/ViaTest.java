package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.message.HeaderAssertions.one;
import static sip.message.HeaderAssertions.rejects;
import static sip.message.HeaderAssertions.roundTrips;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViaTest {
    private static final HeaderType<Via> VIA = HeaderType.VIA;

    @Test
    void typicalVia() {
        Via v = one(VIA, "SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport");
        assertEquals("SIP/2.0", v.protocol());
        assertEquals("UDP", v.transport());
        assertEquals("pc33.atlanta.com", v.host());
        assertEquals(5066, v.port());
        assertEquals("z9hG4bK776asdhds", v.branch());
        assertTrue(v.hasRfc3261Branch());
        assertTrue(v.hasRport());
        assertEquals(OptionalInt.empty(), v.rport());
        assertEquals(List.of("branch", "rport"), v.parameters().names());
    }

    @Test
    void noPortIsMinusOne() {
        assertEquals(-1, one(VIA, "SIP/2.0/TCP 192.0.2.2;branch=z9hG4bKx").port());
    }

    @Test
    void transportAnyTokenKeptAsWritten() {
        assertEquals("UNKNOWN", one(VIA, "SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en").transport());
        assertEquals("sctp", one(VIA, "SIP/2.0/sctp t2.example.com").transport());
        assertEquals("WSS", one(VIA, "SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKx").transport());
    }

    @Test
    void otherProtocolVersionIsKeptForTheMessageLevelCheck() {
        // RFC 4475 badvers: the 505 is decided from the start line, the Via itself parses.
        assertEquals("SIP/7.0", one(VIA, "SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw").protocol());
    }

    @Test
    void wsinvFoldedAndSpacedVia() {
        // RFC 4475 §3.1.1.1: LWS around "/", before ";", around "=", folding everywhere.
        Via v = one(VIA, "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw");
        assertEquals("SIP/2.0", v.protocol());
        assertEquals("UDP", v.transport());
        assertEquals("192.0.2.2", v.host());
        assertEquals("390skdjuw", v.branch());
        assertFalse(v.hasRfc3261Branch());
        List<Via> two = VIA.parse("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n"
            + " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239");
        assertEquals(2, two.size());
        assertEquals("spindle.example.com", two.get(0).host());
        assertEquals("z9hG4bK9ikj8", two.get(0).branch());
        assertEquals("UDP", two.get(1).transport());
        assertEquals("192.168.255.111", two.get(1).host());
        assertEquals("z9hG4bK30239", two.get(1).branch());
    }

    @Test
    void lwsAroundPortColon() {
        Via v = one(VIA, "SIP/2.0/UDP host.example.com : 5070;branch=z9hG4bK1");
        assertEquals(5070, v.port());
    }

    @Test
    void ipv6SentByKeepsBrackets() {
        Via v = one(VIA, "SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111");
        assertEquals("[2001:db8::9:1]", v.host());
        assertEquals(6050, v.port());
        assertEquals("[::ffff:192.0.2.10]", one(VIA, "SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19").host());
    }

    @Test
    void receivedBareIpv6IsOnGrammar() {
        // RFC 5118 §4.5 via-received-param-no-delim
        Via v = one(VIA, "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3");
        assertEquals("2001:db8::9:255", v.received());
        assertEquals("z9hG4bKas3", v.branch());
    }

    @Test
    void receivedBracketedIpv6IsToleratedAndStoredWithoutBrackets() {
        // RFC 5118 §4.5 via-received-param-with-delim (strict rejection: see HeaderComplianceTest)
        Via v = one(VIA, "SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111");
        assertEquals("2001:db8::9:255", v.received());
    }

    @Test
    void receivedIpv4() {
        Via v = one(VIA, "SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200");
        assertEquals("192.0.2.200", v.received());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SIP/2.0/UDP h;received=host.example.com",
        "SIP/2.0/UDP h;received=192.0.2.256",
        "SIP/2.0/UDP h;received=2001:db8::9::1",
        "SIP/2.0/UDP h;received=[2001:db8::zz]",
        "SIP/2.0/UDP h;received=\"192.0.2.1\"",
    })
    void badReceived(String value) {
        rejects(VIA, value, "received");
    }

    @Test
    void maddrTakesHostnameIpv4AndBracketedIpv6() {
        assertEquals("mcast.example.com", one(VIA, "SIP/2.0/UDP h;maddr=mcast.example.com").maddr());
        assertEquals("239.255.255.1", one(VIA, "SIP/2.0/UDP h;maddr=239.255.255.1;ttl=16").maddr());
        assertEquals("[ff02::1]", one(VIA, "SIP/2.0/UDP h;maddr=[ff02::1]").maddr());
    }

    @Test
    void rportWithValueAndTtlRange() {
        Via v = one(VIA, "SIP/2.0/UDP h;rport=65535;ttl=255;branch=z9hG4bK1");
        assertEquals(OptionalInt.of(65535), v.rport());
        assertEquals(OptionalInt.of(255), v.ttl());
        assertEquals(OptionalInt.of(0), one(VIA, "SIP/2.0/UDP h;ttl=0").ttl());
        rejects(VIA, "SIP/2.0/UDP h;rport=65536", "rport");
        rejects(VIA, "SIP/2.0/UDP h;ttl=256", "ttl");
        rejects(VIA, "SIP/2.0/UDP h;ttl=abc", "ttl");
        rejects(VIA, "SIP/2.0/UDP h;rport=", "rport");
        rejects(VIA, "SIP/2.0/UDP h;ttl", "ttl");
    }

    @Test
    void portRange() {
        assertEquals(65535, one(VIA, "SIP/2.0/UDP h:65535").port());
        assertEquals(0, one(VIA, "SIP/2.0/UDP h:0").port());
        rejects(VIA, "SIP/2.0/UDP h:65536", "port");
        rejects(VIA, "SIP/2.0/UDP h:99999999999999999999999", "port");
        rejects(VIA, "SIP/2.0/UDP h:", "port");
    }

    @Test
    void badinv01EmptyParameters() {
        // RFC 4475 §3.1.2.1: ";;,;,," in Via.
        ParseError e = rejects(VIA, "SIP/2.0/UDP 192.0.2.15;;,;,,", "parameter name");
        assertEquals(StandardHeader.VIA, e.headerName());
        rejects(VIA, "SIP/2.0/UDP 192.0.2.15;branch=", "empty value");
        rejects(VIA, "SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK1;", "parameter name");
        rejects(VIA, "SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK1,", "empty value");
        rejects(VIA, "SIP/2.0/UDP 192.0.2.15,,SIP/2.0/UDP h", "empty value");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SIP/2.0 192.0.2.1",
        "SIP/2.0/UDP",
        "SIP/2.0/UDP ",
        "SIP/2.0/UDP192.0.2.1",
        "/2.0/UDP host",
        "SIP/2.0/UDP -bad-.example.com",
        "SIP/2.0/UDP host..example.com",
        "SIP/2.0/UDP 192.0.2.999",
        "SIP/2.0/UDP under_score.example.com",
        "SIP/2.0/UDP [2001:db8::1",
        "SIP/2.0/UDP [2001:db8:::1]",
        "SIP/2.0/UDP host;branch=a b",
        "SIP/2.0/UDP host extra",
    })
    void malformed(String value) {
        SipParseException e = org.junit.jupiter.api.Assertions.assertThrows(SipParseException.class, () -> VIA.parse(value));
        assertEquals(400, e.status().code());
    }

    @Test
    void quotedParameterValueKeepsItsQuotes() {
        Via v = one(VIA, "SIP/2.0/UDP h;branch=z9hG4bK1;x-note=\"a \\\"b\\\" c\"");
        assertEquals("a \"b\" c", v.parameters().value("x-note"));
        assertTrue(v.parameters().isQuoted(1));
        assertEquals("SIP/2.0/UDP h;branch=z9hG4bK1;x-note=\"a \\\"b\\\" c\"", v.toString());
    }

    @Test
    void commonNamesAndTransportsAreShared() {
        Via v = one(VIA, "SIP/2.0/UDP h;branch=z9hG4bK1");
        assertSame("UDP", v.transport());
        assertSame("branch", v.parameters().name(0));
        assertSame("SIP/2.0", v.protocol());
    }

    @Test
    void roundTrip() {
        for (String s : new String[] {
            "SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport",
            "SIP/2.0/TLS [2001:db8::9:1]:5061;branch=z9hG4bK1;received=2001:db8::9:255;rport=5062",
            "SIP/2.0/UDP h;received=[2001:db8::9:255]",
            "SIP/2.0/UDP h;maddr=[ff02::1];ttl=1;x=\"q v\";flag",
            "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw",
        }) {
            roundTrips(VIA, one(VIA, s));
        }
        roundTrips(VIA, Via.of("UDP", "192.0.2.1", 5060, "z9hG4bKabc").withReceived("192.0.2.9").withRport(4000));
    }

    @Test
    void parameterNamesMatchIgnoringCaseAndKeepTheirCase() {
        Via v = one(VIA, "SIP/2.0/UDP h;BRANCH=z9hG4bK1;Received=192.0.2.1;RPort=5");
        assertEquals("z9hG4bK1", v.branch());
        assertEquals("192.0.2.1", v.received());
        assertEquals(OptionalInt.of(5), v.rport());
        assertEquals("BRANCH", v.parameters().name(0));
        rejects(VIA, "SIP/2.0/UDP h;TTL=256", "ttl");
        rejects(VIA, "SIP/2.0/UDP h;Received=example.com", "received");
        assertEquals("2001:db8::1", one(VIA, "SIP/2.0/UDP h;RECEIVED=[2001:db8::1]").received());
    }

    @Test
    void missingValueIsReported() {
        assertNull(one(VIA, "SIP/2.0/UDP h").branch());
    }
}
