package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Scheme dispatch, opaque URIs, and the Request-URIs of the RFC 4475 / RFC 5118 torture messages. */
class UriParseTest {

    @Test
    void dispatchOnScheme() {
        assertInstanceOf(SipUri.class, Uri.parse("sip:a@b"));
        assertInstanceOf(SipUri.class, Uri.parse("sips:a@b"));
        assertInstanceOf(TelUri.class, Uri.parse("tel:+1"));
        assertInstanceOf(AbsoluteUri.class, Uri.parse("sipx:a@b"));
        assertInstanceOf(AbsoluteUri.class, Uri.parse("si:a@b"));
        assertInstanceOf(AbsoluteUri.class, Uri.parse("telnet://h"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nobodyKnowsThisScheme:totallyopaquecontent | nobodyKnowsThisScheme | totallyopaquecontent",
        "soap.beep://192.0.2.103:3002 | soap.beep | //192.0.2.103:3002",
        "isbn:2983792873 | isbn | 2983792873",
        "http://www.example.com | http | //www.example.com",
        "name:John_Smith | name | John_Smith",
        "mailto:a%20b@example.com?subject=x | mailto | a%20b@example.com?subject=x",
        "urn:service:sos | urn | service:sos",
        "x-1+2.3:[]{}\\^`~ | x-1+2.3 | []{}\\^`~",
    })
    void opaqueSchemesAreKeptAsWritten(String text, String scheme, String rest) {
        AbsoluteUri u = assertInstanceOf(AbsoluteUri.class, Uri.parse(text));
        assertEquals(scheme, u.scheme());
        assertEquals(rest, u.schemeSpecificPart());
        assertEquals(text, u.toString());
    }

    @Test
    void opaqueComparison() {
        assertEquals(Uri.parse("HTTP://www.example.com"), Uri.parse("http://www.example.com"));
        assertEquals(Uri.parse("HTTP://x").hashCode(), Uri.parse("http://x").hashCode());
        assertNotEquals(Uri.parse("http://www.example.com"), Uri.parse("http://WWW.example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "x", "1ab:c", "+ab:c", "ab", "a b:c", "mailto:", "http://a b",
        "http://a\tb", "http://<a>", "http://\"a\"", "http://a\u007f", "http://\u00e9", "http://a\r\nb"})
    void notAUri(String text) {
        SipParseException e = assertThrows(SipParseException.class, () -> Uri.parse(text), text);
        assertEquals(400, e.status().code());
    }

    /** Every Request-URI of the torture messages, with what a parser must make of it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rfc4475/esc01.dat | sip | sips:user@example.com",
        "rfc4475/semiuri.dat | sip | user;par=u@example.net",
        "rfc4475/intmeth.dat | sip | 1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
        "rfc4475/escruri.dat | sip | user",
        "rfc4475/wsinv.dat | sip | vivekg",
        "rfc4475/esc02.dat | sip | ",
        "rfc4475/escnull.dat | sip | ",
        "rfc4475/unksm2.dat | sip | ",
        "rfc4475/regescrt.dat | sip | ",
        "rfc4475/cparam01.dat | sip | ",
        "rfc4475/cparam02.dat | sip | ",
        "rfc4475/longreq.dat | sip | user",
        "rfc4475/mpart01.dat | sip | kumiko",
        "rfc4475/inv2543.dat | sip | UserB",
        "rfc4475/trws.dat | sip | remote-target",
        "rfc4475/unkscm.dat | opaque | ",
        "rfc4475/novelsc.dat | opaque | ",
        "rfc4475/ltgtruri.dat | fails | ",
        "rfc4475/lwsruri.dat | fails | ",
        "rfc4475/lwsstart.dat | fails | ",
        "rfc5118/ipv6-bad.dat | fails | ",
        "rfc5118/ipv6-good.dat | sip | ",
        "rfc5118/port-ambiguous.dat | sip | ",
        "rfc5118/port-unambiguous.dat | sip | ",
        "rfc5118/ipv6-bug-abnf-3-colons.dat | sip | user",
        "rfc5118/ipv6-correct-abnf-2-colons.dat | sip | user",
        "rfc5118/ipv6-in-sdp.dat | sip | user",
        "rfc5118/mult-ip-in-header.dat | sip | user",
        "rfc5118/ipv4-mapped-ipv6.dat | sip | user",
    })
    void tortureRequestUris(String file, String expect, String user) throws IOException {
        String uri = requestUri(file);
        switch (expect) {
            case "sip" -> assertEquals(user, assertInstanceOf(SipUri.class, Uri.parse(uri)).user(), uri);
            case "opaque" -> assertEquals(uri, assertInstanceOf(AbsoluteUri.class, Uri.parse(uri)).toString());
            default -> assertThrows(SipParseException.class, () -> Uri.parse(uri), uri);
        }
    }

    @Test
    void rfc5118HostsAndPortsFromTheMessages() throws IOException {
        SipUri good = SipUri.parse(requestUri("rfc5118/ipv6-good.dat"));
        assertEquals("[2001:db8::10]", good.host());
        assertEquals(-1, good.port());
        SipUri ambiguous = SipUri.parse(requestUri("rfc5118/port-ambiguous.dat"));
        assertEquals("[2001:db8::10:5070]", ambiguous.host());
        assertEquals(-1, ambiguous.port());
        SipUri unambiguous = SipUri.parse(requestUri("rfc5118/port-unambiguous.dat"));
        assertEquals("[2001:db8::10]", unambiguous.host());
        assertEquals(5070, unambiguous.port());
        String threeColons = requestUri("rfc5118/ipv6-bug-abnf-3-colons.dat");
        assertEquals("[2001:db8::192.0.2.1]", SipUri.parse(threeColons).host());
        assertThrows(SipParseException.class, () -> Uri.parse(threeColons, Compliance.STRICT));
        assertEquals(SipUri.parse(threeColons),
            Uri.parse(requestUri("rfc5118/ipv6-correct-abnf-2-colons.dat"), Compliance.STRICT));
        SipUri escruri = SipUri.parse(requestUri("rfc4475/escruri.dat"));
        assertEquals("<sip:example.com>", escruri.headers().value("Route"));
        assertTrue(SipUri.parse(requestUri("rfc4475/wsinv.dat")).parameters().has("unknownparam"));
    }

    /** The text between the method and " SIP/2.0" of the message's first line. */
    private static String requestUri(String file) throws IOException {
        String shared = System.getProperty("parley.shared", "../../../shared");
        byte[] bytes = Files.readAllBytes(Path.of(shared, "torture", file));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String line = text.substring(0, text.indexOf('\n')).replace("\r", "");
        return line.substring(line.indexOf(' ') + 1, line.lastIndexOf(" SIP/"));
    }
}
