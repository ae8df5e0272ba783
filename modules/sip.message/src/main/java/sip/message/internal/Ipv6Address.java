package sip.message.internal;

/**
 * IPv6 address text (RFC 4291 §2.2, as RFC 3261's IPv6address and RFC 5118 use it), read from a
 * {@link CharSequence} so that the parser, the {@code SipUri} constructor and URI comparison
 * share one implementation without copying.
 */
public final class Ipv6Address {
    private Ipv6Address() {}

    /** {@link #scan} result: well-formed. */
    public static final int VALID = -1;
    /** {@link #scan} result: not an IPv6 address. */
    public static final int INVALID = -2;

    /**
     * Checks {@code s[from, to)} (no brackets) and, when {@code out} is not null, writes the 16
     * address bytes into it.
     *
     * @return {@link #VALID}, {@link #INVALID}, or the index of the superfluous third colon of a
     *     {@code ":::"} directly before an embedded IPv4 address: RFC 3261's ABNF admits that form
     *     (hexpart ending in "::" followed by ":" IPv4address) although RFC 4291 does not, so the
     *     caller decides whether to tolerate it (RFC 5118 §4.10); the address is what remains
     *     once that colon is dropped
     */
    public static int scan(CharSequence s, int from, int to, byte[] out) {
        int groups = 0;
        int compressedAt = -1;
        int extraColon = -1;
        int ipv4At = -1;
        int i = from;
        if (i < to && s.charAt(i) == ':') {
            if (i + 1 >= to || s.charAt(i + 1) != ':') {
                return INVALID;
            }
            compressedAt = 0;
            i += 2;
            if (i < to && s.charAt(i) == ':') {
                extraColon = i++;
            }
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int h = Grammar.hexValue(s.charAt(i));
                if (h < 0) {
                    break;
                }
                value = value << 4 | h;
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // An embedded IPv4 address ends the text and fills the last two groups.
                if (groups > 6 || ipv4(s, start, to, out, groups * 2) < 0) {
                    return INVALID;
                }
                ipv4At = start;
                groups += 2;
                i = to;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || groups >= 8) {
                return INVALID;
            }
            if (out != null) {
                out[groups * 2] = (byte) (value >>> 8);
                out[groups * 2 + 1] = (byte) value;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || ++i == to) {
                return INVALID;
            }
            if (s.charAt(i) == ':') {
                if (compressedAt >= 0) {
                    return INVALID;
                }
                compressedAt = groups;
                i++;
                if (i < to && s.charAt(i) == ':') {
                    extraColon = i++;
                }
            }
        }
        if (compressedAt < 0 ? groups != 8 : groups > 7) {
            return INVALID;
        }
        if (extraColon >= 0 && ipv4At != extraColon + 1) {
            return INVALID;
        }
        if (out != null && compressedAt >= 0) {
            int tail = (groups - compressedAt) * 2;
            System.arraycopy(out, compressedAt * 2, out, 16 - tail, tail);
            java.util.Arrays.fill(out, compressedAt * 2, 16 - tail, (byte) 0);
        }
        return extraColon >= 0 ? extraColon : VALID;
    }

    /**
     * Reads a dotted-quad IPv4 address filling all of {@code s[from, to)} into {@code out[at..at+3]}
     * (when not null); returns the index after it, or -1.
     */
    public static int ipv4(CharSequence s, int from, int to, byte[] out, int at) {
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || value > 255) {
                return -1;
            }
            if (out != null) {
                out[at + part] = (byte) value;
            }
        }
        return i == to ? i : -1;
    }

    /** The 16 bytes of a bracketed reference {@code "[...]"} in strict form, or null. */
    public static byte[] bytesOfReference(String host) {
        int n = host.length();
        if (n < 4 || host.charAt(0) != '[' || host.charAt(n - 1) != ']') {
            return null;
        }
        byte[] out = new byte[16];
        return scan(host, 1, n - 1, out) == VALID ? out : null;
    }
}
