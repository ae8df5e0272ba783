package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3261 §19.1.4: every example pair of the section, plus the rules it states. */
class SipUriEquivalenceTest {

    static void equivalent(String a, String b) {
        Uri x = Uri.parse(a);
        Uri y = Uri.parse(b);
        assertEquals(x, y, a + " == " + b);
        assertEquals(y, x, b + " == " + a);
        assertEquals(x.hashCode(), y.hashCode(), "hash of " + a + " and " + b);
    }

    static void different(String a, String b) {
        Uri x = Uri.parse(a);
        Uri y = Uri.parse(b);
        assertNotEquals(x, y, a + " != " + b);
        assertNotEquals(y, x, b + " != " + a);
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', value = {
        // the equivalent sets of §19.1.4
        "sip:%61lice@atlanta.com;transport=TCP | sip:alice@AtLanTa.CoM;Transport=tcp",
        "sip:carol@chicago.com | sip:carol@chicago.com;newparam=5",
        "sip:carol@chicago.com | sip:carol@chicago.com;security=on",
        "sip:carol@chicago.com;newparam=5 | sip:carol@chicago.com;security=on",
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com"
            + " | sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
        "sip:alice@atlanta.com?subject=project%20x&priority=urgent"
            + " | sip:alice@atlanta.com?priority=urgent&subject=project%20x",
    })
    void rfc3261EquivalentSets(String a, String b) {
        equivalent(a, b);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = '|', value = {
        // the non-equivalent pairs of §19.1.4, with the reason the RFC gives
        "SIP:ALICE@AtLanTa.CoM;Transport=udp | sip:alice@AtLanTa.CoM;Transport=UDP", // different usernames
        "sip:bob@biloxi.com | sip:bob@biloxi.com:5060",                // can resolve to different ports
        "sip:bob@biloxi.com | sip:bob@biloxi.com;transport=udp",       // can resolve to different transports
        "sip:bob@biloxi.com | sip:bob@biloxi.com:6000;transport=tcp",  // different port and transport
        "sip:carol@chicago.com | sip:carol@chicago.com?Subject=next%20meeting", // different header component
        "sip:bob@phone21.boxesbybob.com | sip:bob@192.0.2.4",          // IP is not the name it resolves to
        // equality is not transitive: both equal sip:carol@chicago.com, not each other
        "sip:carol@chicago.com;security=on | sip:carol@chicago.com;security=off",
    })
    void rfc3261NonEquivalentPairs(String a, String b) {
        different(a, b);
    }

    @Test
    void sipAndSipsNeverMatch() {
        different("sip:alice@atlanta.com", "sips:alice@atlanta.com");
        equivalent("SIPS:alice@atlanta.com", "sips:alice@atlanta.com");
    }

    @Test
    void userAndPasswordAreCaseSensitiveAfterUnescaping() {
        different("sip:alice@h", "sip:Alice@h");
        equivalent("sip:al%69ce@h", "sip:alice@h");
        equivalent("sip:a%3ab@h", "sip:a%3Ab@h");
        different("sip:alice:pw@h", "sip:alice:PW@h");
        equivalent("sip:alice:p%77@h", "sip:alice:pw@h");
        different("sip:alice:pw@h", "sip:alice@h");
        different("sip:alice@h", "sip:h");
    }

    @Test
    void hostIsCaseInsensitive() {
        equivalent("sip:EXAMPLE.com", "sip:example.COM");
        different("sip:example.com", "sip:example.org");
    }

    @Test
    void ipv6SpellingsOfOneAddressMatch() {
        equivalent("sip:[2001:DB8::1]", "sip:[2001:db8:0:0::1]");
        equivalent("sip:[::ffff:192.0.2.10]", "sip:[::FFFF:c000:20a]");
        different("sip:[2001:db8::1]", "sip:[2001:db8::2]");
        different("sip:[2001:db8::10:5070]", "sip:[2001:db8::10]:5070");
    }

    @Test
    void portMustMatchExactly() {
        equivalent("sip:h:5060", "sip:h:05060");
        different("sip:h:5060", "sip:h:5061");
        different("sips:h", "sips:h:5061");
    }

    @ParameterizedTest
    @CsvSource({"user,phone", "ttl,1", "method,INVITE", "maddr,239.255.255.1", "transport,udp"})
    void specialParameterInOnlyOneNeverMatches(String name, String value) {
        different("sip:u@h", "sip:u@h;" + name + "=" + value);
        equivalent("sip:u@h;" + name + "=" + value, "sip:u@h;" + name.toUpperCase() + "=" + value.toUpperCase());
        different("sip:u@h;" + name + "=" + value, "sip:u@h;" + name + "=x" + value);
    }

    @Test
    void otherParametersMatterOnlyWhenBothHaveThem() {
        equivalent("sip:h;lr", "sip:h");
        equivalent("sip:h;lr", "sip:h;LR");
        different("sip:h;foo", "sip:h;foo=bar");
        equivalent("sip:h;a=1;b=2;transport=tcp", "sip:h;transport=TCP;b=2;x=9");
        different("sip:h;a=1;b=2", "sip:h;b=3;a=1");
        equivalent("sip:h;n%61me=v%61lue", "sip:h;name=VALUE");
    }

    @Test
    void headersMustAllMatchBothWays() {
        equivalent("sip:h?Subject=x&Priority=urgent", "sip:h?priority=urgent&SUBJECT=x");
        equivalent("sip:h?Route=%3Csip:a%3E", "sip:h?route=%3csip:a%3e");
        different("sip:h?Subject=x", "sip:h?Subject=X");
        different("sip:h?a=1", "sip:h?a=1&b=2");
        different("sip:h?a=1&b=2", "sip:h?a=1&c=2");
    }

    @Test
    void otherKindsOfUriAreNeverEqual() {
        different("sip:+1234@h", "tel:+1234");
        assertNotEquals(SipUri.of("h"), "sip:h");
    }

    @Test
    void hashIsConsistentWithParameterDifferencesThatDoNotMatter() {
        SipUri a = SipUri.parse("sip:alice@Atlanta.com;transport=tcp;x=1?s=1");
        SipUri b = SipUri.parse("sip:alice@atlanta.com;transport=tcp?s=1");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(1, new java.util.HashSet<>(java.util.List.of(a, b)).size());
    }
}
