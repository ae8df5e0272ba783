package sip.message.internal;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over a header value's bytes {@code [position, end)} with the primitives of the
 * RFC 3261 §25 grammar. Line folding (CRLF or bare LF followed by SP/HTAB) counts as whitespace
 * everywhere LWS is allowed. Methods that cannot match throw {@link ParseFailure}.
 */
public final class ValueReader {
    private final byte[] b;
    private int pos;
    private final int end;

    public ValueReader(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    public byte[] buffer() {
        return b;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        pos = p;
    }

    public int end() {
        return end;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    /** The byte at the cursor (as 0..255), or -1 at the end. */
    public int peek() {
        return pos < end ? b[pos] & 0xFF : -1;
    }

    /** The byte {@code k} after the cursor, or -1. */
    public int peek(int k) {
        return pos + k < end ? b[pos + k] & 0xFF : -1;
    }

    public void advance() {
        pos++;
    }

    public int next() {
        return pos < end ? b[pos++] & 0xFF : -1;
    }

    /** Skips LWS (SP, HTAB, and CRLF/LF followed by SP or HTAB). Returns true if any was skipped. */
    public boolean skipLws() {
        int start = pos;
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\r' && pos + 2 < end && b[pos + 1] == '\n'
                && (b[pos + 2] == ' ' || b[pos + 2] == '\t')) {
                pos += 3;
            } else if (c == '\n' && pos + 1 < end && (b[pos + 1] == ' ' || b[pos + 1] == '\t')) {
                pos += 2;
            } else {
                break;
            }
        }
        return pos > start;
    }

    /** Skips LWS, expects {@code c}, skips LWS (the SWS c SWS separators: SEMI, EQUAL, COMMA...). */
    public void separator(char c) {
        skipLws();
        expect(c);
        skipLws();
    }

    /** True (and consumed, with surrounding LWS) when the next non-LWS byte is {@code c}. */
    public boolean trySeparator(char c) {
        int save = pos;
        skipLws();
        if (pos < end && b[pos] == c) {
            pos++;
            skipLws();
            return true;
        }
        pos = save;
        return false;
    }

    public void expect(char c) {
        if (pos >= end || b[pos] != c) {
            throw new ParseFailure("expected '" + c + "'" + found(), pos);
        }
        pos++;
    }

    public boolean tryConsume(char c) {
        if (pos < end && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** " but found 'x'" or " at the end". */
    public String found() {
        if (pos >= end) {
            return " but the value ended";
        }
        int c = b[pos] & 0xFF;
        return c >= 0x21 && c < 0x7F ? " but found '" + (char) c + "'" : String.format(" but found byte 0x%02X", c);
    }

    /** Consumes bytes of character class {@code mask}; returns how many. */
    public int skip(int mask) {
        int start = pos;
        while (pos < end && Grammar.is(b[pos], mask)) {
            pos++;
        }
        return pos - start;
    }

    /** Consumes a token and returns it; fails if there is none. */
    public String token() {
        int start = pos;
        if (skip(Grammar.TOKEN) == 0) {
            throw new ParseFailure("expected a token" + found(), pos);
        }
        return ascii(start, pos);
    }

    /** Consumes a token; returns its end (exclusive) without allocating. */
    public int tokenEnd() {
        if (skip(Grammar.TOKEN) == 0) {
            throw new ParseFailure("expected a token" + found(), pos);
        }
        return pos;
    }

    /** Consumes a word (Call-ID grammar); fails if there is none. */
    public String word() {
        int start = pos;
        if (skip(Grammar.WORD) == 0) {
            throw new ParseFailure("expected a word" + found(), pos);
        }
        return ascii(start, pos);
    }

    /**
     * Consumes a quoted string (cursor at the opening quote) and returns its content with
     * quoted-pairs resolved, decoded as UTF-8. Fails on an unterminated string.
     */
    public String quotedString() {
        int open = pos;
        expect('"');
        int start = pos;
        boolean escapes = false;
        while (true) {
            if (pos >= end) {
                throw new ParseFailure("unterminated quoted string", open);
            }
            byte c = b[pos];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (pos + 1 >= end) {
                    throw new ParseFailure("unterminated quoted string", open);
                }
                int e = b[pos + 1] & 0xFF;
                if (e == 0x0A || e == 0x0D || e > 0x7F) {
                    throw new ParseFailure("bad quoted-pair in quoted string", pos);
                }
                escapes = true;
                pos += 2;
                continue;
            }
            if (c == '\r' || c == '\n') {
                // Folding inside a quoted string is LWS; anything else is a broken line.
                int save = pos;
                if (!skipLws()) {
                    throw new ParseFailure("unterminated quoted string", open);
                }
                escapes = true; // folded whitespace is kept as written only in raw; normalise
                pos = Math.max(pos, save + 1);
                continue;
            }
            pos++;
        }
        int close = pos;
        pos++;
        if (!escapes) {
            return new String(b, start, close - start, StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(close - start);
        for (int i = start; i < close; i++) {
            byte c = b[i];
            if (c == '\\') {
                out.write(b[++i]);
            } else if (c == '\r' || c == '\n') {
                // a fold: CRLF/LF + WSP becomes the whitespace after it
                continue;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Consumes a comment ({@code ( ... )}, nesting allowed); returns the content. */
    public String comment() {
        int open = pos;
        expect('(');
        int depth = 1;
        int start = pos;
        while (depth > 0) {
            if (pos >= end) {
                throw new ParseFailure("unterminated comment", open);
            }
            byte c = b[pos++];
            if (c == '\\' && pos < end) {
                pos++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
        return new String(b, start, pos - 1 - start, StandardCharsets.UTF_8);
    }

    /** Reads an unsigned decimal number of at most {@code max}; fails on overflow or no digits. */
    public long number(long max, String what) {
        int start = pos;
        long v = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos] - '0');
            if (v > max) {
                throw new ParseFailure(what + " is larger than " + max, start);
            }
            pos++;
        }
        if (pos == start) {
            throw new ParseFailure("expected " + what + found(), pos);
        }
        return v;
    }

    /** The bytes {@code [from, to)} as an ASCII/Latin-1 string (no decoding work). */
    public String ascii(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The bytes {@code [from, to)} decoded as UTF-8. */
    public String utf8(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** The rest of the value with folds collapsed and trailing whitespace trimmed; consumes it. */
    public String rest() {
        int start = pos;
        pos = end;
        int e = end;
        while (e > start && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r' || b[e - 1] == '\n')) {
            e--;
        }
        return Folding.unfold(b, start, e);
    }
}
