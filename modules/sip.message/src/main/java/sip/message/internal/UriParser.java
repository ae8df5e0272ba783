package sip.message.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import sip.message.AbsoluteUri;
import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.Parameters;
import sip.message.SipParseException;
import sip.message.SipUri;
import sip.message.TelUri;
import sip.message.Uri;
import sip.message.Violation;

/**
 * Parses sip:, sips: (RFC 3261 §25.1), tel: (RFC 3966) and other absolute URIs straight from the
 * message bytes: one pass of table lookups per component, strings made only for what is kept.
 */
public final class UriParser {
    private UriParser() {}

    /** user = 1*( unreserved / escaped / user-unreserved ). */
    static final int USER = Grammar.UNRESERVED | Grammar.USER_UNRESERVED;
    /** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ). */
    static final int PASSWORD = Grammar.PASSWORD;
    /** paramchar = param-unreserved / unreserved / escaped. */
    static final int PARAM = Grammar.UNRESERVED | Grammar.PARAM_UNRESERVED;
    /** hname / hvalue characters = hnv-unreserved / unreserved / escaped. */
    static final int HEADER = Grammar.UNRESERVED | Grammar.HNV_UNRESERVED;
    /** Everything that may occur before the "@" of a userinfo (user, ":", password). */
    private static final int USERINFO = USER | PASSWORD;

    /** API entry: parses all of {@code text}. */
    public static Uri parse(String text, Compliance compliance) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            return parse(b, 0, b.length, new ParseContext(compliance, ComplianceListener.NONE));
        } catch (ParseFailure f) {
            throw new SipParseException(f.toError(0, Math.max(0, f.position())));
        }
    }

    /** Parses exactly {@code b[from, to)} as one URI; throws {@link ParseFailure} if it is not one. */
    public static Uri parse(byte[] b, int from, int to, ParseContext ctx) {
        int i = from;
        if (i >= to || !Grammar.is(b[i], Grammar.ALPHA)) {
            throw new ParseFailure("expected a URI scheme" + found(b, i, to), i);
        }
        while (i < to && Grammar.is(b[i], Grammar.SCHEME)) {
            i++;
        }
        if (i >= to || b[i] != ':') {
            throw new ParseFailure("expected ':' after the URI scheme" + found(b, i, to), i);
        }
        int n = i - from;
        int c0 = b[from] | 0x20;
        if (n == 3 && c0 == 's' && (b[from + 1] | 0x20) == 'i' && (b[from + 2] | 0x20) == 'p') {
            return sip(b, i + 1, to, false, ctx);
        }
        if (n == 4 && c0 == 's' && (b[from + 1] | 0x20) == 'i' && (b[from + 2] | 0x20) == 'p'
            && (b[from + 3] | 0x20) == 's') {
            return sip(b, i + 1, to, true, ctx);
        }
        if (n == 3 && c0 == 't' && (b[from + 1] | 0x20) == 'e' && (b[from + 2] | 0x20) == 'l') {
            return tel(b, i + 1, to);
        }
        return absolute(b, from, i, to);
    }

    private static SipUri sip(byte[] b, int p, int to, boolean secure, ParseContext ctx) {
        // The user part may hold ";" and "?" but never "@", so the first "@" reachable through
        // userinfo characters ends the userinfo (RFC 4475 §3.1.1.9 semiuri, §3.1.1.2 intmeth).
        int at = -1;
        for (int k = p; k < to; k++) {
            byte c = b[k];
            if (c == '@') {
                at = k;
                break;
            }
            if (c != ':' && c != '%' && !Grammar.is(c, USERINFO)) {
                break;
            }
        }
        String user = null;
        String password = null;
        if (at >= 0) {
            int userEnd = scan(b, p, at, USER);
            if (userEnd == p) {
                throw new ParseFailure("empty user part before '@'", p);
            }
            user = decode(b, p, userEnd);
            if (userEnd < at) {
                if (b[userEnd] != ':') {
                    throw new ParseFailure("character not allowed in the user part" + found(b, userEnd, to), userEnd);
                }
                int pwEnd = scan(b, userEnd + 1, at, PASSWORD);
                if (pwEnd < at) {
                    throw new ParseFailure("character not allowed in the password" + found(b, pwEnd, to), pwEnd);
                }
                password = decode(b, userEnd + 1, at);
            }
            p = at + 1;
        }

        String host;
        int hostStart = p;
        if (p < to && b[p] == '[') {
            int close = p + 1;
            while (close < to && b[close] != ']') {
                close++;
            }
            if (close >= to) {
                throw new ParseFailure("IPv6 reference without ']'", p);
            }
            host = new String(b, p, close + 1 - p, StandardCharsets.ISO_8859_1);
            int r = Ipv6Address.scan(host, 1, host.length() - 1, null);
            if (r == Ipv6Address.INVALID) {
                throw new ParseFailure("invalid IPv6 address " + host, p);
            }
            if (r >= 0) {
                ctx.tolerate(Violation.IPV6_EXTRA_COLON, host, p + r);
                host = host.substring(0, r) + host.substring(r + 1);
            }
            p = close + 1;
        } else {
            while (p < to && Grammar.is(b[p], Grammar.HOST)) {
                p++;
            }
            if (p == hostStart) {
                throw new ParseFailure("expected a host" + found(b, p, to), p);
            }
            host = new String(b, hostStart, p - hostStart, StandardCharsets.ISO_8859_1);
            String problem = hostnameProblem(host);
            if (problem != null) {
                throw new ParseFailure(problem, hostStart);
            }
        }

        int port = -1;
        if (p < to && b[p] == ':') {
            int start = ++p;
            port = 0;
            while (p < to && b[p] >= '0' && b[p] <= '9') {
                port = port * 10 + (b[p] - '0');
                if (port > 65535) {
                    throw new ParseFailure("port is larger than 65535", start);
                }
                p++;
            }
            if (p == start) {
                // Also where an IPv6 address was written without brackets (RFC 5118 §4.2).
                throw new ParseFailure("expected a port number after ':'" + found(b, p, to), p);
            }
        }

        Parameters params = Parameters.EMPTY;
        if (p < to && b[p] == ';') {
            int count = 0;
            int k = p;
            while (k < to && b[k] != '?') {
                if (b[k] == ';') {
                    count++;
                }
                k++;
            }
            String[] names = new String[count];
            String[] values = new String[count];
            for (int n = 0; n < count; n++) {
                if (p >= to || b[p] != ';') {
                    throw new ParseFailure("character not allowed in a URI parameter" + found(b, p, to), p);
                }
                p++;
                int nameEnd = scan(b, p, to, PARAM);
                if (nameEnd == p) {
                    throw new ParseFailure("empty URI parameter name", p);
                }
                names[n] = decode(b, p, nameEnd);
                p = nameEnd;
                if (p < to && b[p] == '=') {
                    p++;
                    int valueEnd = scan(b, p, to, PARAM);
                    if (valueEnd == p) {
                        throw new ParseFailure("empty value of URI parameter " + names[n], p);
                    }
                    values[n] = decode(b, p, valueEnd);
                    p = valueEnd;
                }
            }
            params = Access.api().parameters(names, values, new boolean[count]);
        }

        Parameters headers = Parameters.EMPTY;
        if (p < to && b[p] == '?') {
            int count = 1;
            for (int k = p + 1; k < to; k++) {
                if (b[k] == '&') {
                    count++;
                }
            }
            String[] names = new String[count];
            String[] values = new String[count];
            for (int n = 0; n < count; n++) {
                p++;
                int nameEnd = scan(b, p, to, HEADER);
                if (nameEnd == p) {
                    throw new ParseFailure("empty URI header name" + found(b, p, to), p);
                }
                names[n] = decode(b, p, nameEnd);
                if (nameEnd >= to || b[nameEnd] != '=') {
                    throw new ParseFailure("expected '=' after URI header name" + found(b, nameEnd, to), nameEnd);
                }
                p = nameEnd + 1;
                int valueEnd = scan(b, p, to, HEADER);
                values[n] = decode(b, p, valueEnd);
                p = valueEnd;
                if (n + 1 < count && (p >= to || b[p] != '&')) {
                    break; // reported below as the unexpected character
                }
            }
            headers = Access.api().parameters(names, values, new boolean[count]);
        }
        if (p < to) {
            throw new ParseFailure("character not allowed in a SIP URI" + found(b, p, to), p);
        }
        return new SipUri(secure, user, password, host, port, params, headers);
    }

    private static TelUri tel(byte[] b, int p, int to) {
        int start = p;
        while (p < to && b[p] != ';') {
            p++;
        }
        String number = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        String problem = numberProblem(number);
        if (problem != null) {
            throw new ParseFailure(problem, start);
        }
        Parameters params = Parameters.EMPTY;
        if (p < to) {
            int count = 0;
            for (int k = p; k < to; k++) {
                if (b[k] == ';') {
                    count++;
                }
            }
            String[] names = new String[count];
            String[] values = new String[count];
            for (int n = 0; n < count; n++) {
                if (p >= to || b[p] != ';') {
                    throw new ParseFailure("character not allowed in a tel: parameter" + found(b, p, to), p);
                }
                int nameStart = ++p;
                while (p < to && (Grammar.is(b[p], Grammar.ALPHA | Grammar.DIGIT) || b[p] == '-')) {
                    p++;
                }
                if (p == nameStart) {
                    throw new ParseFailure("empty tel: parameter name" + found(b, p, to), p);
                }
                names[n] = new String(b, nameStart, p - nameStart, StandardCharsets.ISO_8859_1);
                if (p < to && b[p] == '=') {
                    int valueEnd = scan(b, ++p, to, PARAM);
                    if (valueEnd == p) {
                        throw new ParseFailure("empty value of tel: parameter " + names[n], p);
                    }
                    values[n] = decode(b, p, valueEnd);
                    p = valueEnd;
                }
            }
            if (p < to) {
                throw new ParseFailure("character not allowed in a tel: URI" + found(b, p, to), p);
            }
            params = Access.api().parameters(names, values, new boolean[count]);
        }
        problem = telParametersProblem(number, params);
        if (problem != null) {
            throw new ParseFailure(problem, start);
        }
        return new TelUri(number, params);
    }

    /**
     * Validates the parts of an {@link AbsoluteUri} made through the API: a scheme per RFC 3986
     * and an opaque part without whitespace, controls, {@code <>"} or non-ASCII, so the URI can
     * stand in a Request-Line or inside {@code <>} without breaking it.
     */
    public static void checkAbsolute(String scheme, String rest) {
        if (scheme.isEmpty() || !Grammar.is(scheme.charAt(0), Grammar.ALPHA)) {
            throw new IllegalArgumentException("URI scheme must start with a letter: \"" + scheme + "\"");
        }
        for (int k = 0; k < scheme.length(); k++) {
            if (!Grammar.is(scheme.charAt(k), Grammar.SCHEME)) {
                throw new IllegalArgumentException("character not allowed in a URI scheme: \"" + scheme + "\"");
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("nothing after the URI scheme");
        }
        for (int k = 0; k < rest.length(); k++) {
            char c = rest.charAt(k);
            if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == '"') {
                throw new IllegalArgumentException(String.format(
                    "character U+%04X not allowed in a URI (escape it): \"%s\"", (int) c, rest));
            }
        }
    }

    private static AbsoluteUri absolute(byte[] b, int from, int colon, int to) {
        if (colon + 1 >= to) {
            throw new ParseFailure("nothing after the URI scheme", colon);
        }
        for (int k = colon + 1; k < to; k++) {
            int c = b[k] & 0xFF;
            if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == '"') {
                throw new ParseFailure("character not allowed in a URI" + found(b, k, to), k);
            }
        }
        return new AbsoluteUri(new String(b, from, colon - from, StandardCharsets.ISO_8859_1),
            new String(b, colon + 1, to - colon - 1, StandardCharsets.ISO_8859_1));
    }

    /**
     * Skips characters of {@code mask} and well-formed escapes; returns the end. A "%" not
     * followed by two hex digits is an error rather than an end, since no URI component may
     * hold a bare "%".
     */
    private static int scan(byte[] b, int p, int to, int mask) {
        while (p < to) {
            byte c = b[p];
            if (c == '%') {
                if (p + 2 >= to || !Grammar.is(b[p + 1], Grammar.HEX) || !Grammar.is(b[p + 2], Grammar.HEX)) {
                    throw new ParseFailure("invalid escape: '%' must be followed by two hex digits", p);
                }
                p += 3;
            } else if (Grammar.is(c, mask)) {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    /**
     * The unescaped text of an already-validated range. Escaped octets are read as UTF-8 when
     * they form valid UTF-8 (what RFC 3261 text is) and as Latin-1 otherwise, so that no octet
     * is ever lost to a replacement character.
     */
    static String decode(byte[] b, int from, int to) {
        int k = from;
        while (k < to && b[k] != '%') {
            k++;
        }
        if (k == to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        boolean high = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '%') {
                int v = Grammar.hexValue(b[i + 1]) << 4 | Grammar.hexValue(b[i + 2]);
                high |= v >= 0x80;
                out[n++] = (byte) v;
                i += 2;
            } else {
                out[n++] = c;
            }
        }
        if (high) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(out, 0, n)).toString();
            } catch (CharacterCodingException notUtf8) {
                // fall through to Latin-1, which maps every octet to one char
            }
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String found(byte[] b, int p, int to) {
        if (p >= to) {
            return " but the URI ended";
        }
        int c = b[p] & 0xFF;
        return c >= 0x21 && c < 0x7F ? " but found '" + (char) c + "'" : String.format(" but found byte 0x%02X", c);
    }

    /** Validates a host given to {@link sip.message.SipUri}'s constructor. */
    public static void checkHost(String host) {
        String problem;
        if (host.isEmpty()) {
            problem = "empty host";
        } else if (host.charAt(0) == '[') {
            problem = host.length() > 2 && host.charAt(host.length() - 1) == ']'
                && Ipv6Address.scan(host, 1, host.length() - 1, null) == Ipv6Address.VALID
                ? null : "invalid IPv6 reference";
        } else {
            problem = hostnameProblem(host);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": \"" + host + "\"");
        }
    }

    /**
     * Why {@code h} is neither an IPv4 address nor an RFC 3261 hostname
     * ({@code *( domainlabel "." ) toplabel [ "." ]}), or null when it is one of them.
     */
    static String hostnameProblem(String h) {
        int n = h.length();
        if (n == 0) {
            return "empty host";
        }
        char first = h.charAt(0);
        if (first >= '0' && first <= '9' && Ipv6Address.ipv4(h, 0, n, null, 0) == n) {
            return null;
        }
        if (h.indexOf(':') >= 0) {
            return "an IPv6 address must be enclosed in [ ]";
        }
        int start = 0;
        int topStart = 0;
        while (start < n) {
            int end = start;
            while (end < n && h.charAt(end) != '.') {
                char c = h.charAt(end);
                if (!Grammar.is(c, Grammar.ALPHA | Grammar.DIGIT) && c != '-') {
                    return "character not allowed in a host name";
                }
                end++;
            }
            if (end == start) {
                return "empty label in host name";
            }
            if (h.charAt(start) == '-' || h.charAt(end - 1) == '-') {
                return "host name label starts or ends with '-'";
            }
            topStart = start;
            start = end + 1;
        }
        if (!Grammar.is(h.charAt(topStart), Grammar.ALPHA)) {
            return "neither an IPv4 address nor a host name (the last label must start with a letter)";
        }
        return null;
    }

    /** Why {@code number} is not an RFC 3966 global or local number, or null. */
    static String numberProblem(String number) {
        if (number.isEmpty()) {
            return "tel: URI without a number";
        }
        boolean global = number.charAt(0) == '+';
        boolean digit = false;
        for (int i = global ? 1 : 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == '-' || c == '.' || c == '(' || c == ')') {
                continue;
            }
            if (global ? c >= '0' && c <= '9' : Grammar.is(c, Grammar.HEX) || c == '*' || c == '#') {
                digit = true;
            } else {
                return "character not allowed in a " + (global ? "global" : "local") + " telephone number";
            }
        }
        return digit ? null : "telephone number without digits";
    }

    /**
     * Why the parameters do not fit the number, or null: a local number needs a phone-context
     * (RFC 3966 §5.1.5), whose descriptor and any extension must be well-formed.
     */
    static String telParametersProblem(String number, Parameters params) {
        String context = params.value("phone-context");
        if (context != null) {
            if (context.startsWith("+")) {
                String p = numberProblem(context);
                if (p != null) {
                    return "phone-context: " + p;
                }
            } else if (hostnameProblem(context) != null) {
                return "phone-context is neither a domain name nor a global number";
            }
        } else if (number.charAt(0) != '+') {
            return "a local telephone number needs a phone-context parameter";
        }
        String ext = params.value("ext");
        if (ext != null) {
            for (int i = 0; i < ext.length(); i++) {
                char c = ext.charAt(i);
                if (!(c >= '0' && c <= '9') && c != '-' && c != '.' && c != '(' && c != ')') {
                    return "ext must be digits";
                }
            }
        }
        return null;
    }

    /** Validates a number and parameters given to {@link sip.message.TelUri}'s constructor. */
    public static void checkTel(String number, Parameters params) {
        String problem = numberProblem(number);
        if (problem == null) {
            problem = telParametersProblem(number, params);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": \"" + number + "\"");
        }
    }
}
