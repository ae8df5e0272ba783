package sip.message.internal;

import java.nio.charset.StandardCharsets;
import sip.message.AuthValue;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.Event;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.Parameters;
import sip.message.Reason;
import sip.message.RetryAfter;
import sip.message.SipDate;
import sip.message.SubscriptionState;
import sip.message.Via;
import sip.message.Warning;

/**
 * The value parsers behind {@link sip.message.HeaderType}'s constants (RFC 3261 §20 and §25.1,
 * RFC 3326, RFC 3581, RFC 6665, RFC 7616). Each parses one value from the cursor and stops before
 * a top-level ',' or at the end; list splitting and trailing junk are {@link TypedHeader}'s.
 */
public final class HeaderParsers {
    private HeaderParsers() {}

    private static final String SIP_2_0 = "SIP/2.0";
    // Transports as they nearly always appear, returned without allocating.
    private static final String[] TRANSPORTS = {"UDP", "TCP", "TLS", "SCTP", "WS", "WSS", "TLS-SCTP"};
    private static final byte[][] TRANSPORT_BYTES = bytes(TRANSPORTS);
    private static final Method[] METHODS = {
        Method.INVITE, Method.ACK, Method.BYE, Method.CANCEL, Method.OPTIONS, Method.REGISTER,
        Method.PRACK, Method.SUBSCRIBE, Method.NOTIFY, Method.PUBLISH, Method.INFO, Method.REFER,
        Method.MESSAGE, Method.UPDATE
    };
    private static final byte[][] METHOD_BYTES;

    static {
        String[] names = new String[METHODS.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = METHODS[i].name();
        }
        METHOD_BYTES = bytes(names);
    }

    private static byte[][] bytes(String[] s) {
        byte[][] r = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[i].getBytes(StandardCharsets.US_ASCII);
        }
        return r;
    }

    /** The index of {@code b[from, to)} in {@code table} (case-sensitive), or -1. */
    private static int lookup(byte[][] table, byte[] b, int from, int to) {
        int len = to - from;
        outer:
        for (int k = 0; k < table.length; k++) {
            byte[] c = table[k];
            if (c.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                if (c[i] != b[from + i]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }

    /**
     * via-parm = sent-protocol LWS sent-by *( SEMI via-params ), with SLASH, COLON and SEMI
     * allowing LWS on both sides (RFC 4475 wsinv).
     */
    public static Via via(ValueReader in, ParseContext ctx) {
        byte[] b = in.buffer();
        int ns = in.position();
        if (in.skip(Grammar.TOKEN) == 0) {
            throw new ParseFailure("expected the protocol name (SIP)" + in.found(), ns);
        }
        int ne = in.position();
        in.separator('/');
        int vs = in.position();
        int ve = in.tokenEnd();
        in.separator('/');
        int ts = in.position();
        int te = in.tokenEnd();
        if (!in.skipLws()) {
            throw new ParseFailure("expected whitespace before the Via sent-by" + in.found(), in.position());
        }
        String protocol = ne - ns == 3 && b[ns] == 'S' && b[ns + 1] == 'I' && b[ns + 2] == 'P'
            && ve - vs == 3 && b[vs] == '2' && b[vs + 1] == '.' && b[vs + 2] == '0'
            ? SIP_2_0 : in.ascii(ns, ne) + "/" + in.ascii(vs, ve);
        int t = lookup(TRANSPORT_BYTES, b, ts, te);
        String transport = t >= 0 ? TRANSPORTS[t] : in.ascii(ts, te);
        String host = HostReader.host(in, ctx);
        int port = -1;
        if (in.trySeparator(':')) {
            port = (int) in.number(65535, "Via port");
        }
        Parameters params = ParamsReader.read(in, ctx, ParamsReader.VIA);
        return new Via(protocol, transport, host, port, params);
    }

    public static NameAddress nameAddress(ValueReader in, ParseContext ctx) {
        return NameAddressParser.parse(in, ctx, ParamsReader.GENERIC);
    }

    /** {@code "*"} or a name-addr / addr-spec whose expires and q are checked. */
    public static Contact contact(ValueReader in, ParseContext ctx) {
        if (in.peek() == '*') {
            int next = in.peek(1);
            if (next < 0 || next == ',' || next == ' ' || next == '\t' || next == '\r' || next == '\n') {
                in.advance();
                return Contact.WILDCARD;
            }
        }
        return new Contact(NameAddressParser.parse(in, ctx, ParamsReader.CONTACT));
    }

    /** callid = word [ "@" word ], kept byte for byte. */
    public static String callId(ValueReader in, ParseContext ctx) {
        int s = in.position();
        if (in.skip(Grammar.WORD) == 0) {
            throw new ParseFailure("expected a Call-ID word" + in.found(), s);
        }
        if (in.tryConsume('@') && in.skip(Grammar.WORD) == 0) {
            throw new ParseFailure("expected a word after '@' in the Call-ID" + in.found(), in.position());
        }
        return in.ascii(s, in.position());
    }

    /** CSeq = 1*DIGIT LWS Method, the number at most 2^31-1 (RFC 3261 §8.1.1.5). */
    public static CSeq cseq(ValueReader in, ParseContext ctx) {
        long n = in.number(CSeq.MAX, "CSeq number");
        if (!in.skipLws()) {
            throw new ParseFailure("expected whitespace between the CSeq number and method" + in.found(), in.position());
        }
        return new CSeq(n, readMethod(in));
    }

    public static Integer maxForwards(ValueReader in, ParseContext ctx) {
        return (int) in.number(255, "Max-Forwards");
    }

    public static Integer contentLength(ValueReader in, ParseContext ctx) {
        return (int) in.number(Integer.MAX_VALUE, "Content-Length");
    }

    /** delta-seconds of Expires and Min-Expires: 0 to 2^32-1. */
    public static Long deltaSeconds(ValueReader in, ParseContext ctx) {
        return in.number(ParamsReader.DELTA_SECONDS_MAX, "delta-seconds");
    }

    /** media-type = m-type SLASH m-subtype *( SEMI m-parameter ); Accept allows "*". */
    public static ContentType mediaType(ValueReader in, ParseContext ctx) {
        String type = in.token();
        in.separator('/');
        String subtype = in.token();
        return new ContentType(type, subtype, ParamsReader.read(in, ctx, ParamsReader.GENERIC));
    }

    /** An option tag. */
    public static String token(ValueReader in, ParseContext ctx) {
        return in.token();
    }

    public static Method method(ValueReader in, ParseContext ctx) {
        return readMethod(in);
    }

    private static Method readMethod(ValueReader in) {
        int s = in.position();
        int e = in.tokenEnd();
        int k = lookup(METHOD_BYTES, in.buffer(), s, e);
        return k >= 0 ? METHODS[k] : Method.of(in.ascii(s, e));
    }

    /**
     * auth-scheme [ LWS auth-param *( COMMA auth-param ) ]. The header is not a list header, so
     * this consumes the commas between parameters and the whole value.
     */
    public static AuthValue auth(ValueReader in, ParseContext ctx) {
        String scheme = in.token();
        String[] names = new String[8];
        String[] values = new String[8];
        boolean[] quoted = new boolean[8];
        int n = 0;
        boolean lws = in.skipLws();
        if (!in.atEnd()) {
            if (!lws) {
                throw new ParseFailure("expected whitespace after the auth scheme" + in.found(), in.position());
            }
            while (true) {
                int ns = in.position();
                if (in.skip(Grammar.TOKEN) == 0) {
                    throw new ParseFailure("expected an auth parameter name" + in.found(), ns);
                }
                String name = ParamsReader.name(in.buffer(), ns, in.position());
                in.separator('=');
                int vs = in.position();
                String value;
                boolean q = in.peek() == '"';
                if (q) {
                    value = in.quotedString();
                } else {
                    if (in.skip(Grammar.TOKEN) == 0) {
                        throw new ParseFailure("empty value for auth parameter '" + name + "'" + in.found(), vs);
                    }
                    value = in.ascii(vs, in.position());
                }
                if (n == names.length) {
                    names = java.util.Arrays.copyOf(names, n * 2);
                    values = java.util.Arrays.copyOf(values, n * 2);
                    quoted = java.util.Arrays.copyOf(quoted, n * 2);
                }
                names[n] = name;
                values[n] = value;
                quoted[n] = q;
                n++;
                in.skipLws();
                if (in.atEnd()) {
                    break;
                }
                in.expect(',');
                in.skipLws();
            }
        }
        Parameters params = n == 0 ? Parameters.EMPTY : Access.api().parameters(
            java.util.Arrays.copyOf(names, n), java.util.Arrays.copyOf(values, n),
            java.util.Arrays.copyOf(quoted, n));
        return new AuthValue(scheme, params);
    }

    /** Retry-After = delta-seconds [ comment ] *( SEMI retry-param ). */
    public static RetryAfter retryAfter(ValueReader in, ParseContext ctx) {
        long seconds = in.number(ParamsReader.DELTA_SECONDS_MAX, "Retry-After delta-seconds");
        String comment = null;
        int save = in.position();
        in.skipLws();
        if (in.peek() == '(') {
            int open = in.position();
            in.comment();
            comment = commentText(in, open + 1, in.position() - 1);
        } else {
            in.position(save);
        }
        return new RetryAfter(seconds, comment, ParamsReader.read(in, ctx, ParamsReader.RETRY_AFTER));
    }

    /** The comment's content as written (quoted-pairs kept), folds as single spaces. */
    private static String commentText(ValueReader in, int from, int to) {
        byte[] b = in.buffer();
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                throw new ParseFailure("NUL in a comment", i);
            }
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
                if (i > from && b[i - 1] == '\\') {
                    continue; // a quoted-pair may carry a control character (RFC 3261 §25.1)
                }
                throw new ParseFailure(String.format("control character 0x%02X in a comment", c), i);
            }
        }
        return Folding.unfold(b, from, to);
    }

    /** warning-value = warn-code SP warn-agent SP warn-text (RFC 3261 §20.43). */
    public static Warning warning(ValueReader in, ParseContext ctx) {
        int s = in.position();
        int code = (int) in.number(999, "warn-code");
        if (in.position() - s != 3 || code < 100) {
            throw new ParseFailure("warn-code must be three digits, 100 to 999", s);
        }
        if (!in.skipLws()) {
            throw new ParseFailure("expected SP after the warn-code" + in.found(), in.position());
        }
        int as = in.position();
        if (in.peek() == '[') {
            HostReader.ipv6Reference(in, ctx, "warn-agent");
        } else if (in.skip(Grammar.TOKEN) == 0) {
            throw new ParseFailure("expected the warn-agent" + in.found(), as);
        }
        if (in.tryConsume(':')) {
            in.number(65535, "warn-agent port");
        }
        String agent = in.ascii(as, in.position());
        if (!in.skipLws()) {
            throw new ParseFailure("expected SP after the warn-agent" + in.found(), in.position());
        }
        if (in.peek() != '"') {
            throw new ParseFailure("expected the quoted warn-text" + in.found(), in.position());
        }
        int ts = in.position();
        String text = in.quotedString();
        if (text.indexOf('\0') >= 0) {
            throw new ParseFailure("NUL in the warn-text", ts);
        }
        return new Warning(code, agent, text);
    }

    public static SipDate date(ValueReader in, ParseContext ctx) {
        return SipDateParser.parse(in, ctx);
    }

    /** event-type = event-package *( "." event-template ), then params (RFC 6665 §8.4). */
    public static Event event(ValueReader in, ParseContext ctx) {
        byte[] b = in.buffer();
        int s = in.position();
        int e = in.tokenEnd();
        for (int i = s; i < e; i++) {
            if (b[i] == '.' && (i == s || i == e - 1 || b[i + 1] == '.')) {
                throw new ParseFailure("empty event package or template in '" + in.ascii(s, e) + "'", i);
            }
        }
        return new Event(in.ascii(s, e), ParamsReader.read(in, ctx, ParamsReader.GENERIC));
    }

    public static SubscriptionState subscriptionState(ValueReader in, ParseContext ctx) {
        String state = in.token();
        return new SubscriptionState(state, ParamsReader.read(in, ctx, ParamsReader.SUBSCRIPTION_STATE));
    }

    /** reason-value = protocol *( SEMI reason-params ) (RFC 3326 §2). */
    public static Reason reason(ValueReader in, ParseContext ctx) {
        String protocol = in.token();
        return new Reason(protocol, ParamsReader.read(in, ctx, ParamsReader.REASON));
    }
}
