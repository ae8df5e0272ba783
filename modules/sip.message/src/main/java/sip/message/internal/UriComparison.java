package sip.message.internal;

import java.util.Arrays;
import java.util.Objects;
import sip.message.Parameters;
import sip.message.SipUri;
import sip.message.TelUri;

/** RFC 3261 §19.1.4 and RFC 3966 §4 URI equivalence. */
public final class UriComparison {
    private UriComparison() {}

    /**
     * Parameters that take part in the comparison even when only one URI has them: a default
     * value is not the same as no value, since the absent one may be resolved differently
     * (RFC 3261 §19.1.4, including its transport=udp example).
     */
    private static final String[] ALWAYS_COMPARED = {"user", "ttl", "method", "maddr", "transport"};

    public static boolean equivalent(SipUri a, SipUri b) {
        if (a == b) {
            return true;
        }
        return a.secure() == b.secure()
            && a.port() == b.port()
            && Objects.equals(a.user(), b.user())
            && Objects.equals(a.password(), b.password())
            && sameHost(a.host(), b.host())
            && sameParameters(a.parameters(), b.parameters())
            && sameHeaders(a.headers(), b.headers())
            && sameHeaders(b.headers(), a.headers());
    }

    private static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        // Different spellings of one IPv6 address ("::1" and "0:0::1", hex case aside) are one host.
        if (a.startsWith("[") && b.startsWith("[")) {
            byte[] x = Ipv6Address.bytesOfReference(a);
            return x != null && Arrays.equals(x, Ipv6Address.bytesOfReference(b));
        }
        return false;
    }

    private static boolean sameParameters(Parameters a, Parameters b) {
        for (String name : ALWAYS_COMPARED) {
            if (a.has(name) != b.has(name)) {
                return false;
            }
        }
        for (int i = 0; i < a.size(); i++) {
            String name = a.name(i);
            if (b.has(name) && !sameValue(a.value(name), b.value(name))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(String x, String y) {
        // A flag and an empty value are written identically, so they cannot differ.
        if (x == null || x.isEmpty()) {
            return y == null || y.isEmpty();
        }
        return x.equalsIgnoreCase(y);
    }

    /** Every header of {@code a} is in {@code b} with the same (unescaped) value. */
    private static boolean sameHeaders(Parameters a, Parameters b) {
        outer:
        for (int i = 0; i < a.size(); i++) {
            String v = a.valueAt(i) == null ? "" : a.valueAt(i);
            for (int j = 0; j < b.size(); j++) {
                String w = b.valueAt(j) == null ? "" : b.valueAt(j);
                if (a.name(i).equalsIgnoreCase(b.name(j)) && v.equals(w)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    /** Hashes what {@link #equivalent} always compares: scheme, user, password, host, port. */
    public static int hash(SipUri u) {
        int h = u.secure() ? 1 : 0;
        h = 31 * h + Objects.hashCode(u.user());
        h = 31 * h + Objects.hashCode(u.password());
        h = 31 * h + hostHash(u.host());
        return 31 * h + u.port();
    }

    private static int hostHash(String host) {
        if (host.startsWith("[")) {
            byte[] x = Ipv6Address.bytesOfReference(host);
            if (x != null) {
                return Arrays.hashCode(x);
            }
        }
        int h = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return h;
    }

    /**
     * RFC 3966 §4: same kind of number (global or local) and same digits without visual
     * separators; the same parameter names in any order, values case-insensitive, with
     * separators ignored where the value is a number (phone-context, ext).
     */
    public static boolean equivalent(TelUri a, TelUri b) {
        if (a == b) {
            return true;
        }
        if (!a.digits().equalsIgnoreCase(b.digits())) {
            return false;
        }
        Parameters p = a.parameters();
        Parameters q = b.parameters();
        for (int i = 0; i < p.size(); i++) {
            if (!q.has(p.name(i))) {
                return false;
            }
        }
        for (int i = 0; i < q.size(); i++) {
            String name = q.name(i);
            if (!p.has(name)) {
                return false;
            }
            String x = p.value(name);
            String y = q.value(name);
            if (name.equalsIgnoreCase("ext") || name.equalsIgnoreCase("phone-context")) {
                x = withoutSeparators(x);
                y = withoutSeparators(y);
            }
            if (!sameValue(x, y)) {
                return false;
            }
        }
        return true;
    }

    /** A number without its visual separators; a domain-name phone-context keeps its dots. */
    private static String withoutSeparators(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' && c != '(' && c != ')') {
                return s;
            }
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
