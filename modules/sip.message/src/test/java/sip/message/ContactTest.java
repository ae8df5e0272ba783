package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.message.HeaderAssertions.one;
import static sip.message.HeaderAssertions.rejects;
import static sip.message.HeaderAssertions.roundTrips;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContactTest {
    private static final HeaderType<Contact> CONTACT = HeaderType.CONTACT;

    @Test
    void wildcard() {
        assertSame(Contact.WILDCARD, one(CONTACT, "*"));
        assertSame(Contact.WILDCARD, one(CONTACT, "*  "));
        rejects(CONTACT, "*;expires=0", "'<'");
    }

    @Test
    void expiresAndQ() {
        Contact c = one(CONTACT, "<sip:user@host129.example.com>\r\n  ;expires=4294967295;q=0.7");
        assertEquals(OptionalLong.of(4294967295L), c.expires());
        assertEquals(OptionalDouble.of(0.7), c.q());
    }

    @Test
    void contactExpiresOverflow() {
        // RFC 4475 scalar02
        rejects(CONTACT, "<sip:user@host129.example.com>\r\n  ;expires=280297596632815", "expires is larger");
        rejects(CONTACT, "<sip:u@h>;expires=4294967296", "larger than 4294967295");
        rejects(CONTACT, "<sip:u@h>;expires=-1", "number");
        rejects(CONTACT, "<sip:u@h>;expires", "needs a value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "0.5", "0.123", "1.000", "0.", "1."})
    void goodQ(String q) {
        assertEquals(Double.parseDouble(q), one(CONTACT, "<sip:u@h>;q=" + q).q().getAsDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "1.5", "0.1234", "1.001", ".5", "-0", "\"0.5\"", "01"})
    void badQ(String q) {
        rejects(CONTACT, "<sip:u@h>;q=" + q, "qvalue");
    }

    @Test
    void wsinvContactWithSpacedParameters() {
        Contact c = one(CONTACT, "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n"
            + "      newvalue ;\r\n  secondparam ; q = 0.33");
        assertEquals("Quoted string \"\"", c.address().displayName());
        assertEquals("newvalue", c.address().parameters().value("newparam"));
        assertTrue(c.address().parameters().has("secondparam"));
        assertEquals(OptionalDouble.of(0.33), c.q());
    }

    @Test
    void cparam01BareFormParamIsAContactParam() {
        Contact c = one(CONTACT, "sip:+19725552222@gw1.example.net;unknownparam");
        assertTrue(c.address().parameters().has("unknownparam"));
        SipUri u = assertInstanceOf(SipUri.class, c.uri());
        assertTrue(u.parameters().isEmpty());
    }

    @Test
    void cparam02BracketedParamIsAUriParam() {
        Contact c = one(CONTACT, "<sip:+19725552222@gw1.example.net;unknownparam>");
        assertTrue(c.address().parameters().isEmpty());
        assertTrue(assertInstanceOf(SipUri.class, c.uri()).parameters().has("unknownparam"));
    }

    @Test
    void regbadctBareUriWithHeadersToleratedLeniently() {
        Contact c = one(CONTACT, "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
        SipUri u = assertInstanceOf(SipUri.class, c.uri());
        assertEquals("<sip:sip.example.com>", u.headers().value("Route"));
    }

    @Test
    void regescrtBracketedUriWithHeaders() {
        Contact c = one(CONTACT, "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>");
        assertEquals("<sip:sip.example.com>", assertInstanceOf(SipUri.class, c.uri()).headers().value("Route"));
    }

    @Test
    void badinv01EmptyParams() {
        rejects(CONTACT, "\"Joe\" <sip:joe@example.org>;;;;", "parameter name");
    }

    @Test
    void list() {
        List<Contact> l = CONTACT.parse("<sip:a@h1>;expires=60, sip:b@h2;q=1 ,\"C\" <sip:c@h3>");
        assertEquals(3, l.size());
        assertEquals(OptionalLong.of(60), l.get(0).expires());
        assertEquals(OptionalDouble.of(1), l.get(1).q());
        assertEquals("C", l.get(2).address().displayName());
    }

    @Test
    void unknownSchemeContact() {
        // RFC 4475 unksm2
        assertEquals(new AbsoluteUri("name", "John_Smith"), one(CONTACT, "<name:John_Smith>").uri());
    }

    @Test
    void roundTrip() {
        roundTrips(CONTACT, Contact.WILDCARD);
        for (String s : new String[] {
            "<sip:user@host129.example.com>;expires=4294967295;q=0.7",
            "sip:+19725552222@gw1.example.net;unknownparam",
            "<sip:+19725552222@gw1.example.net;unknownparam>",
            "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
            "<sip:caller@[2001:db8::1]>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"",
        }) {
            roundTrips(CONTACT, one(CONTACT, s));
        }
    }
}
