package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.message.HeaderAssertions.one;
import static sip.message.HeaderAssertions.rejects;
import static sip.message.HeaderAssertions.roundTrips;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Call-ID, CSeq, Max-Forwards, Content-Length, Expires, Min-Expires, option tags, Allow, media types. */
class ScalarHeadersTest {

    @Test
    void callIdKeptExactly() {
        assertEquals("wsinv.ndaksdj@192.0.2.1", one(HeaderType.CALL_ID, "wsinv.ndaksdj@192.0.2.1"));
        // RFC 4475 intmeth: every word character
        String odd = "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{";
        assertEquals(odd, one(HeaderType.CALL_ID, odd));
        assertEquals("a84b4c76e66710", one(HeaderType.CALL_ID, "a84b4c76e66710  "));
    }

    @Test
    void badCallIds() {
        rejects(HeaderType.CALL_ID, "abc@", "word after '@'");
        rejects(HeaderType.CALL_ID, "a@b@c", "unexpected");
        rejects(HeaderType.CALL_ID, "a b", "unexpected");
        rejects(HeaderType.CALL_ID, "a;b", "unexpected");
        rejects(HeaderType.CALL_ID, "@b", "call-id word");
        rejects(HeaderType.CALL_ID, "  ", "empty");
    }

    @Test
    void cseq() {
        CSeq c = one(HeaderType.CSEQ, "4711 INVITE");
        assertEquals(4711, c.sequence());
        assertSame(Method.INVITE, c.method());
        // wsinv: leading zeros and a fold between number and method
        CSeq w = one(HeaderType.CSEQ, "0009\r\n  INVITE");
        assertEquals(9, w.sequence());
        CSeq x = one(HeaderType.CSEQ, "139122385 !interesting-Method0123456789_*+`.%indeed'~");
        assertEquals("!interesting-Method0123456789_*+`.%indeed'~", x.method().name());
        assertFalse(x.method().isKnown());
        // methods are case-sensitive
        assertFalse(one(HeaderType.CSEQ, "1 invite").method().isKnown());
        assertEquals("RE%47IST%45R", one(HeaderType.CSEQ, "29344 RE%47IST%45R").method().name());
    }

    @Test
    void cseqLimits() {
        assertEquals(CSeq.MAX, one(HeaderType.CSEQ, "2147483647 ACK").sequence());
        assertEquals(0, one(HeaderType.CSEQ, "0 ACK").sequence());
        rejects(HeaderType.CSEQ, "2147483648 ACK", "larger than 2147483647");
        // RFC 4475 scalar02, scalarlg
        rejects(HeaderType.CSEQ, "36893488147419103232 REGISTER", "larger");
        rejects(HeaderType.CSEQ, "9292394834772304023312 OPTIONS", "larger");
        rejects(HeaderType.CSEQ, "-1 ACK", "cseq number");
        rejects(HeaderType.CSEQ, "1INVITE", "whitespace");
        rejects(HeaderType.CSEQ, "1 ", "token");
        rejects(HeaderType.CSEQ, "1 INVITE x", "unexpected");
    }

    @Test
    void maxForwards() {
        assertEquals(68, one(HeaderType.MAX_FORWARDS, "0068"));
        assertEquals(255, one(HeaderType.MAX_FORWARDS, "255"));
        assertEquals(0, one(HeaderType.MAX_FORWARDS, "0"));
        rejects(HeaderType.MAX_FORWARDS, "256", "larger than 255");
        rejects(HeaderType.MAX_FORWARDS, "300", "larger than 255"); // scalar02
        rejects(HeaderType.MAX_FORWARDS, "7a", "unexpected");
        rejects(HeaderType.MAX_FORWARDS, "70, 5", "unexpected");
    }

    @Test
    void contentLength() {
        assertEquals(150, one(HeaderType.CONTENT_LENGTH, "150"));
        assertEquals(Integer.MAX_VALUE, one(HeaderType.CONTENT_LENGTH, "2147483647"));
        rejects(HeaderType.CONTENT_LENGTH, "2147483648", "larger");
        rejects(HeaderType.CONTENT_LENGTH, "-999", "content-length"); // ncl
    }

    @Test
    void expires() {
        assertEquals(4294967295L, one(HeaderType.EXPIRES, "4294967295"));
        assertEquals(3600L, one(HeaderType.MIN_EXPIRES, "3600"));
        rejects(HeaderType.EXPIRES, "4294967296", "larger than 4294967295");
        rejects(HeaderType.EXPIRES, "1" + "0".repeat(100), "larger"); // scalar02
        rejects(HeaderType.EXPIRES, "Thu, 01 Dec 1994 16:00:00 GMT", "delta-seconds");
    }

    @Test
    void optionTagsAndAllow() {
        assertEquals(List.of("nothingSupportsThis", "nothingSupportsThisEither"),
            HeaderType.REQUIRE.parse("nothingSupportsThis, nothingSupportsThisEither"));
        assertEquals(List.of("100rel", "timer", "path"), HeaderType.SUPPORTED.parse("100rel,timer ,\r\n path"));
        rejects(HeaderType.PROXY_REQUIRE, "foo bar", "expected ','");
        rejects(HeaderType.UNSUPPORTED, "foo,,bar", "empty value");
        List<Method> allow = HeaderType.ALLOW.parse("INVITE, ACK, OPTIONS, CANCEL, BYE, X-CUSTOM");
        assertSame(Method.INVITE, allow.get(0));
        assertEquals(Method.of("X-CUSTOM"), allow.get(5));
        rejects(HeaderType.ALLOW, "INVITE; ACK", "expected ','");
    }

    @Test
    void mediaTypes() {
        ContentType t = one(HeaderType.CONTENT_TYPE, "multipart/mixed;boundary=7a9cbec02ceef655");
        assertTrue(t.is("multipart", "mixed"));
        assertEquals("7a9cbec02ceef655", t.boundary());
        ContentType q = one(HeaderType.CONTENT_TYPE, "text/html ; charset = \"ISO-8859-4\"");
        assertEquals("ISO-8859-4", q.parameters().value("charset"));
        assertTrue(q.parameters().isQuoted(0));
        List<ContentType> accept = HeaderType.ACCEPT.parse("application/sdp, application/pkcs7-mime,\r\n"
            + "        multipart/mixed, multipart/signed,\r\n        message/sip, message/sipfrag");
        assertEquals(6, accept.size());
        assertEquals("message/sipfrag", accept.get(5).mediaType());
        List<ContentType> wild = HeaderType.ACCEPT.parse("*/*;q=0.1, application/*");
        assertEquals("*", wild.get(0).type());
        assertEquals("*", wild.get(1).subtype());
        rejects(HeaderType.CONTENT_TYPE, "application", "'/'");
        rejects(HeaderType.CONTENT_TYPE, "application/", "token");
        rejects(HeaderType.CONTENT_TYPE, "application/sdp;", "parameter name");
        rejects(HeaderType.CONTENT_TYPE, "application/sdp, text/plain", "unexpected");
    }

    @Test
    void roundTrips() {
        HeaderAssertions.roundTrips(HeaderType.CALL_ID, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
        HeaderAssertions.roundTrips(HeaderType.CSEQ, new CSeq(CSeq.MAX, Method.of("!odd~")));
        HeaderAssertions.roundTrips(HeaderType.MAX_FORWARDS, 70);
        HeaderAssertions.roundTrips(HeaderType.CONTENT_LENGTH, 0);
        HeaderAssertions.roundTrips(HeaderType.EXPIRES, 4294967295L);
        HeaderAssertions.roundTrips(HeaderType.MIN_EXPIRES, 60L);
        HeaderAssertions.roundTrips(HeaderType.REQUIRE, "100rel");
        HeaderAssertions.roundTrips(HeaderType.ALLOW, Method.SUBSCRIBE);
        HeaderAssertions.roundTrips(HeaderType.CONTENT_TYPE,
            new ContentType("text", "plain", Parameters.of("charset", "utf-8", "x", "two words")));
        HeaderAssertions.roundTrips(HeaderType.ACCEPT, one(HeaderType.ACCEPT, "text/html ; charset = \"ISO-8859-4\""));
    }
}
