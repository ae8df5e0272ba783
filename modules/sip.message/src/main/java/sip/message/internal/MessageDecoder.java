package sip.message.internal;

import static sip.message.internal.HeaderTable.CONTENT_LENGTH;

import sip.message.Method;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.Violation;

/**
 * The first pass over a message (RFC 3261 §7): checks the start line, indexes each header
 * field's name and value span, reads Content-Length. It does not parse header values (that is
 * lazy) and never allocates per header. Errors are recorded in the {@link MessageHead}, never
 * thrown.
 */
final class MessageDecoder {
    private MessageDecoder() {}

    /** Outcome of {@link #scanHead}. */
    static final int OK = 0;
    static final int NEED_MORE = 1;
    static final int ERROR = 2;

    private static final Method[] KNOWN_METHODS = {
        Method.INVITE, Method.ACK, Method.BYE, Method.CANCEL, Method.OPTIONS, Method.REGISTER,
        Method.PRACK, Method.SUBSCRIBE, Method.NOTIFY, Method.PUBLISH, Method.INFO, Method.REFER,
        Method.MESSAGE, Method.UPDATE
    };
    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    /**
     * Scans the start line and headers of the message starting at {@code h.msgStart} in
     * {@code b[.., end)}. Leading CRLFs must already be skipped.
     *
     * @param complete true for a datagram (all bytes are here): a missing empty line is an error;
     *     false for a stream: it means "need more"
     */
    static int scanHead(byte[] b, int end, boolean complete, ParserImpl cfg, ParseContext ctx, MessageHead h) {
        int pos = h.msgStart;
        int limit = Math.min(end, h.msgStart + cfg.maxMessageSize);
        // ---- start line
        int nl = indexOfLf(b, pos, Math.min(limit, pos + cfg.maxLineLength + 2));
        if (nl < 0) {
            if (limit - pos > cfg.maxLineLength + 1) {
                return fail(h, "start line longer than " + cfg.maxLineLength + " bytes",
                    Status.REQUEST_URI_TOO_LONG_414, pos);
            }
            if (!complete && end - h.msgStart < cfg.maxMessageSize) {
                return NEED_MORE;
            }
            return fail(h, "no line end after the start line", Status.BAD_REQUEST_400, pos);
        }
        int lineEnd = nl;
        if (lineEnd > pos && b[lineEnd - 1] == '\r') {
            lineEnd--;
        } else if (!tolerateBareLf(h, ctx, nl)) {
            return ERROR;
        }
        int r = isStatusLine(b, pos, lineEnd)
            ? statusLine(b, pos, lineEnd, h)
            : requestLine(b, pos, lineEnd, h);
        if (r != OK) {
            return r;
        }
        h.startLineOk = true;
        pos = nl + 1;
        // ---- header fields
        int[] idx = h.idx;
        while (true) {
            if (pos >= limit) {
                if (limit < end || end - h.msgStart >= cfg.maxMessageSize) {
                    return fail(h, "header section larger than " + cfg.maxMessageSize + " bytes",
                        Status.REQUEST_ENTITY_TOO_LARGE_413, pos);
                }
                if (!complete) {
                    return NEED_MORE;
                }
                if (pos == end && pos > h.msgStart && b[pos - 1] == '\n') {
                    if (!tolerate(h, ctx, Violation.MISSING_EMPTY_LINE, "header section ends the datagram", pos)) {
                        return ERROR;
                    }
                    h.bodyStart = pos;
                    return OK;
                }
                return fail(h, "no empty line after the header fields", Status.BAD_REQUEST_400, pos);
            }
            byte c = b[pos];
            if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    if (pos + 1 >= limit) {
                        if (!complete && limit == end) {
                            return NEED_MORE;
                        }
                        return fail(h, "CR without LF", Status.BAD_REQUEST_400, pos);
                    }
                    if (b[pos + 1] != '\n') {
                        return fail(h, "CR without LF", Status.BAD_REQUEST_400, pos);
                    }
                    h.bodyStart = pos + 2;
                } else {
                    if (!tolerateBareLf(h, ctx, pos)) {
                        return ERROR;
                    }
                    h.bodyStart = pos + 1;
                }
                return OK;
            }
            if (c == ' ' || c == '\t') {
                return fail(h, "header line starts with whitespace but follows no header field",
                    Status.BAD_REQUEST_400, pos);
            }
            // name
            int nameStart = pos;
            int hash = 0;
            while (pos < limit && Grammar.is(b[pos], Grammar.TOKEN)) {
                hash = HeaderTable.step(hash, b[pos]);
                pos++;
            }
            int nameEnd = pos;
            while (pos < limit && (b[pos] == ' ' || b[pos] == '\t')) {
                pos++;
            }
            if (nameEnd == nameStart || pos >= limit || b[pos] != ':') {
                if (pos >= limit && !complete && limit == end) {
                    return NEED_MORE;
                }
                return fail(h, "malformed header line: expected token ':'", Status.BAD_REQUEST_400, nameStart);
            }
            pos++;
            // value: skip leading WSP; the value may fold onto following lines
            while (pos < limit && (b[pos] == ' ' || b[pos] == '\t')) {
                pos++;
            }
            int valueStart = pos;
            int valueEnd;
            while (true) {
                int lf = scanValueLine(b, pos, limit);
                if (lf < 0) {
                    if (lf == -2) {
                        return fail(h, "control character in header value", Status.BAD_REQUEST_400, pos);
                    }
                    if (!complete && limit == end) {
                        return NEED_MORE;
                    }
                    if (limit < end) {
                        return fail(h, "message larger than " + cfg.maxMessageSize + " bytes",
                            Status.REQUEST_ENTITY_TOO_LARGE_413, pos);
                    }
                    return fail(h, "header field not ended by a line end", Status.BAD_REQUEST_400, nameStart);
                }
                int contentEnd = lf;
                if (contentEnd > pos && b[contentEnd - 1] == '\r') {
                    contentEnd--;
                } else if (!tolerateBareLf(h, ctx, lf)) {
                    return ERROR;
                }
                pos = lf + 1;
                valueEnd = contentEnd;
                if (pos < limit && (b[pos] == ' ' || b[pos] == '\t')) {
                    continue; // folded continuation line
                }
                if (pos >= limit && !complete && limit == end) {
                    return NEED_MORE; // the next line might be a continuation
                }
                break;
            }
            while (valueEnd > valueStart && isLwsByte(b[valueEnd - 1])) {
                valueEnd--;
            }
            // The value may start on a continuation line ("Name:" CRLF SP value, RFC 3261 §7.3.1).
            while (valueStart < valueEnd && isLwsByte(b[valueStart])) {
                valueStart++;
            }
            if (valueEnd - nameStart > cfg.maxLineLength) {
                return fail(h, "header field longer than " + cfg.maxLineLength + " bytes",
                    Status.BAD_REQUEST_400, nameStart);
            }
            if (h.count >= cfg.maxHeaderCount) {
                return fail(h, "more than " + cfg.maxHeaderCount + " header fields", Status.BAD_REQUEST_400, nameStart);
            }
            int id = HeaderTable.lookup(b, nameStart, nameEnd, HeaderTable.mix(hash));
            int k = h.count * MessageHead.STRIDE;
            if (k + MessageHead.STRIDE > idx.length) {
                idx = h.ensureCapacity(h.count + 1);
            }
            if (nameStart > MessageHead.MAX_OFFSET) {
                return fail(h, "header field beyond 16 MiB", Status.REQUEST_ENTITY_TOO_LARGE_413, nameStart);
            }
            idx[k] = MessageHead.pack(id, nameStart);
            idx[k + 1] = valueStart;
            idx[k + 2] = valueEnd;
            h.count++;
            if (id >= 0) {
                StandardHeader sh = HeaderTable.VALUES[id];
                if (sh.isSingle()) {
                    long bit = 1L << id;
                    if ((h.singlesSeen & bit) != 0 && !h.tolerateRepeats) {
                        h.repeatedSingle = true;
                        h.errorField = h.count - 1;
                        return fail(h, "more than one " + sh.canonical() + " header field",
                            Status.BAD_REQUEST_400, nameStart);
                    }
                    h.singlesSeen |= bit;
                }
                if (id == CONTENT_LENGTH) {
                    long cl = contentLength(b, valueStart, valueEnd);
                    if (cl == -1) {
                        h.errorField = h.count - 1;
                        return fail(h, "Content-Length is not a non-negative number",
                            Status.BAD_REQUEST_400, valueStart);
                    }
                    if (cl > cfg.maxMessageSize) {
                        h.errorField = h.count - 1;
                        return fail(h, "Content-Length " + (cl == Long.MAX_VALUE ? "(too large to represent)" : cl)
                            + " exceeds the maximum message size " + cfg.maxMessageSize,
                            Status.REQUEST_ENTITY_TOO_LARGE_413, valueStart);
                    }
                    h.contentLength = cl;
                    h.contentLengthField = h.count - 1;
                }
            }
        }
    }

    /**
     * Position of the LF ending the physical line from {@code pos}, -1 when none before
     * {@code limit}, -2 when a control character other than HTAB, or a CR not before LF, occurs.
     */
    private static int scanValueLine(byte[] b, int pos, int limit) {
        int i = pos;
        while (true) {
            // Eight bytes at a time to the first control byte (< 0x20) or DEL (SWAR "hasless" and
            // "haszero"; the lowest flagged byte is exact, so we jump straight to it).
            while (i + 8 <= limit) {
                long x = (long) LONGS.get(b, i);
                long y = x ^ (ONES * 0x7F);
                long flags = ((x - ONES * 0x20) & ~x & HIGHS) | ((y - ONES) & ~y & HIGHS);
                if (flags != 0) {
                    i += Long.numberOfTrailingZeros(flags) >>> 3;
                    break;
                }
                i += 8;
            }
            while (i < limit && (b[i] & 0xE0) != 0 && b[i] != 0x7F) {
                i++;
            }
            if (i >= limit) {
                return -1;
            }
            byte c = b[i];
            if (c == '\n') {
                return i;
            }
            if (c == '\r') {
                if (i + 1 < limit && b[i + 1] != '\n') {
                    return -2;
                }
            } else if (c != '\t' && (i == pos || b[i - 1] != '\\')) {
                // Only HTAB, or any control byte escaped as a quoted-pair (RFC 3261 §25.1: "\"
                // %x00-09 / %x0B-0C / %x0E-7F inside a quoted string; RFC 4475 intmeth).
                return -2;
            }
            i++;
        }
    }

    private static boolean isLwsByte(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean tolerateBareLf(MessageHead h, ParseContext ctx, int pos) {
        if (h.bareLf) {
            return true;
        }
        h.bareLf = tolerate(h, ctx, Violation.BARE_LF, "line ending at offset " + (pos - h.msgStart), pos);
        return h.bareLf;
    }

    /** Tolerates {@code v}, or records it in the head as the 400 that rejects the message. */
    static boolean tolerate(MessageHead h, ParseContext ctx, Violation v, String detail, int pos) {
        if (ctx.tryTolerate(v, detail)) {
            return true;
        }
        fail(h, ParseContext.rejection(v, detail), Status.BAD_REQUEST_400, pos);
        h.errorViolation = v;
        return false;
    }

    /** The 1-based line of byte {@code pos} in a message starting at {@code start}. */
    static int lineOf(byte[] b, int start, int pos) {
        int line = 1;
        for (int i = start; i < pos && i < b.length; i++) {
            if (b[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** -1 when not 1*DIGIT (LWS around allowed), Long.MAX_VALUE when too large for a long. */
    private static long contentLength(byte[] b, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - 9) / 10) {
                v = Long.MAX_VALUE;
                continue;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isStatusLine(byte[] b, int pos, int end) {
        return end - pos >= 4 && (b[pos] | 0x20) == 's' && (b[pos + 1] | 0x20) == 'i'
            && (b[pos + 2] | 0x20) == 'p' && b[pos + 3] == '/';
    }

    private static int statusLine(byte[] b, int pos, int end, MessageHead h) {
        h.request = false;
        int sp = pos;
        while (sp < end && b[sp] != ' ') {
            sp++;
        }
        int v = version(b, pos, sp);
        if (v != OK) {
            return fail(h, v == 505 ? "unsupported SIP version in the status line" : "malformed SIP-Version",
                v == 505 ? Status.VERSION_NOT_SUPPORTED_505 : Status.BAD_REQUEST_400, pos);
        }
        int p = sp + 1;
        int digits = p;
        int code = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9' && p - digits < 4) {
            code = code * 10 + (b[p] - '0');
            p++;
        }
        if (p - digits != 3 || (p < end && b[p] != ' ')) {
            return fail(h, "status code is not three digits", Status.BAD_REQUEST_400, digits);
        }
        if (code < 100 || code > 699) {
            return fail(h, "status code " + code + " outside 100..699", Status.BAD_REQUEST_400, digits);
        }
        h.code = code;
        h.reasonStart = p < end ? p + 1 : end;
        h.reasonEnd = end;
        for (int i = h.reasonStart; i < end; i++) {
            byte c = b[i];
            if ((c & 0xE0) == 0 && c != '\t' || c == 0x7F) {
                return fail(h, "control character in the reason phrase", Status.BAD_REQUEST_400, i);
            }
        }
        return OK;
    }

    /** OK for SIP/2.0 (any case), 505 for another SIP/x.y, 400 otherwise. */
    private static int version(byte[] b, int from, int to) {
        if (to - from == 7 && (b[from] | 0x20) == 's' && (b[from + 1] | 0x20) == 'i'
            && (b[from + 2] | 0x20) == 'p' && b[from + 3] == '/' && b[from + 4] == '2'
            && b[from + 5] == '.' && b[from + 6] == '0') {
            return OK;
        }
        if (to - from >= 7 && (b[from] | 0x20) == 's' && (b[from + 1] | 0x20) == 'i'
            && (b[from + 2] | 0x20) == 'p' && b[from + 3] == '/') {
            int i = from + 4;
            int d1 = i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i > d1 && i < to && b[i] == '.') {
                int d2 = ++i;
                while (i < to && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                if (i > d2 && i == to) {
                    return 505;
                }
            }
        }
        return 400;
    }

    private static int requestLine(byte[] b, int pos, int end, MessageHead h) {
        h.request = true;
        int p = pos;
        while (p < end && Grammar.is(b[p], Grammar.TOKEN)) {
            p++;
        }
        if (p == pos || p >= end || b[p] != ' ') {
            return fail(h, "malformed Request-Line: expected Method SP Request-URI SP SIP-Version",
                Status.BAD_REQUEST_400, p);
        }
        h.methodEnd = p;
        h.method = knownMethod(b, pos, p);
        p++;
        if (p < end && (b[p] == ' ' || b[p] == '\t')) {
            return fail(h, "more than one SP between Method and Request-URI (RFC 3261 §7.1)",
                Status.BAD_REQUEST_400, p);
        }
        int uriStart = p;
        while (p < end && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        int uriEnd = p;
        if (uriEnd == uriStart) {
            return fail(h, "empty Request-URI", Status.BAD_REQUEST_400, uriStart);
        }
        if (!Grammar.is(b[uriStart], Grammar.ALPHA)) {
            return fail(h, "Request-URI must be an absolute URI without <> (RFC 3261 §25.1)",
                Status.BAD_REQUEST_400, uriStart);
        }
        int s = uriStart;
        while (s < uriEnd && Grammar.is(b[s], Grammar.SCHEME)) {
            s++;
        }
        if (s >= uriEnd || b[s] != ':') {
            return fail(h, "Request-URI has no scheme", Status.BAD_REQUEST_400, uriStart);
        }
        h.uriStart = uriStart;
        h.uriEnd = uriEnd;
        if (p >= end) {
            return fail(h, "Request-Line has no SIP-Version", Status.BAD_REQUEST_400, p);
        }
        if (b[p] != ' ') {
            return fail(h, "Request-Line elements must be separated by one SP (RFC 3261 §7.1)",
                Status.BAD_REQUEST_400, p);
        }
        p++;
        if (p < end && (b[p] == ' ' || b[p] == '\t')) {
            return fail(h, "more than one SP between Request-URI and SIP-Version (RFC 3261 §7.1)",
                Status.BAD_REQUEST_400, p);
        }
        int vStart = p;
        while (p < end && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        if (p < end) {
            boolean onlyWs = true;
            for (int i = p; i < end; i++) {
                if (b[i] != ' ' && b[i] != '\t') {
                    onlyWs = false;
                    break;
                }
            }
            return fail(h, onlyWs
                    ? "whitespace after SIP-Version at the end of the Request-Line (RFC 3261 §7.1)"
                    : "whitespace inside the Request-URI (RFC 3261 §7.1)",
                Status.BAD_REQUEST_400, p);
        }
        int v = version(b, vStart, p);
        if (v == 505) {
            return fail(h, "SIP version " + new String(b, vStart, p - vStart, java.nio.charset.StandardCharsets.ISO_8859_1)
                + " not supported", Status.VERSION_NOT_SUPPORTED_505, vStart);
        }
        if (v != OK) {
            return fail(h, "malformed SIP-Version in the Request-Line", Status.BAD_REQUEST_400, vStart);
        }
        return OK;
    }

    private static Method knownMethod(byte[] b, int from, int to) {
        int len = to - from;
        for (Method m : KNOWN_METHODS) {
            String n = m.name();
            if (n.length() == len && n.charAt(0) == b[from]) {
                boolean eq = true;
                for (int i = 1; i < len; i++) {
                    if (b[from + i] != n.charAt(i)) {
                        eq = false;
                        break;
                    }
                }
                if (eq) {
                    return m;
                }
            }
        }
        return null;
    }

    static int fail(MessageHead h, String reason, Status status, int pos) {
        h.error = reason;
        h.errorStatus = status;
        h.errorPos = pos;
        return ERROR;
    }
}
