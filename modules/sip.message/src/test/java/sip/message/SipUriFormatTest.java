package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:example.com",
        "sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?Subject=hi&Priority=urgent",
        "sip:sips%3Auser%40example.com@example.net",
        "sip:user;par=u%40example.net@example.com",
        "sip:null-%00-null@example.com",
        "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
        "sip:[2001:db8::10]:5070;maddr=[2001:db8::1]",
        "sip:[::ffff:192.0.2.10]",
        "sip:user@example.com?Route=%3Csip:example.com%3E",
        "sip:h;x=a/b:c&d+e$f?h=[1]/?:+$&e=",
        "sip:j%C3%BCrgen@example.com",
        "sip:%F0%9F%98%80@example.com",
    })
    void canonicalTextIsWrittenBackUnchanged(String text) {
        assertEquals(text, Uri.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:%75se%72@example.com",
        "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
        "SIP:ALICE@AtLanTa.CoM;Transport=udp",
        "sip:a%2fb:p%40ss@h;n%3dm=v%3bw?H%26d=x%26y%3d",
        "sip:%FF%fe@example.com",
        "sip:user@[2001:db8:::192.0.2.1]",
        "sip:%3b%3f@h",
    })
    void roundTripGivesAnEqualUri(String text) {
        Uri once = Uri.parse(text);
        Uri twice = Uri.parse(once.toString());
        assertEquals(once, twice);
        assertEquals(once.toString(), twice.toString());
        SipUri a = (SipUri) once;
        SipUri b = (SipUri) twice;
        assertEquals(a.user(), b.user());
        assertEquals(a.password(), b.password());
        assertEquals(a.parameters(), b.parameters());
        assertEquals(a.headers(), b.headers());
    }

    @Test
    void unescapesWhatNeedsNoEscaping() {
        assertEquals("sip:user@example.com", Uri.parse("sip:%75se%72@example.com").toString());
        assertEquals("sip:caller@host5.example.net;lr;name=value%2541",
            Uri.parse("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31").toString());
    }

    @Test
    void escapesEachComponentByItsOwnRules() {
        SipUri u = new SipUri(false, "a b@c:d;e?f", "p:w@;", "example.com", 5060,
            Parameters.of("name", "v;w=x y").with("flag", null),
            Parameters.of("Subject", "hi there&more=?"));
        assertEquals("sip:a%20b%40c%3Ad;e?f:p%3Aw%40%3B@example.com:5060;name=v%3Bw%3Dx%20y;flag"
            + "?Subject=hi%20there%26more%3D?", u.toString());
        SipUri back = SipUri.parse(u.toString());
        assertEquals("a b@c:d;e?f", back.user());
        assertEquals("p:w@;", back.password());
        assertEquals("v;w=x y", back.parameter("name"));
        assertEquals("hi there&more=?", back.headers().value("subject"));
        assertEquals(u, back);
    }

    @Test
    void controlAndNonAsciiCharactersAreEscapedAsUtf8() {
        SipUri u = SipUri.of("line\r\nbreak\0\u00e9\u20ac", "h", -1);
        assertEquals("sip:line%0D%0Abreak%00%C3%A9%E2%82%AC@h", u.toString());
        assertEquals(u, SipUri.parse(u.toString()));
        assertEquals(u.user(), SipUri.parse(u.toString()).user());
    }

    @Test
    void emptyParameterValueIsWrittenAsAFlag() {
        SipUri u = SipUri.of("h").withParameter("x", "");
        assertEquals("sip:h;x", u.toString());
        assertEquals(u, SipUri.parse(u.toString()));
    }

    @Test
    void withersProduceTheExpectedWireForm() {
        SipUri u = SipUri.of("bob", "biloxi.com", -1).withSecure(true).withPort(5061)
            .withParameter("transport", "tls").withHost("[2001:db8::1]");
        assertEquals("sips:bob@[2001:db8::1]:5061;transport=tls", u.toString());
        assertEquals("sips:bob@[2001:db8::1]:5061", u.withoutParameter("transport").toString());
    }
}
