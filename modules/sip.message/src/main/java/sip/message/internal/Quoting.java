package sip.message.internal;

/** Writing quoted strings (RFC 3261 §25.1 quoted-string, quoted-pair). */
public final class Quoting {
    private Quoting() {}

    /** Appends {@code "s"} escaping {@code "} and {@code \}. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
