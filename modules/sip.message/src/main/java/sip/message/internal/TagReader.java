package sip.message.internal;

import java.nio.charset.StandardCharsets;

/**
 * Reads the {@code tag} parameter of a From or To value without parsing its URI: transaction
 * and dialog matching read tags on every message, and a full name-addr parse (URI, strings,
 * parameter arrays) costs several times more. Anything unusual makes it give up, and the caller
 * falls back to the full parse, so its answer always agrees with {@code from().tag()}.
 */
final class TagReader {
    private TagReader() {}

    /** Returned when the fast path cannot decide. */
    static final String UNSURE = new String("unsure");

    /** The tag in the name-addr / addr-spec {@code b[from, to)}, null when none, or {@link #UNSURE}. */
    static String tag(byte[] b, int from, int to) {
        int p = from;
        // Skip the address part: [display-name] "<" ... ">" or a bare addr-spec up to ';'.
        int lt = -1;
        boolean quoted = false;
        for (int i = p; i < to; i++) {
            byte c = b[i];
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                lt = i;
                break;
            } else if (c == ';' || c == ',') {
                break;
            }
        }
        if (quoted) {
            return UNSURE;
        }
        if (lt >= 0) {
            int gt = lt + 1;
            while (gt < to && b[gt] != '>') {
                if (b[gt] == '<' || b[gt] == '"') {
                    return UNSURE;
                }
                gt++;
            }
            if (gt >= to) {
                return UNSURE;
            }
            p = gt + 1;
        } else {
            while (p < to && b[p] != ';') {
                if (b[p] == ',' || b[p] == '?' || b[p] == ' ' || b[p] == '\t') {
                    return UNSURE;
                }
                p++;
            }
        }
        // *( SEMI generic-param ), tokens and quoted strings; LWS only as plain spaces/tabs.
        String tag = null;
        while (true) {
            while (p < to && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            if (p >= to) {
                return tag;
            }
            if (b[p] != ';') {
                return UNSURE;
            }
            p++;
            while (p < to && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int ns = p;
            while (p < to && Grammar.is(b[p], Grammar.TOKEN)) {
                p++;
            }
            int ne = p;
            if (ne == ns) {
                return UNSURE;
            }
            while (p < to && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int vs = -1;
            int ve = -1;
            if (p < to && b[p] == '=') {
                p++;
                while (p < to && (b[p] == ' ' || b[p] == '\t')) {
                    p++;
                }
                if (p < to && b[p] == '"') {
                    return UNSURE; // quoted values: leave them to the full parser
                }
                vs = p;
                while (p < to && (Grammar.is(b[p], Grammar.TOKEN) || b[p] == '[' || b[p] == ']' || b[p] == ':')) {
                    p++;
                }
                ve = p;
                if (ve == vs) {
                    return UNSURE;
                }
            }
            if (ne - ns == 3 && (b[ns] | 0x20) == 't' && (b[ns + 1] | 0x20) == 'a' && (b[ns + 2] | 0x20) == 'g') {
                if (tag != null || vs < 0) {
                    return UNSURE; // two tags, or a flag: the full parser decides
                }
                tag = new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
            }
        }
    }
}
