package sip.message.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.Compliance;
import sip.message.HeaderType;
import sip.message.Via;
import sip.message.Violation;

/** The violations header parsing tolerates: recorded and reported leniently, a 400 when strict. */
class HeaderComplianceTest {

    private record Outcome(List<?> values, Set<Violation> violations, List<String> details) {}

    private static Outcome parse(HeaderType<?> type, String value, Compliance c) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        List<String> details = new ArrayList<>();
        ParseContext ctx = new ParseContext(c, (v, d) -> details.add(v + ": " + d));
        List<?> values = ((TypedHeader<?>) type).parseField(b, 0, b.length, ctx);
        return new Outcome(values, ctx.violations(), details);
    }

    private static void toleratedOnlyLeniently(HeaderType<?> type, String value, Violation v) {
        Outcome lenient = parse(type, value, Compliance.LENIENT);
        assertEquals(Set.of(v), lenient.violations(), value);
        assertEquals(1, lenient.details().size(), lenient.details()::toString);
        assertTrue(lenient.details().get(0).startsWith(v.name()));
        ParseFailure f = assertThrows(ParseFailure.class, () -> parse(type, value, Compliance.STRICT), value);
        assertEquals(400, f.status().code());
        assertEquals(type.name(), f.header());
        assertTrue(f.getMessage().contains(v.rule()), f::getMessage);
        // A profile allowing exactly this violation accepts it.
        assertEquals(lenient.values(), parse(type, value, Compliance.allowing(Set.of(v))).values());
    }

    @Test
    void bracketedReceived() {
        toleratedOnlyLeniently(HeaderType.VIA,
            "SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111",
            Violation.BRACKETED_IPV6_PARAM);
        Outcome bare = parse(HeaderType.VIA, "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255", Compliance.STRICT);
        assertEquals("2001:db8::9:255", ((Via) bare.values().get(0)).received());
    }

    @Test
    void extraColonInViaHost() {
        toleratedOnlyLeniently(HeaderType.VIA, "SIP/2.0/UDP [2001:db8:::192.0.2.1];branch=z9hG4bK1",
            Violation.IPV6_EXTRA_COLON);
    }

    @Test
    void unquotedDisplayName() {
        toleratedOnlyLeniently(HeaderType.FROM, "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
            Violation.UNQUOTED_DISPLAY_NAME);
        toleratedOnlyLeniently(HeaderType.TO, "Watson, Thomas <sip:t.watson@example.org>",
            Violation.UNQUOTED_DISPLAY_NAME);
        // tokens with LWS are on-grammar
        assertEquals(Set.of(), parse(HeaderType.FROM, "A. Bell <sip:a.g.bell@example.com>", Compliance.STRICT).violations());
    }

    @Test
    void spacesInAddrSpec() {
        toleratedOnlyLeniently(HeaderType.TO, "\"Watson, Thomas\" < sip:t.watson@example.org >",
            Violation.SPACES_IN_ADDR_SPEC);
        toleratedOnlyLeniently(HeaderType.TO, "<sip:t.watson@example.org >", Violation.SPACES_IN_ADDR_SPEC);
    }

    @Test
    void unbracketedUriHeaders() {
        toleratedOnlyLeniently(HeaderType.CONTACT, "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
            Violation.UNBRACKETED_URI_HEADERS);
        assertEquals(Set.of(), parse(HeaderType.CONTACT, "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>",
            Compliance.STRICT).violations());
    }

    @Test
    void invalidDate() {
        toleratedOnlyLeniently(HeaderType.DATE, "Fri, 01 Jan 2010 16:00:00 EST", Violation.INVALID_DATE);
        toleratedOnlyLeniently(HeaderType.DATE, "Sat, 1 Jan 2010 16:00:00 GMT", Violation.INVALID_DATE);
        assertEquals(Set.of(), parse(HeaderType.DATE, "Sat, 13 Nov 2010 23:29:00 GMT", Compliance.STRICT).violations());
    }

    @Test
    void wsinvIsOnGrammarEvenWhenStrict() {
        Outcome o = parse(HeaderType.CONTACT, "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n"
            + "      newvalue ;\r\n  secondparam ; q = 0.33", Compliance.STRICT);
        assertEquals(1, o.values().size());
        assertEquals(Set.of(), o.violations());
    }
}
