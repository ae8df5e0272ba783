package sip.message.internal;

import java.util.Arrays;
import sip.message.Parameters;
import sip.message.Violation;

/**
 * Reads {@code *( SEMI param )} after a header value's head (RFC 3261 §25.1 generic-param and
 * the header-specific params that narrow it), checking the values of the parameters whose
 * syntax the RFCs pin down.
 */
final class ParamsReader {
    private ParamsReader() {}

    /** name-addr, media type, Event, Reason text...: generic-param only. */
    static final int GENERIC = 0;
    /** Via: received, maddr, ttl, rport (RFC 3261 §20.42, RFC 3581). */
    static final int VIA = 1;
    /** Contact: expires and q (RFC 3261 §20.10). */
    static final int CONTACT = 2;
    /** Retry-After: duration. */
    static final int RETRY_AFTER = 3;
    /** Subscription-State: expires, retry-after (RFC 6665 §8.2.3). */
    static final int SUBSCRIPTION_STATE = 4;
    /** Reason: cause (RFC 3326). */
    static final int REASON = 5;

    static final long DELTA_SECONDS_MAX = 0xFFFF_FFFFL;

    private static final Access.Api API = Access.api();

    // Names seen on nearly every message come back as these constants instead of new strings.
    private static final String[] COMMON = {
        "branch", "tag", "received", "rport", "lr", "transport", "maddr", "ttl", "expires", "q",
        "user", "method", "duration", "id", "cause", "text", "reason", "retry-after", "charset",
        "boundary", "ob", "reg-id", "+sip.instance", "alias", "keep"
    };
    private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

    static {
        for (int i = 0; i < COMMON.length; i++) {
            COMMON_BYTES[i] = COMMON[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /**
     * Reads parameters until the next non-LWS byte is not ';' and leaves the cursor before that
     * LWS. Fails on an empty name ({@code ;;}) or an empty value ({@code ;name=}).
     */
    static Parameters read(ValueReader in, ParseContext ctx, int kind) {
        String[] names = null;
        String[] values = null;
        boolean[] quoted = null;
        int n = 0;
        byte[] b = in.buffer();
        while (true) {
            int save = in.position();
            in.skipLws();
            if (in.peek() != ';') {
                in.position(save);
                break;
            }
            in.advance();
            in.skipLws();
            int ns = in.position();
            if (in.skip(Grammar.TOKEN) == 0) {
                throw new ParseFailure("empty parameter name after ';'" + in.found(), ns);
            }
            String name = name(b, ns, in.position());
            String value = null;
            boolean q = false;
            if (in.trySeparator('=')) {
                int vs = in.position();
                if (in.peek() == '"') {
                    value = in.quotedString();
                    q = true;
                } else {
                    value = unquotedValue(in, ctx, kind, name);
                }
                check(in, kind, name, value, q, vs);
            } else {
                checkFlag(kind, name, ns);
            }
            if (names == null) {
                names = new String[4];
                values = new String[4];
                quoted = new boolean[4];
            } else if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                values = Arrays.copyOf(values, n * 2);
                quoted = Arrays.copyOf(quoted, n * 2);
            }
            names[n] = name;
            values[n] = value;
            quoted[n] = q;
            n++;
        }
        if (n == 0) {
            return Parameters.EMPTY;
        }
        if (n != names.length) {
            names = Arrays.copyOf(names, n);
            values = Arrays.copyOf(values, n);
            quoted = Arrays.copyOf(quoted, n);
        }
        return API.parameters(names, values, quoted);
    }

    /** The name in {@code b[from, to)}, as a shared constant when it is a common one. */
    static String name(byte[] b, int from, int to) {
        int len = to - from;
        outer:
        for (int k = 0; k < COMMON_BYTES.length; k++) {
            byte[] c = COMMON_BYTES[k];
            if (c.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                if (c[i] != b[from + i]) {
                    continue outer;
                }
            }
            return COMMON[k];
        }
        return new String(b, from, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * gen-value = token / host: a token, or an IPv6 reference. Via received takes a bare
     * IPv6address (RFC 3261 §20.42) and, tolerated, a bracketed one (RFC 5118 §4.5), stored
     * without the brackets so it compares equal to the packet's source address.
     */
    private static String unquotedValue(ValueReader in, ParseContext ctx, int kind, String name) {
        byte[] b = in.buffer();
        int vs = in.position();
        boolean addressParam = kind == VIA && (name.equalsIgnoreCase("received") || name.equalsIgnoreCase("maddr"));
        if (in.peek() == '[') {
            int close = HostReader.ipv6Reference(in, ctx, "parameter " + name);
            if (kind == VIA && name.equalsIgnoreCase("received")) {
                ctx.tolerate(Violation.BRACKETED_IPV6_PARAM, name + "=" + in.ascii(vs, close + 1), vs);
                return in.ascii(vs + 1, close);
            }
            return in.ascii(vs, close + 1);
        }
        in.skip(Grammar.TOKEN);
        if (addressParam && in.peek() == ':') {
            while (!in.atEnd() && (Grammar.is(in.peek(), Grammar.HEX) || in.peek() == ':' || in.peek() == '.')) {
                in.advance();
            }
            HostReader.checkIpv6(b, vs, in.position(), ctx, in, "parameter " + name);
            return in.ascii(vs, in.position());
        }
        if (in.position() == vs) {
            throw new ParseFailure("empty value for parameter '" + name + "'" + in.found(), vs);
        }
        if (addressParam) {
            boolean v4 = HostReader.ipv4(b, vs, in.position());
            if (!v4 && (name.equalsIgnoreCase("received") || !HostReader.hostname(b, vs, in.position()))) {
                throw new ParseFailure("invalid " + name + " address '" + in.ascii(vs, in.position()) + "'", vs);
            }
        }
        return in.ascii(vs, in.position());
    }

    private static void check(ValueReader in, int kind, String name, String value, boolean quoted, int pos) {
        switch (kind) {
            case VIA -> {
                if (name.equalsIgnoreCase("ttl")) {
                    number(value, quoted, 255, "ttl", pos);
                } else if (name.equalsIgnoreCase("rport")) {
                    number(value, quoted, 65535, "rport", pos);
                } else if (quoted && (name.equalsIgnoreCase("received") || name.equalsIgnoreCase("branch")
                    || name.equalsIgnoreCase("maddr"))) {
                    throw new ParseFailure("the " + name + " parameter cannot be a quoted string", pos);
                }
            }
            case CONTACT -> {
                if (name.equalsIgnoreCase("expires")) {
                    number(value, quoted, DELTA_SECONDS_MAX, "Contact expires", pos);
                } else if (name.equalsIgnoreCase("q")) {
                    qvalue(value, quoted, pos);
                }
            }
            case RETRY_AFTER -> {
                if (name.equalsIgnoreCase("duration")) {
                    number(value, quoted, DELTA_SECONDS_MAX, "Retry-After duration", pos);
                }
            }
            case SUBSCRIPTION_STATE -> {
                if (name.equalsIgnoreCase("expires") || name.equalsIgnoreCase("retry-after")) {
                    number(value, quoted, DELTA_SECONDS_MAX, "Subscription-State " + name, pos);
                }
            }
            case REASON -> {
                if (name.equalsIgnoreCase("cause")) {
                    number(value, quoted, Integer.MAX_VALUE, "Reason cause", pos);
                }
            }
            default -> { }
        }
    }

    /** Parameters that must carry a value when present. */
    private static void checkFlag(int kind, String name, int pos) {
        boolean needsValue = switch (kind) {
            case VIA -> name.equalsIgnoreCase("branch") || name.equalsIgnoreCase("received")
                || name.equalsIgnoreCase("maddr") || name.equalsIgnoreCase("ttl");
            case CONTACT -> name.equalsIgnoreCase("expires") || name.equalsIgnoreCase("q");
            case REASON -> name.equalsIgnoreCase("cause");
            default -> false;
        };
        if (needsValue) {
            throw new ParseFailure("parameter '" + name + "' needs a value", pos);
        }
    }

    /** A decimal of at most {@code max}, with no overflow whatever its length. */
    static void number(String v, boolean quoted, long max, String what, int pos) {
        if (quoted || v.isEmpty()) {
            throw new ParseFailure(what + " must be a number: \"" + v + "\"", pos);
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new ParseFailure(what + " must be a number: " + v, pos);
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                throw new ParseFailure(what + " is larger than " + max + ": " + v, pos);
            }
        }
    }

    /** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ). */
    private static void qvalue(String v, boolean quoted, int pos) {
        boolean ok = !quoted && !v.isEmpty() && (v.charAt(0) == '0' || v.charAt(0) == '1')
            && (v.length() == 1 || (v.charAt(1) == '.' && v.length() <= 5));
        for (int i = 2; ok && i < v.length(); i++) {
            char c = v.charAt(i);
            ok = v.charAt(0) == '0' ? c >= '0' && c <= '9' : c == '0';
        }
        if (!ok) {
            throw new ParseFailure("q must be a qvalue between 0 and 1 with at most 3 decimals: " + v, pos);
        }
    }
}
