package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriParseTest {

    static SipUri sip(String text) {
        return assertInstanceOf(SipUri.class, Uri.parse(text));
    }

    static SipParseException fails(String text) {
        SipParseException e = assertThrows(SipParseException.class, () -> Uri.parse(text), text);
        assertEquals(400, e.status().code(), text);
        return e;
    }

    @Test
    void allComponents() {
        SipUri u = sip("sips:alice:secret@Atlanta.example.com:5061;transport=TCP;lr;maddr=239.255.255.1"
            + "?Subject=hi&Priority=urgent");
        assertTrue(u.secure());
        assertEquals("sips", u.scheme());
        assertEquals("alice", u.user());
        assertEquals("secret", u.password());
        assertEquals("Atlanta.example.com", u.host());
        assertEquals(5061, u.port());
        assertEquals("tcp", u.transport());
        assertEquals("TCP", u.parameter("transport"));
        assertTrue(u.isLooseRouting());
        assertNull(u.parameters().value("lr"));
        assertEquals("239.255.255.1", u.parameter("maddr"));
        assertEquals(3, u.parameters().size());
        assertEquals(2, u.headers().size());
        assertEquals("Subject", u.headers().name(0));
        assertEquals("hi", u.headers().valueAt(0));
        assertEquals("urgent", u.headers().value("priority"));
    }

    @Test
    void hostOnlyHasNoUserNoPortNoParameters() {
        SipUri u = sip("sip:example.com");
        assertFalse(u.secure());
        assertNull(u.user());
        assertNull(u.password());
        assertEquals(-1, u.port());
        assertTrue(u.portIfSet().isEmpty());
        assertTrue(u.parameters().isEmpty());
        assertTrue(u.headers().isEmpty());
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertFalse(sip("SIP:ALICE@AtLanTa.CoM").secure());
        assertTrue(sip("SiPs:bob@example.com").secure());
        assertEquals("ALICE", sip("SIP:ALICE@AtLanTa.CoM").user());
        assertEquals("AtLanTa.CoM", sip("SIP:ALICE@AtLanTa.CoM").host());
    }

    @Test
    void emptyPasswordIsKept() {
        SipUri u = sip("sip:alice:@example.com");
        assertEquals("alice", u.user());
        assertEquals("", u.password());
    }

    @Test
    void hosts() {
        assertEquals("192.0.2.4", sip("sip:bob@192.0.2.4").host());
        assertEquals("example.com.", sip("sip:example.com.").host());
        assertEquals("a-b.c-d.example", sip("sip:a-b.c-d.example:1").host());
        assertEquals("x", sip("sip:x").host());
        assertEquals("1host.example", sip("sip:1host.example").host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:", "sip:user@", "sip:-bad.example.com", "sip:bad-.example.com",
        "sip:a..b", "sip:.example.com", "sip:example.123", "sip:256.0.0.1", "sip:1.2.3",
        "sip:1.2.3.4.5", "sip:host_name.example.com", "sip:@example.com", "sip:host:",
        "sip:host:abc", "sip:host;", "sip:host;=v", "sip:host;p=", "sip:host?", "sip:host?a",
        "sip:host?=v", "sip:host?a=1&", "sip:us er@host", "sip:user@host x", "sip:user@host>",
        "sip:user@ho\"st", "sip:user@host;p=a<b", "sip:user:pa;ss@host", "sip:user@host/path",
        "sip:[::1", "sip:[]", "sip:[::1]x", "sip:user@[::1]:", "<sip:user@example.com>",
        "sip:user@example.com; lr", " sip:user@example.com", "sip:user@example.com "})
    void malformedSipUrisFailWith400(String text) {
        fails(text);
    }

    @Test
    void failureNamesThePosition() {
        SipParseException e = fails("sip:user@host;p=a<b");
        assertEquals(17, e.error().offset());
    }

    // --- ports

    @Test
    void portBounds() {
        assertEquals(0, sip("sip:host:0").port());
        assertEquals(65535, sip("sip:host:65535").port());
        assertEquals(5060, sip("sip:host:05060").port());
        fails("sip:host:65536");
        fails("sip:host:99999999999999999999");
        fails("sip:host:-1");
    }

    // --- escaping (RFC 4475 §3.1.1.3 esc01, §3.1.1.4 escnull)

    @Test
    void esc01RequestUriUserUnescapes() {
        SipUri u = sip("sip:sips%3Auser%40example.com@example.net");
        assertEquals("sips:user@example.com", u.user());
        assertEquals("example.net", u.host());
    }

    @Test
    void esc01HeaderUris() {
        assertEquals("user", sip("sip:%75se%72@example.com").user());
        assertEquals("I have spaces", sip("sip:I%20have%20spaces@example.net").user());
        SipUri contact = sip("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
        assertEquals("caller", contact.user());
        assertTrue(contact.isLooseRouting());
        assertEquals("value%41", contact.parameter("name"));
        assertEquals(java.util.List.of("lr", "name"), contact.parameters().names());
    }

    @Test
    void escnullNulIsLegalInTheUser() {
        assertEquals("null-\0-null", sip("sip:null-%00-null@example.com").user());
        assertEquals("\0", sip("sip:%00@host5.example.com").user());
        assertEquals("\0\0", sip("sip:%00%00@host5.example.com").user());
    }

    @Test
    void escapesUnescapedEverywhere() {
        SipUri u = sip("sip:a%2Fb:p%40ss@h;n%3Dm=v%3Bw?H%26d=x%26y%3D");
        assertEquals("a/b", u.user());
        assertEquals("p@ss", u.password());
        assertEquals("v;w", u.parameter("n=m"));
        assertEquals("x&y=", u.headers().value("h&d"));
    }

    @Test
    void escapedUtf8IsDecoded() {
        assertEquals("j\u00fcrgen", sip("sip:j%C3%BCrgen@example.com").user());
        // Not UTF-8: every octet is kept as the Latin-1 character of the same value.
        assertEquals("\u00ff\u00fe", sip("sip:%FF%fe@example.com").user());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:a%@host", "sip:a%4@host", "sip:a%4G@host", "sip:%ZZ@host",
        "sip:user:%2@host", "sip:host;p=%", "sip:host;%G1", "sip:host?h=%0", "sip:host?%=1"})
    void badEscapesFail(String text) {
        fails(text);
    }

    @Test
    void rawNonAsciiIsNotAUriCharacter() {
        fails("sip:j\u00fcrgen@example.com");
    }

    // --- user part oddities (RFC 4475 §3.1.1.9 semiuri, §3.1.1.2 intmeth)

    @Test
    void semiuriSemicolonsBelongToTheUser() {
        SipUri u = sip("sip:user;par=u%40example.net@example.com");
        assertEquals("user;par=u@example.net", u.user());
        assertEquals("example.com", u.host());
        assertTrue(u.parameters().isEmpty());
    }

    @Test
    void userMayHoldQuestionMarkWhenAnAtFollows() {
        SipUri u = sip("sip:who?am;i@example.com;lr");
        assertEquals("who?am;i", u.user());
        assertTrue(u.headers().isEmpty());
        assertTrue(u.isLooseRouting());
    }

    @Test
    void noAtMeansSemicolonStartsParameters() {
        SipUri u = sip("sip:example.com;user=phone?x=y");
        assertNull(u.user());
        assertEquals("phone", u.parameter("user"));
        assertEquals("y", u.headers().value("x"));
    }

    @Test
    void intmethUnusualUserAndPassword() {
        SipUri u = sip("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
            + "(doesn't-it)@example.com");
        assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", u.user());
        assertEquals("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", u.password());
        assertEquals("example.com", u.host());
        assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
            sip("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com").user());
    }

    // --- parameters and headers (RFC 4475 wsinv, cparam02, longreq, escruri, regescrt)

    @Test
    void unknownParametersWithAndWithoutValues() {
        SipUri u = sip("sip:services.example.com;lr;unknownwith=value;unknown-no-value");
        assertEquals(3, u.parameters().size());
        assertEquals("value", u.parameter("unknownwith"));
        assertTrue(u.parameters().has("unknown-no-value"));
        assertNull(u.parameter("unknown-no-value"));
        SipUri c = sip("sip:+19725552222@gw1.example.net;unknownparam");
        assertEquals("+19725552222", c.user());
        assertTrue(c.parameters().has("unknownparam"));
    }

    @Test
    void paramUnreservedCharactersStayLiteral() {
        SipUri u = sip("sip:host;maddr=[2001:db8::1];x=a/b:c&d+e$f");
        assertEquals("[2001:db8::1]", u.parameter("maddr"));
        assertEquals("a/b:c&d+e$f", u.parameter("x"));
    }

    @Test
    void escapedRouteHeader() {
        SipUri u = sip("sip:user@example.com?Route=%3Csip:example.com%3E");
        assertEquals("<sip:example.com>", u.headers().value("Route"));
        SipUri r = sip("sip:user@example.com?Route=%3Csip:sip.example.com%3E");
        assertEquals("<sip:sip.example.com>", r.headers().value("route"));
    }

    @Test
    void emptyHeaderValueIsAllowed() {
        SipUri u = sip("sip:host?a=&b=2");
        assertEquals("", u.headers().value("a"));
        assertEquals("2", u.headers().value("b"));
    }

    @Test
    void longValuesAreKeptWhole() {
        String name = "longparamname".repeat(40);
        String value = "verylongvalue".repeat(200);
        SipUri u = sip("sip:" + "amazinglylongcallername".repeat(20) + "@example.net:6000;" + name + "=" + value);
        assertEquals(value, u.parameter(name));
        assertEquals(460, u.user().length());
        assertEquals(6000, u.port());
    }

    // --- IPv6 (RFC 5118)

    @Test
    void ipv6Good() {
        SipUri u = sip("sip:[2001:db8::10]");
        assertEquals("[2001:db8::10]", u.host());
        assertTrue(u.isIpv6());
        assertEquals(-1, u.port());
        assertEquals("[2001:db8::1]", sip("sip:caller@[2001:db8::1]").host());
        assertEquals("[2001:DB8::9:1]", sip("sip:x@[2001:DB8::9:1]").host());
    }

    @Test
    void ipv6WithoutBracketsFails() {
        fails("sip:2001:db8::10");
        fails("sip:user@2001:db8::10");
        assertThrows(IllegalArgumentException.class, () -> SipUri.of("2001:db8::10"));
    }

    @Test
    void portInsideBracketsIsPartOfTheAddress() {
        SipUri u = sip("sip:[2001:db8::10:5070]");
        assertEquals("[2001:db8::10:5070]", u.host());
        assertEquals(-1, u.port());
    }

    @Test
    void portAfterBracketsIsAPort() {
        SipUri u = sip("sip:[2001:db8::10]:5070");
        assertEquals("[2001:db8::10]", u.host());
        assertEquals(5070, u.port());
    }

    @Test
    void ipv4MappedIpv6() {
        assertEquals("[::ffff:192.0.2.10]", sip("sip:[::ffff:192.0.2.10]:19823").host());
        assertEquals("[::ffff:192.0.2.2]", sip("sip:ted@[::ffff:192.0.2.2]").host());
        assertEquals("[2001:db8::192.0.2.1]", sip("sip:user@[2001:db8::192.0.2.1]").host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::]", "[::1]", "[1::]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:1.2.3.4]",
        "[1::2:3:4:5:6:7]", "[fe80::0:0:0:1]", "[::1.2.3.4]", "[ABCD:ef01::]"})
    void validIpv6(String host) {
        assertEquals(host, sip("sip:" + host).host());
        assertEquals(host, SipUri.of(host).host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]",
        "[:1::]", "[1:]", "[1::2:]", "[1:2:3:4:5:6:7::8]", "[::1.2.3]", "[::1.2.3.256]",
        "[::1.2.3.4:5]", "[::1.2.3.4.5]", "[1:2:3:4:5:6:7:1.2.3.4]", "[g::1]", "[::::1]",
        "[2001:db8:::1]", "[fe80::1%25eth0]", "[example.com]"})
    void invalidIpv6(String host) {
        fails("sip:" + host);
        assertThrows(IllegalArgumentException.class, () -> SipUri.of(host));
    }

    @Test
    void threeColonsAreToleratedOnlyWhenLenientAndNormalised() {
        String text = "sip:user@[2001:db8:::192.0.2.1]";
        SipUri lenient = assertInstanceOf(SipUri.class, Uri.parse(text, Compliance.LENIENT));
        assertEquals("[2001:db8::192.0.2.1]", lenient.host());
        assertEquals(SipUri.parse("sip:user@[2001:db8::192.0.2.1]"), lenient);
        assertEquals("sip:user@[2001:db8::192.0.2.1]", lenient.toString());

        SipParseException e = assertThrows(SipParseException.class, () -> Uri.parse(text, Compliance.STRICT));
        assertEquals(400, e.status().code());
        assertTrue(e.getMessage().contains(":::"), e.getMessage());

        Uri custom = Uri.parse(text, Compliance.allowing(java.util.EnumSet.of(Violation.IPV6_EXTRA_COLON)));
        assertEquals("[2001:db8::192.0.2.1]", ((SipUri) custom).host());
        assertThrows(SipParseException.class,
            () -> Uri.parse(text, Compliance.allowing(java.util.EnumSet.of(Violation.BARE_LF))));
        assertEquals("[::192.0.2.1]", ((SipUri) Uri.parse("sip:[:::192.0.2.1]")).host());
    }

    @Test
    void constructorRefusesWhatCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> SipUri.of("exa mple.com"));
        assertThrows(IllegalArgumentException.class, () -> SipUri.of(""));
        assertThrows(IllegalArgumentException.class, () -> SipUri.of("", "example.com", -1));
        assertThrows(IllegalArgumentException.class, () -> SipUri.of("[2001:db8:::192.0.2.1]"));
        assertThrows(IllegalArgumentException.class,
            () -> new SipUri(false, null, "pw", "h", -1, Parameters.EMPTY, Parameters.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> SipUri.of("u", "h", 65536));
    }

    @Test
    void sipUriParseRejectsOtherSchemesWith416() {
        SipParseException e = assertThrows(SipParseException.class, () -> SipUri.parse("tel:+1234"));
        assertEquals(416, e.status().code());
        assertEquals("bob", SipUri.parse("sip:bob@example.com").user());
    }
}
