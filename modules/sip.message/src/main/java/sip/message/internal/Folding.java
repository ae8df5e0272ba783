package sip.message.internal;

import java.nio.charset.StandardCharsets;

/** Turning a raw (possibly folded) header value into its logical text. */
public final class Folding {
    private Folding() {}

    /**
     * The value in {@code b[from, to)} as UTF-8 text with each fold (CRLF or LF plus the
     * whitespace after it) replaced by one space (RFC 3261 §7.3.1).
     */
    public static String unfold(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] != '\r' && b[i] != '\n') {
            i++;
        }
        if (i == to) {
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int k = from; k < to; k++) {
            byte c = b[k];
            if (c == '\r' || c == '\n') {
                while (k + 1 < to && (b[k + 1] == '\r' || b[k + 1] == '\n' || b[k + 1] == ' ' || b[k + 1] == '\t')) {
                    k++;
                }
                // drop whitespace already written before the fold
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
                    n--;
                }
                out[n++] = ' ';
            } else {
                out[n++] = c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
