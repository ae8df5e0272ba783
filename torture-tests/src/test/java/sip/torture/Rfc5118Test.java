package sip.torture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.torture.Checks.reject;
import static sip.torture.Checks.tolerated;
import static sip.torture.Checks.valid;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.message.Via;
import sip.message.Violation;

/** RFC 5118 (IPv6 torture messages), all 12, driven by {@code rfc5118/MANIFEST.tsv}. */
class Rfc5118Test {
    static final String SUITE = "rfc5118";

    static final Map<String, Checks.Expect> EXPECT = new LinkedHashMap<>();

    static SipUri ruri(SipMessage m) {
        return sip(assertInstanceOf(SipRequest.class, m).requestUri());
    }

    static SipUri sip(Uri u) {
        return assertInstanceOf(SipUri.class, u, "a sip URI: " + u);
    }

    static void assertHostPort(SipUri u, String host, int port) {
        assertEquals(host, u.host(), "host of " + u);
        assertEquals(port, u.port(), "port of " + u);
    }

    static void assertVia(Via v, String transport, String host, int port) {
        assertEquals(transport, v.transport(), "transport of " + v);
        assertEquals(host, v.host(), "host of " + v);
        assertEquals(port, v.port(), "port of " + v);
    }

    /** The SDP body is kept exactly: its bytes equal the file's after the blank line. */
    static void assertSdp(SipMessage m, String file, int len, String... lines) {
        byte[] b = Corpus.read(SUITE, file);
        int start = Corpus.headerEnd(b);
        assertEquals(b.length - start, len, file + ": the corpus Content-Length matches its body");
        assertEquals(len, m.bodyLength());
        assertArrayEquals(Arrays.copyOfRange(b, start, start + len), m.body());
        String sdp = new String(m.body(), StandardCharsets.US_ASCII);
        for (String l : lines) {
            assertTrue(sdp.contains(l + "\r\n"), "SDP line " + l);
        }
        assertTrue(m.contentType().orElseThrow().is("application", "sdp"));
    }

    static {
        EXPECT.put("ipv6-good.dat", valid(m -> {
            SipUri u = ruri(m);
            assertHostPort(u, "[2001:db8::10]", -1);
            assertTrue(u.isIpv6());
            assertTrue(u.portIfSet().isEmpty(), "default port applies");
            assertVia(m.topVia(), "UDP", "[2001:db8::9:1]", -1);
            NameAddress c = m.contacts().get(0).address();
            assertEquals("Caller", c.displayName());
            assertHostPort(sip(c.uri()), "[2001:db8::1]", -1);
        }));
        EXPECT.put("ipv6-bad.dat", reject(400, e -> { }));
        EXPECT.put("port-ambiguous.dat", valid(m -> {
            // 5070 is the last group of the address, not a port
            assertHostPort(ruri(m), "[2001:db8::10:5070]", -1);
        }));
        EXPECT.put("port-unambiguous.dat", valid(m -> assertHostPort(ruri(m), "[2001:db8::10]", 5070)));
        EXPECT.put("via-received-param-with-delim.dat", tolerated(Violation.BRACKETED_IPV6_PARAM, m -> {
            Via v = m.topVia();
            assertVia(v, "UDP", "[2001:db8::9:1]", -1);
            assertEquals("2001:db8::9:255", v.received(), "received without brackets");
            assertEquals("z9hG4bKas3-111", v.branch());
            assertEquals(Method.BYE, assertInstanceOf(SipRequest.class, m).method());
        }));
        EXPECT.put("via-received-param-no-delim.dat", valid(m -> {
            Via v = m.topVia();
            assertVia(v, "UDP", "[2001:db8::9:1]", -1);
            assertEquals("2001:db8::9:255", v.received());
            assertEquals("z9hG4bKas3", v.branch());
        }));
        EXPECT.put("ipv6-in-sdp.dat", valid(m -> {
            assertHostPort(ruri(m), "[2001:db8::10]", -1);
            assertHostPort(sip(m.to().uri()), "[2001:db8::10]", -1);
            assertVia(m.topVia(), "UDP", "[2001:db8::20]", -1);
            assertHostPort(sip(m.contacts().get(0).uri()), "[2001:db8::20]", -1);
            assertSdp(m, "ipv6-in-sdp.dat", 251,
                "o=assistant 971731711378798081 0 IN IP6 2001:db8::20", "c=IN IP6 2001:db8::20");
        }));
        EXPECT.put("mult-ip-in-header.dat", valid(m -> {
            List<Via> vias = m.vias();
            assertEquals(3, vias.size());
            assertVia(vias.get(0), "UDP", "[2001:db8::9:1]", 6050);
            assertVia(vias.get(1), "UDP", "192.0.2.1", -1);
            assertVia(vias.get(2), "TCP", "[2001:db8::9:255]", -1);
            assertEquals("192.0.2.200", vias.get(2).received());
            assertEquals("z9hG4bK451jj", vias.get(2).branch());
            assertHostPort(ruri(m), "host.example.net", -1);
        }));
        EXPECT.put("mult-ip-in-sdp.dat", valid(m -> {
            assertHostPort(ruri(m), "[2001:db8::10]", -1);
            assertSdp(m, "mult-ip-in-sdp.dat", 189,
                "m=audio 22334 RTP/AVP 0", "c=IN IP4 192.0.2.1", "m=video 6024 RTP/AVP 107", "c=IN IP6 2001:db8::1");
        }));
        EXPECT.put("ipv4-mapped-ipv6.dat", valid(m -> {
            List<Via> vias = m.vias();
            assertEquals(2, vias.size());
            assertVia(vias.get(0), "UDP", "[::ffff:192.0.2.10]", 19823);
            assertVia(vias.get(1), "UDP", "[::ffff:192.0.2.2]", -1);
            NameAddress c = m.contacts().get(0).address();
            assertEquals("T. desk phone", c.displayName());
            assertHostPort(sip(c.uri()), "[::ffff:192.0.2.2]", -1);
            assertSdp(m, "ipv4-mapped-ipv6.dat", 245,
                "o=assistant 971731711378798081 0 IN IP6 ::ffff:192.0.2.2", "c=IN IP6 ::ffff:192.0.2.2");
        }));
        EXPECT.put("ipv6-bug-abnf-3-colons.dat", tolerated(Violation.IPV6_EXTRA_COLON, m -> {
            // tolerated and normalised: the extra colon is dropped
            assertHostPort(ruri(m), "[2001:db8::192.0.2.1]", -1);
            assertHostPort(sip(m.to().uri()), "[2001:db8::192.0.2.1]", -1);
            assertEquals("user", ruri(m).user());
            assertEquals("lab1.east.example.com", m.topVia().host());
        }));
        EXPECT.put("ipv6-correct-abnf-2-colons.dat", valid(m -> {
            assertHostPort(ruri(m), "[2001:db8::192.0.2.1]", -1);
            assertHostPort(sip(m.to().uri()), "[2001:db8::192.0.2.1]", -1);
            assertVia(m.topVia(), "UDP", "lab1.east.example.com", -1);
            assertTrue(m.hasHeader(StandardHeader.MAX_FORWARDS));
        }));
    }

    static Stream<Corpus.Entry> manifest() {
        return Corpus.rfc5118();
    }

    @Test
    void manifestFolderAndExpectationsAgree() {
        Corpus.assertComplete(SUITE, EXPECT.keySet(), 12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifest")
    void file(Corpus.Entry entry) throws Exception {
        Rfc4475Test.run(entry, EXPECT);
    }

    @Test
    void threeColonsParsesToTheSameUriAsTwoColons() {
        SipMessage bug = Checks.parsed(sip.message.SipParser.lenient().parse(Corpus.read(SUITE, "ipv6-bug-abnf-3-colons.dat")), "3 colons");
        SipMessage ok = Checks.parsed(sip.message.SipParser.lenient().parse(Corpus.read(SUITE, "ipv6-correct-abnf-2-colons.dat")), "2 colons");
        assertEquals(ruri(ok), ruri(bug));
        assertEquals(ok.to().uri(), bug.to().uri());
    }
}
