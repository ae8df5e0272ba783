package sip.message.internal;

import sip.message.Parameters;
import sip.message.SipUri;
import sip.message.TelUri;

/**
 * Writes URIs in wire form. Components are stored unescaped, so every character the component's
 * grammar does not allow literally is written as %HH (non-ASCII as its UTF-8 octets), which is
 * what makes a parsed-then-formatted URI parse back to an equal one.
 */
public final class UriFormatter {
    private UriFormatter() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static String format(SipUri u) {
        StringBuilder sb = new StringBuilder(32 + u.host().length());
        append(sb, u);
        return sb.toString();
    }

    /** Appends the wire form of {@code u} to {@code sb} (for serializers, without a temporary string). */
    public static void append(StringBuilder sb, SipUri u) {
        sb.append(u.secure() ? "sips:" : "sip:");
        if (u.user() != null) {
            escape(sb, u.user(), UriParser.USER);
            if (u.password() != null) {
                sb.append(':');
                escape(sb, u.password(), UriParser.PASSWORD);
            }
            sb.append('@');
        }
        sb.append(u.host());
        if (u.port() >= 0) {
            sb.append(':').append(u.port());
        }
        appendParameters(sb, u.parameters());
        Parameters h = u.headers();
        for (int i = 0; i < h.size(); i++) {
            sb.append(i == 0 ? '?' : '&');
            escape(sb, h.name(i), UriParser.HEADER);
            sb.append('=');
            if (h.valueAt(i) != null) {
                escape(sb, h.valueAt(i), UriParser.HEADER);
            }
        }
    }

    public static String format(TelUri u) {
        StringBuilder sb = new StringBuilder(16 + u.number().length());
        append(sb, u);
        return sb.toString();
    }

    public static void append(StringBuilder sb, TelUri u) {
        sb.append("tel:").append(u.number());
        appendParameters(sb, u.parameters());
    }

    private static void appendParameters(StringBuilder sb, Parameters p) {
        for (int i = 0; i < p.size(); i++) {
            sb.append(';');
            escape(sb, p.name(i), UriParser.PARAM);
            String v = p.valueAt(i);
            // pvalue is 1*paramchar: an empty value can only be written as a flag.
            if (v != null && !v.isEmpty()) {
                sb.append('=');
                escape(sb, v, UriParser.PARAM);
            }
        }
    }

    /** Appends {@code s}, escaping every character outside {@code mask} as %HH of its UTF-8 octets. */
    public static void escape(StringBuilder sb, String s, int mask) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (Grammar.is(c, mask)) {
                    sb.append(c);
                } else {
                    hex(sb, c);
                }
            } else if (c < 0x800) {
                hex(sb, 0xC0 | c >> 6);
                hex(sb, 0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                hex(sb, 0xF0 | cp >> 18);
                hex(sb, 0x80 | cp >> 12 & 0x3F);
                hex(sb, 0x80 | cp >> 6 & 0x3F);
                hex(sb, 0x80 | cp & 0x3F);
            } else {
                // A lone surrogate has no UTF-8 form; encode it as U+FFFD like String.getBytes does.
                int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                hex(sb, 0xE0 | cp >> 12);
                hex(sb, 0x80 | cp >> 6 & 0x3F);
                hex(sb, 0x80 | cp & 0x3F);
            }
        }
    }

    private static void hex(StringBuilder sb, int octet) {
        sb.append('%').append(HEX[octet >> 4 & 0xF]).append(HEX[octet & 0xF]);
    }
}
