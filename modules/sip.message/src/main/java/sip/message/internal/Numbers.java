package sip.message.internal;

/**
 * Reading the small decimal numbers that parameters carry (expires, ttl, rport, cause) from
 * values a user may have set to anything: an unreadable value is "absent", never an exception.
 */
public final class Numbers {
    private Numbers() {}

    /** The value of {@code v} as 1*DIGIT up to {@code max}, or -1 when it is not one. */
    public static long parse(String v, long max) {
        if (v == null || v.isEmpty() || v.length() > 19) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                return -1;
            }
        }
        return n;
    }

    /** A q-value (0 to 1, at most three decimals, RFC 3261 §25.1), or -1 when it is not one. */
    public static double qvalue(String v) {
        if (v == null || v.isEmpty() || v.length() > 5 || (v.charAt(0) != '0' && v.charAt(0) != '1')) {
            return -1;
        }
        if (v.length() > 1) {
            if (v.charAt(1) != '.') {
                return -1;
            }
            for (int i = 2; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9' || (v.charAt(0) == '1' && c != '0')) {
                    return -1;
                }
            }
        }
        return Double.parseDouble(v.endsWith(".") ? v + "0" : v);
    }
}
