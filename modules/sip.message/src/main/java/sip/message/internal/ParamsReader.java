package sip.message.internal;

import java.nio.charset.StandardCharsets;
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

    /** name-addr, media type, Event...: generic-param only. */
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

    // Names seen on nearly every message: identified once, by bytes and ignoring case, so the
    // checks below switch on an int, and returned as these constants when written in this case.
    private static final String[] KNOWN = {
        "branch", "tag", "received", "rport", "lr", "transport", "maddr", "ttl", "expires", "q",
        "duration", "cause", "retry-after", "user", "method", "id", "text", "reason", "charset",
        "boundary", "ob", "reg-id", "+sip.instance", "alias", "keep"
    };
    private static final int BRANCH = 0;
    private static final int RECEIVED = 2;
    private static final int RPORT = 3;
    private static final int MADDR = 6;
    private static final int TTL = 7;
    private static final int EXPIRES = 8;
    private static final int Q = 9;
    private static final int DURATION = 10;
    private static final int CAUSE = 11;
    private static final int RETRY_AFTER_PARAM = 12;
    private static final byte[][] KNOWN_BYTES = new byte[KNOWN.length][];

    static {
        for (int i = 0; i < KNOWN.length; i++) {
            KNOWN_BYTES[i] = KNOWN[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * Reads parameters until the next non-LWS byte is not ';' and leaves the cursor before that
     * LWS. Fails on an empty name ({@code ;;}) or an empty value ({@code ;name=}).
     */
    static Parameters read(ValueReader in, ParseContext ctx, int kind) {
        byte[] b = in.buffer();
        int cap = semicolons(b, in.position(), in.end());
        if (cap == 0) {
            return Parameters.EMPTY;
        }
        // Sized by the pre-count so the usual value allocates its three arrays exactly once.
        String[] names = new String[cap];
        String[] values = new String[cap];
        boolean[] quoted = new boolean[cap];
        int n = 0;
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
            int ne = in.position();
            int id = known(b, ns, ne);
            String name = id >= 0 && exact(KNOWN_BYTES[id], b, ns) ? KNOWN[id] : in.ascii(ns, ne);
            String value = null;
            boolean q = false;
            if (in.trySeparator('=')) {
                int vs = in.position();
                if (in.peek() == '"') {
                    value = in.quotedString();
                    q = true;
                } else {
                    value = unquotedValue(in, ctx, kind, id, name);
                }
                check(kind, id, name, value, q, vs);
            } else {
                checkFlag(kind, id, name, ns);
            }
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                values = Arrays.copyOf(values, n * 2);
                quoted = Arrays.copyOf(quoted, n * 2);
            }
            names[n] = name;
            values[n] = value;
            quoted[n] = q;
            n++;
        }
        if (n != names.length) {
            names = Arrays.copyOf(names, n);
            values = Arrays.copyOf(values, n);
            quoted = Arrays.copyOf(quoted, n);
        }
        return API.parameters(names, values, quoted);
    }

    /**
     * An upper bound of the parameters left in this value: the ';' before the next top-level ','
     * (quoted strings skipped). Zero means the next non-LWS byte is not ';'. Junk after the
     * parameters may make it too high; it is never too low, but the reader grows anyway.
     */
    private static int semicolons(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == ';') {
                n++;
            } else if (c == ',') {
                break;
            } else if (c == '"') {
                for (i++; i < to && b[i] != '"'; i++) {
                    if (b[i] == '\\') {
                        i++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * The index in {@link #KNOWN} of the token {@code b[from, to)} ignoring case, or -1. OR-ing
     * 0x20 folds only letters here: every other byte of the known names already has that bit,
     * and the bytes that would fold onto them (CR, VT, SO) are no token characters.
     */
    private static int known(byte[] b, int from, int to) {
        int len = to - from;
        outer:
        for (int k = 0; k < KNOWN_BYTES.length; k++) {
            byte[] c = KNOWN_BYTES[k];
            if (c.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                if ((b[from + i] | 0x20) != c[i]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }

    private static boolean exact(byte[] c, byte[] b, int from) {
        for (int i = 0; i < c.length; i++) {
            if (c[i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** The name in {@code b[from, to)}, as a shared constant when it is a common one. */
    static String name(byte[] b, int from, int to) {
        int id = known(b, from, to);
        return id >= 0 && exact(KNOWN_BYTES[id], b, from) ? KNOWN[id]
            : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /**
     * gen-value = token / host: a token, or an IPv6 reference. Via received takes a bare
     * IPv6address (RFC 3261 §20.42) and, tolerated, a bracketed one (RFC 5118 §4.5), stored
     * without the brackets so it compares equal to the packet's source address.
     */
    private static String unquotedValue(ValueReader in, ParseContext ctx, int kind, int id, String name) {
        byte[] b = in.buffer();
        int vs = in.position();
        boolean addressParam = kind == VIA && (id == RECEIVED || id == MADDR);
        if (in.peek() == '[') {
            int close = HostReader.ipv6Reference(in, ctx, "parameter " + name);
            if (kind == VIA && id == RECEIVED) {
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
        int ve = in.position();
        if (ve == vs) {
            throw new ParseFailure("empty value for parameter '" + name + "'" + in.found(), vs);
        }
        if (addressParam && !HostReader.ipv4(b, vs, ve)
            && (id == RECEIVED || !HostReader.hostname(b, vs, ve))) {
            throw new ParseFailure("invalid " + name + " address '" + in.ascii(vs, ve) + "'", vs);
        }
        return in.ascii(vs, ve);
    }

    private static void check(int kind, int id, String name, String value, boolean quoted, int pos) {
        if (id < 0) {
            return;
        }
        switch (kind) {
            case VIA -> {
                if (id == TTL) {
                    number(value, quoted, 255, "ttl", pos);
                } else if (id == RPORT) {
                    number(value, quoted, 65535, "rport", pos);
                } else if (quoted && (id == RECEIVED || id == BRANCH || id == MADDR)) {
                    throw new ParseFailure("the " + name + " parameter cannot be a quoted string", pos);
                }
            }
            case CONTACT -> {
                if (id == EXPIRES) {
                    number(value, quoted, DELTA_SECONDS_MAX, "Contact expires", pos);
                } else if (id == Q) {
                    qvalue(value, quoted, pos);
                }
            }
            case RETRY_AFTER -> {
                if (id == DURATION) {
                    number(value, quoted, DELTA_SECONDS_MAX, "Retry-After duration", pos);
                }
            }
            case SUBSCRIPTION_STATE -> {
                if (id == EXPIRES || id == RETRY_AFTER_PARAM) {
                    number(value, quoted, DELTA_SECONDS_MAX, "Subscription-State " + name, pos);
                }
            }
            case REASON -> {
                if (id == CAUSE) {
                    number(value, quoted, Integer.MAX_VALUE, "Reason cause", pos);
                }
            }
            default -> { }
        }
    }

    /** Parameters that must carry a value when present. */
    private static void checkFlag(int kind, int id, String name, int pos) {
        boolean needsValue = switch (kind) {
            case VIA -> id == BRANCH || id == RECEIVED || id == MADDR || id == TTL;
            case CONTACT -> id == EXPIRES || id == Q;
            case REASON -> id == CAUSE;
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
