package sip.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderNameTest {
    /** RFC 3261 §7.3.3 and the extensions that define compact forms. */
    static final Map<Character, StandardHeader> COMPACT = Map.ofEntries(
        Map.entry('i', StandardHeader.CALL_ID), Map.entry('m', StandardHeader.CONTACT),
        Map.entry('e', StandardHeader.CONTENT_ENCODING), Map.entry('l', StandardHeader.CONTENT_LENGTH),
        Map.entry('c', StandardHeader.CONTENT_TYPE), Map.entry('f', StandardHeader.FROM),
        Map.entry('s', StandardHeader.SUBJECT), Map.entry('k', StandardHeader.SUPPORTED),
        Map.entry('t', StandardHeader.TO), Map.entry('v', StandardHeader.VIA),
        Map.entry('o', StandardHeader.EVENT), Map.entry('r', StandardHeader.REFER_TO),
        Map.entry('u', StandardHeader.ALLOW_EVENTS), Map.entry('x', StandardHeader.SESSION_EXPIRES),
        Map.entry('a', StandardHeader.ACCEPT_CONTACT), Map.entry('y', StandardHeader.IDENTITY),
        Map.entry('b', StandardHeader.REFERRED_BY), Map.entry('j', StandardHeader.REJECT_CONTACT),
        Map.entry('d', StandardHeader.REQUEST_DISPOSITION));

    @Test
    void everyCompactFormBothWays() {
        COMPACT.forEach((c, h) -> {
            assertSame(h, HeaderName.of(String.valueOf(c)));
            assertSame(h, HeaderName.of(String.valueOf(Character.toUpperCase(c))));
            assertEquals(c.charValue(), h.compact());
            assertSame(h, HeaderName.of(h.canonical().toUpperCase()));
        });
        long withCompact = java.util.Arrays.stream(StandardHeader.values()).filter(h -> h.compact() != 0).count();
        assertEquals(COMPACT.size(), withCompact, "no compact form beyond the list");
    }

    @Test
    void compactAndLongNamesFindTheSameFieldsInAMessage() {
        String msg = "OPTIONS sip:a@example.com SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            + "VIA: SIP/2.0/UDP g;branch=z9hG4bK2\r\nf: <sip:x@y>;tag=1\r\nT: <sip:a@example.com>\r\n"
            + "i: abc\r\ncseq: 1 OPTIONS\r\nl: 0\r\n\r\n";
        SipMessage m = assertInstanceOf(ParseResult.Parsed.class, SipParser.strict().parse(msg.getBytes(UTF_8))).message();
        assertEquals(2, m.vias().size());
        assertEquals("abc", m.callId());
        assertEquals("1", m.from().tag());
        assertEquals(StandardHeader.VIA, m.headers().get(0).name());
    }

    @Test
    void extensionNamesIgnoreCase() {
        HeaderName a = HeaderName.of("X-Custom");
        assertInstanceOf(ExtensionHeader.class, a);
        assertEquals(a, HeaderName.of("x-custom"));
        assertEquals(a.hashCode(), HeaderName.of("X-CUSTOM").hashCode());
        assertNotEquals(a, HeaderName.of("X-Custom2"));
        assertThrows(IllegalArgumentException.class, () -> HeaderName.of("Bad:Name"));
        assertThrows(IllegalArgumentException.class, () -> HeaderName.of(""));
        assertTrue(StandardHeader.VIA.isList());
        assertTrue(StandardHeader.CALL_ID.isSingle());
    }
}
