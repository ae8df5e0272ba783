package sip.message.internal;

import sip.message.AuthValue;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.Event;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.Reason;
import sip.message.RetryAfter;
import sip.message.SipDate;
import sip.message.SubscriptionState;
import sip.message.Via;
import sip.message.Warning;

/** The value parsers behind {@link sip.message.HeaderType}'s constants. (STUB: being written.) */
public final class HeaderParsers {
    private HeaderParsers() {}

    private static ParseFailure todo(ValueReader in) {
        return new ParseFailure("not implemented yet", in.position());
    }

    public static Via via(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static NameAddress nameAddress(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Contact contact(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static String callId(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static CSeq cseq(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Integer maxForwards(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Integer contentLength(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static ContentType mediaType(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Long deltaSeconds(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static String token(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Method method(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static AuthValue auth(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static RetryAfter retryAfter(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Warning warning(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static SipDate date(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Event event(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static SubscriptionState subscriptionState(ValueReader in, ParseContext ctx) { throw todo(in); }
    public static Reason reason(ValueReader in, ParseContext ctx) { throw todo(in); }
}
