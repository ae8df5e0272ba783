package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static sip.message.HeaderAssertions.one;
import static sip.message.HeaderAssertions.rejects;
import static sip.message.HeaderAssertions.roundTrips;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Retry-After, Warning, Date, Event, Subscription-State, Reason. */
class MiscHeadersTest {

    @Test
    void retryAfter() {
        RetryAfter r = one(HeaderType.RETRY_AFTER, "18000;duration=3600");
        assertEquals(18000, r.seconds());
        assertNull(r.comment());
        assertEquals("3600", r.parameters().value("duration"));
        RetryAfter c = one(HeaderType.RETRY_AFTER, "120 (I'm in a (long) meeting)");
        assertEquals("I'm in a (long) meeting", c.comment());
        RetryAfter f = one(HeaderType.RETRY_AFTER, "4294967295 (folded\r\n comment) ; duration = 4294967295");
        assertEquals(4294967295L, f.seconds());
        assertEquals("folded comment", f.comment());
    }

    @Test
    void retryAfterOverflowAndMalformed() {
        // RFC 4475 scalarlg
        rejects(HeaderType.RETRY_AFTER, "949302838503028349304023988", "larger than 4294967295");
        rejects(HeaderType.RETRY_AFTER, "4294967296", "larger");
        rejects(HeaderType.RETRY_AFTER, "5;duration=4294967296", "duration");
        rejects(HeaderType.RETRY_AFTER, "5 (unterminated", "unterminated comment");
        rejects(HeaderType.RETRY_AFTER, "5 (nul\u0000)", "nul");
        rejects(HeaderType.RETRY_AFTER, "5 x", "unexpected");
    }

    @Test
    void warning() {
        List<Warning> w = HeaderType.WARNING.parse("307 isi.edu \"Session parameter 'foo' not understood\", "
            + "301 isi.edu:5060 \"Incompatible network address type 'E.164'\",399 [2001:db8::1]:5060 \"x\"");
        assertEquals(3, w.size());
        assertEquals(307, w.get(0).code());
        assertEquals("isi.edu", w.get(0).agent());
        assertEquals("Session parameter 'foo' not understood", w.get(0).text());
        assertEquals("isi.edu:5060", w.get(1).agent());
        assertEquals("[2001:db8::1]:5060", w.get(2).agent());
        assertEquals("pseudonym-1", one(HeaderType.WARNING, "399 pseudonym-1 \"a\"").agent());
    }

    @Test
    void warningMalformed() {
        // RFC 4475 scalarlg: four-digit code
        rejects(HeaderType.WARNING, "1812 overture \"In Progress\"", "larger than 999");
        rejects(HeaderType.WARNING, "99 overture \"x\"", "three digits");
        rejects(HeaderType.WARNING, "099 overture \"x\"", "three digits");
        rejects(HeaderType.WARNING, "399 overture", "sp after the warn-agent");
        rejects(HeaderType.WARNING, "399 overture text", "quoted warn-text");
        rejects(HeaderType.WARNING, "399 overture \"text", "unterminated");
        rejects(HeaderType.WARNING, "399 host:99999 \"x\"", "port");
        rejects(HeaderType.WARNING, "399\"x\"", "sp after the warn-code");
    }

    @Test
    void date() {
        SipDate d = one(HeaderType.DATE, "Sat, 13 Nov 2010 23:29:00 GMT");
        assertEquals(Instant.parse("2010-11-13T23:29:00Z"), d.instant());
        assertEquals("Sat, 13 Nov 2010 23:29:00 GMT", d.toString());
        assertEquals("Sat, 15 Oct 2005 04:44:56 GMT", one(HeaderType.DATE, "Sat, 15 Oct 2005 04:44:56 GMT").toString());
        assertEquals("Sat, 01 Jan 2000 00:00:00 GMT",
            new SipDate(Instant.parse("2000-01-01T00:00:00Z")).toString());
    }

    @Test
    void offGrammarDatesReadLeniently() {
        // RFC 4475 baddate: EST is five hours behind GMT. Strict rejection: HeaderComplianceTest.
        assertEquals(Instant.parse("2010-01-01T21:00:00Z"), one(HeaderType.DATE, "Fri, 01 Jan 2010 16:00:00 EST").instant());
        // wrong weekday, lower case, single-digit day, numeric offset
        assertEquals(Instant.parse("2010-01-01T16:00:00Z"), one(HeaderType.DATE, "Mon, 01 Jan 2010 16:00:00 GMT").instant());
        assertEquals(Instant.parse("2010-01-01T14:00:00Z"), one(HeaderType.DATE, "fri, 1 jan 2010 16:00:00 +0200").instant());
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), one(HeaderType.DATE, "Sunday, 06-Nov-94 08:49:37 GMT".replace('-', ' ')).instant());
    }

    @Test
    void unreadableDatesFailButSayTheRawTextIsKept() {
        rejects(HeaderType.DATE, "yesterday", "raw header text is kept");
        rejects(HeaderType.DATE, "Fri, 31 Feb 2010 16:00:00 GMT", "raw header text is kept");
        rejects(HeaderType.DATE, "Fri, 01 Jan 2010 25:00:00 GMT", "raw header text is kept");
        rejects(HeaderType.DATE, "Fri, 01 Jan 2010 16:00:00 XYZ", "raw header text is kept");
    }

    @Test
    void event() {
        Event e = one(HeaderType.EVENT, "presence.winfo;id=1234");
        assertEquals("presence.winfo", e.eventType());
        assertEquals("1234", e.id());
        assertEquals("dialog", one(HeaderType.EVENT, "dialog").eventType());
        rejects(HeaderType.EVENT, "presence.", "empty event package or template");
        rejects(HeaderType.EVENT, ".winfo", "empty event package");
        rejects(HeaderType.EVENT, "a..b", "empty event package");
        rejects(HeaderType.EVENT, "presence;id=", "empty value");
        rejects(HeaderType.EVENT, "presence, dialog", "unexpected");
    }

    @Test
    void subscriptionState() {
        SubscriptionState s = one(HeaderType.SUBSCRIPTION_STATE, "active;expires=4294967295");
        assertEquals("active", s.state());
        assertEquals(OptionalLong.of(4294967295L), s.expires());
        SubscriptionState t = one(HeaderType.SUBSCRIPTION_STATE, "terminated;reason=timeout;retry-after=30");
        assertEquals("timeout", t.reason());
        rejects(HeaderType.SUBSCRIPTION_STATE, "active;expires=4294967296", "larger");
        rejects(HeaderType.SUBSCRIPTION_STATE, "terminated;retry-after=soon", "number");
        rejects(HeaderType.SUBSCRIPTION_STATE, ";expires=1", "token");
    }

    @Test
    void reason() {
        List<Reason> r = HeaderType.REASON.parse("SIP ;cause=200 ;text=\"Call completed elsewhere\", "
            + "Q.850;cause=16;text=\"Terminated\"");
        assertEquals(2, r.size());
        assertEquals("SIP", r.get(0).protocol());
        assertEquals(OptionalInt.of(200), r.get(0).cause());
        assertEquals("Call completed elsewhere", r.get(0).text());
        assertEquals("Q.850", r.get(1).protocol());
        assertEquals(OptionalInt.of(16), r.get(1).cause());
        rejects(HeaderType.REASON, "SIP;cause=abc", "number");
        rejects(HeaderType.REASON, "SIP;cause=2147483648", "larger");
        rejects(HeaderType.REASON, "SIP;cause", "needs a value");
        rejects(HeaderType.REASON, "SIP;text=\"open", "unterminated");
    }

    @Test
    void roundTrips() {
        HeaderAssertions.roundTrips(HeaderType.RETRY_AFTER, one(HeaderType.RETRY_AFTER, "120 (I'm in a (long) meeting);duration=60"));
        HeaderAssertions.roundTrips(HeaderType.RETRY_AFTER, RetryAfter.of(0));
        HeaderAssertions.roundTrips(HeaderType.WARNING, new Warning(399, "[2001:db8::1]:5060", "a \"quoted\" \\ text\u0001"));
        HeaderAssertions.roundTrips(HeaderType.DATE, new SipDate(Instant.parse("2010-11-13T23:29:00Z")));
        HeaderAssertions.roundTrips(HeaderType.DATE, one(HeaderType.DATE, "Fri, 01 Jan 2010 16:00:00 EST"));
        HeaderAssertions.roundTrips(HeaderType.EVENT, one(HeaderType.EVENT, "presence.winfo;id=1234"));
        HeaderAssertions.roundTrips(HeaderType.SUBSCRIPTION_STATE, one(HeaderType.SUBSCRIPTION_STATE, "terminated;reason=timeout"));
        HeaderAssertions.roundTrips(HeaderType.REASON, one(HeaderType.REASON, "Q.850;cause=16;text=\"Terminated \\\"x\\\"\""));
    }
}
