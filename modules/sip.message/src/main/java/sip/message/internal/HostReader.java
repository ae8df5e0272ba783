package sip.message.internal;

import sip.message.Violation;

/**
 * Host syntax for header values (Via sent-by, received/maddr, warn-agent): RFC 3261 §25.1
 * hostname, IPv4address and IPv6reference. URIs have their own parser; this one only serves
 * the places where a host appears outside a URI.
 */
final class HostReader {
    private HostReader() {}

    /** {@link #ipv6} result: not an IPv6 address. */
    static final int NOT_IPV6 = 0;
    /** {@link #ipv6} result: a valid RFC 4291 address. */
    static final int IPV6 = 1;
    /** {@link #ipv6} result: valid only by RFC 3261's looser ABNF ("::" then ":" IPv4). */
    static final int IPV6_EXTRA_COLON = 2;

    /**
     * Reads a host at the cursor: hostname, IPv4 address, or IPv6 reference (kept with its
     * brackets). Stops at the first byte that cannot belong to a host.
     */
    static String host(ValueReader in, ParseContext ctx) {
        byte[] b = in.buffer();
        int s = in.position();
        if (in.peek() == '[') {
            int close = ipv6Reference(in, ctx, "host");
            return in.ascii(s, close + 1);
        }
        int e = s + in.skip(Grammar.HOST);
        if (e == s) {
            throw new ParseFailure("expected a host" + in.found(), s);
        }
        if (!ipv4(b, s, e) && !hostname(b, s, e)) {
            throw new ParseFailure("invalid host '" + in.ascii(s, e) + "'", s);
        }
        return in.ascii(s, e);
    }

    /**
     * Consumes {@code [IPv6address]} at the cursor and returns the position of the ']'. An
     * address with the ":::" that only RFC 3261's ABNF allows needs {@link Violation#IPV6_EXTRA_COLON}.
     */
    static int ipv6Reference(ValueReader in, ParseContext ctx, String what) {
        byte[] b = in.buffer();
        int open = in.position();
        in.expect('[');
        int s = in.position();
        while (!in.atEnd() && in.peek() != ']') {
            in.advance();
        }
        if (in.atEnd()) {
            throw new ParseFailure("unterminated IPv6 reference in " + what + ": missing ']'", open);
        }
        int close = in.position();
        checkIpv6(b, s, close, ctx, in, what);
        in.advance();
        return close;
    }

    /** Fails unless {@code b[from, to)} is an IPv6 address; tolerates the extra colon if allowed. */
    static void checkIpv6(byte[] b, int from, int to, ParseContext ctx, ValueReader in, String what) {
        int r = ipv6(b, from, to);
        if (r == NOT_IPV6) {
            throw new ParseFailure("invalid IPv6 address in " + what + ": '" + in.ascii(from, to) + "'", from);
        }
        if (r == IPV6_EXTRA_COLON) {
            ctx.tolerate(Violation.IPV6_EXTRA_COLON, in.ascii(from, to), from);
        }
    }

    /** RFC 3261 IPv4address, each part limited to 0..255. */
    static boolean ipv4(byte[] b, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int s = i;
            int v = 0;
            while (i < to && i - s < 3 && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i] - '0');
                i++;
            }
            if (i == s || v > 255) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (b[i] != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /**
     * RFC 3261 hostname: dot-separated labels of alphanumerics and inner hyphens, an optional
     * trailing dot, the last label starting with a letter (so "1.2.3.999" is no hostname).
     */
    static boolean hostname(byte[] b, int from, int to) {
        if (to > from && b[to - 1] == '.') {
            to--;
        }
        if (to <= from) {
            return false;
        }
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == '.') {
                if (i == labelStart || b[labelStart] == '-' || b[i - 1] == '-') {
                    return false;
                }
                if (i == to && !Grammar.is(b[labelStart], Grammar.ALPHA)) {
                    return false;
                }
                labelStart = i + 1;
            } else if (!Grammar.is(b[i], Grammar.ALPHA | Grammar.DIGIT) && b[i] != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * Classifies {@code b[from, to)}: {@link #IPV6}, {@link #IPV6_EXTRA_COLON} or
     * {@link #NOT_IPV6}. Groups are counted as RFC 4291 does (8, or fewer with one "::").
     */
    static int ipv6(byte[] b, int from, int to) {
        int i = from;
        int groups = 0;
        boolean compressed = false;
        boolean extraColon = false;
        if (to - from < 2) {
            return NOT_IPV6;
        }
        if (b[i] == ':') {
            if (b[i + 1] != ':') {
                return NOT_IPV6;
            }
            compressed = true;
            i += 2;
            if (i < to && b[i] == ':') {
                extraColon = true;
                i++;
            }
            if (i == to) {
                return extraColon ? NOT_IPV6 : IPV6;
            }
        }
        while (true) {
            int s = i;
            while (i < to && Grammar.is(b[i], Grammar.HEX)) {
                i++;
            }
            if (i < to && b[i] == '.') {
                // The embedded IPv4 address ends the address and stands for two groups.
                if (!ipv4(b, s, to)) {
                    return NOT_IPV6;
                }
                groups += 2;
                break;
            }
            if (extraColon) {
                return NOT_IPV6; // ":::" is only the RFC 3261 ABNF's "::" + ":" IPv4address
            }
            if (i == s || i - s > 4) {
                return NOT_IPV6;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return NOT_IPV6;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (compressed) {
                    return NOT_IPV6;
                }
                compressed = true;
                i++;
                if (i < to && b[i] == ':') {
                    extraColon = true;
                    i++;
                }
                if (i == to) {
                    if (extraColon) {
                        return NOT_IPV6;
                    }
                    break;
                }
            } else if (i == to) {
                return NOT_IPV6;
            }
        }
        if (compressed ? groups > 7 : groups != 8) {
            return NOT_IPV6;
        }
        return extraColon ? IPV6_EXTRA_COLON : IPV6;
    }
}
