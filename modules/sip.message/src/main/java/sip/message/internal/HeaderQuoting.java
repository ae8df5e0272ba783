package sip.message.internal;

/**
 * Writes a header's quoted-string so that it is on-grammar for any content: besides '"' and
 * '\', the control characters that qdtext excludes go out as quoted-pairs (RFC 3261 §25.1:
 * {@code quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)}). HTAB stays literal: it is LWS.
 */
public final class HeaderQuoting {
    private HeaderQuoting() {}

    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
