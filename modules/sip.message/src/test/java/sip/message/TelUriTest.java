package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3966 tel: URIs. */
class TelUriTest {

    static TelUri tel(String text) {
        return assertInstanceOf(TelUri.class, Uri.parse(text));
    }

    @Test
    void globalNumberWithSeparators() {
        TelUri t = tel("tel:+1-201-555-0123");
        assertEquals("tel", t.scheme());
        assertTrue(t.isGlobal());
        assertEquals("+1-201-555-0123", t.number());
        assertEquals("+12015550123", t.digits());
        assertTrue(t.parameters().isEmpty());
        assertEquals("tel:+1-201-555-0123", t.toString());
    }

    @Test
    void localNumberWithPhoneContext() {
        TelUri t = tel("TEL:7042;phone-context=example.com");
        assertFalse(t.isGlobal());
        assertEquals("example.com", t.parameters().value("phone-context"));
        TelUri h = tel("tel:*86#;phone-context=+1-201");
        assertEquals("*86#", h.number());
        assertEquals("tel:863-1234;phone-context=+1-914-555", tel("tel:863-1234;phone-context=+1-914-555").toString());
    }

    @Test
    void parameters() {
        TelUri t = tel("tel:+1(201)555.0123;ext=1234;isub=a%2Fb;x-flag;Foo=Bar");
        assertEquals("1234", t.parameters().value("ext"));
        assertEquals("a/b", t.parameters().value("isub"));
        assertTrue(t.parameters().has("x-flag"));
        assertEquals("Bar", t.parameters().value("foo"));
        assertEquals(t, Uri.parse(t.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:", "tel:+", "tel:+-", "tel:+1a", "tel:7042", "tel:12 34",
        "tel:+1;", "tel:+1;=x", "tel:+1;ext=", "tel:+1;ext=12a", "tel:+1;a_b=c", "tel:+1;a=%G0",
        "tel:7042;phone-context=", "tel:7042;phone-context=ex_ample.com", "tel:7042;phone-context=+",
        "tel:+1?x=y", "tel:+1;a=b<c"})
    void malformed(String text) {
        SipParseException e = assertThrows(SipParseException.class, () -> Uri.parse(text), text);
        assertEquals(400, e.status().code());
    }

    @Test
    void constructorValidatesToo() {
        assertThrows(IllegalArgumentException.class, () -> new TelUri("7042", Parameters.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new TelUri("+1 2", Parameters.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new TelUri("", Parameters.EMPTY));
        assertEquals("tel:7042;phone-context=example.com",
            new TelUri("7042", Parameters.of("phone-context", "example.com")).toString());
    }

    @Test
    void comparisonIgnoresSeparatorsAndParameterOrder() {
        assertEqualBothWays("tel:+1-201-555-0123", "tel:+1(201)5550123");
        assertEqualBothWays("tel:+1-201-555-0123;ext=12;foo=bar", "tel:+12015550123;FOO=BAR;ext=1-2");
        assertEqualBothWays("tel:7042;phone-context=Example.COM", "tel:70-42;phone-context=example.com");
        assertEqualBothWays("tel:7042;phone-context=+1-201", "tel:7042;phone-context=+1201");
        assertEqualBothWays("tel:ab12;phone-context=x.example", "tel:AB12;phone-context=x.example");
    }

    @Test
    void comparisonDifferences() {
        assertDifferent("tel:+1-201-555-0123", "tel:+1-201-555-0124");
        assertDifferent("tel:+1234;phone-context=+1", "tel:1234;phone-context=+1");
        assertDifferent("tel:+1234", "tel:+1234;ext=1");
        assertDifferent("tel:+1234;foo=1", "tel:+1234;bar=1");
        assertDifferent("tel:+1234;foo=1", "tel:+1234;foo=2");
        assertDifferent("tel:7042;phone-context=a.example", "tel:7042;phone-context=b.example");
    }

    private static void assertEqualBothWays(String a, String b) {
        Uri x = Uri.parse(a);
        Uri y = Uri.parse(b);
        assertEquals(x, y);
        assertEquals(y, x);
        assertEquals(x.hashCode(), y.hashCode());
    }

    private static void assertDifferent(String a, String b) {
        assertNotEquals(Uri.parse(a), Uri.parse(b));
        assertNotEquals(Uri.parse(b), Uri.parse(a));
    }
}
