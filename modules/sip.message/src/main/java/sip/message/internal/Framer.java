package sip.message.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import sip.message.ParseError;
import sip.message.ParseResult;
import sip.message.Status;
import sip.message.StreamFramer;
import sip.message.Violation;

/**
 * Stream framing (RFC 3261 §18.3): buffers bytes of one connection and cuts messages out by
 * Content-Length. The buffer never grows beyond the parser's maximum message size (plus one read
 * chunk), whatever a peer declares. Owned by one reader thread.
 */
final class Framer implements StreamFramer {
    private static final ParseResult NEED_MORE = new ParseResult.NeedMore();
    private static final ParseResult PING = new ParseResult.KeepAlive(true);
    private static final ParseResult PONG = new ParseResult.KeepAlive(false);

    private final ParserImpl parser;
    private final MessageHead head = new MessageHead();
    /** Enough for most messages; a larger one grows the buffer only while it is buffered. */
    private static final int INITIAL_BUFFER = 4096;
    /**
     * A buffer grown past this by one large message is given back once it is drained, so that
     * thousands of idle connections do not each pin up to twice the maximum message size.
     */
    private static final int SHRINK_ABOVE = 16_384;

    private byte[] buf = new byte[INITIAL_BUFFER];
    private int from; // first unconsumed byte
    private int to;   // end of buffered bytes
    /** Total length of the message at {@code from} once its head was read, else -1. */
    private int pendingLength = -1;
    private ParseContext pendingContext;
    private long pendingBodyLength;
    private boolean broken;
    /** The last result was a lone CRLF at the end of the buffered bytes. */
    private boolean loneCrlfBefore;
    /**
     * How far the search for the empty line ending the current head got, and whether its start
     * line was already checked: together they make framing O(bytes) however the peer slices its
     * writes, instead of rescanning the head on every read.
     */
    private int searched = -1;
    private boolean startChecked;

    Framer(ParserImpl parser) {
        this.parser = parser;
    }

    @Override
    public void feed(ByteBuffer src) {
        if (broken) {
            src.position(src.limit()); // framing is lost: nothing more is kept
            return;
        }
        int n = src.remaining();
        ensureRoom(n);
        src.get(buf, to, n);
        to += n;
    }

    @Override
    public void feed(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (broken) {
            return;
        }
        ensureRoom(len);
        System.arraycopy(b, off, buf, to, len);
        to += len;
    }

    private void ensureRoom(int n) {
        if (to + n <= buf.length) {
            return;
        }
        compact(); // consumed bytes are never needed again
        if (to + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, to + n));
        }
    }

    private void compact() {
        if (from > 0) {
            // The pending head's positions point into the old layout: scan it again next time.
            pendingLength = -1;
            pendingContext = null;
            searched = -1;
            System.arraycopy(buf, from, buf, 0, to - from);
            to -= from;
            from = 0;
        }
    }

    @Override
    public int buffered() {
        return to - from;
    }

    /**
     * True when a scan of the head can decide something: the start line is complete and not yet
     * checked (so garbage is refused early), the empty line ending the head has arrived, or the
     * buffer holds more than a message may.
     */
    private boolean readyToScan() {
        if (to - from > parser.maxMessageSize) {
            return true;
        }
        int i = Math.max(from, searched);
        if (!startChecked) {
            for (int k = i; k < to; k++) {
                if (buf[k] == '\n') {
                    return true;
                }
            }
            return false;
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') {
                if (i + 1 >= to || (buf[i + 1] == '\r' && i + 2 >= to)) {
                    break; // cannot tell yet
                }
                if (buf[i + 1] == '\n' || (buf[i + 1] == '\r' && buf[i + 2] == '\n')) {
                    return true;
                }
            }
        }
        searched = i;
        return false;
    }

    /** The buffer's capacity now, for tests of the shrink rule. */
    int capacity() {
        return buf.length;
    }

    @Override
    public boolean framingLost() {
        return broken;
    }

    @Override
    public ParseResult next() {
        if (broken) {
            return new ParseResult.Malformed(new ParseError("stream framing was lost by an earlier error",
                Status.BAD_REQUEST_400, 0, 0, null), null);
        }
        if (pendingLength < 0) {
            // Keep-alives and stray line ends between messages (RFC 5626 §3.5.1, RFC 3261 §7.5).
            int crlfs = 0;
            int p = from;
            while (p + 1 < to && buf[p] == '\r' && buf[p + 1] == '\n') {
                p += 2;
                crlfs++;
            }
            if (crlfs >= 2 || (crlfs == 1 && loneCrlfBefore)) {
                // A ping, or the second half of one that arrived in two reads (which was first
                // reported as a pong: without knowing our role we cannot tell them apart sooner).
                from += crlfs >= 2 ? 4 : 2;
                loneCrlfBefore = false;
                return PING;
            }
            loneCrlfBefore = false;
            if (crlfs == 1) {
                if (p == to) {
                    from = p;
                    loneCrlfBefore = true;
                    return PONG;
                }
                if (p + 1 == to && buf[p] == '\r') {
                    return NEED_MORE; // maybe the second half of a ping
                }
                from = p; // a stray CRLF before a message
            }
            while (from < to && buf[from] == '\n') {
                from++; // bare LF before a message
            }
            if (from == to || (to - from == 1 && buf[from] == '\r')) {
                return NEED_MORE;
            }
            if (!readyToScan()) {
                return NEED_MORE;
            }
            if (from > MessageHead.MAX_OFFSET >> 1) {
                compact(); // the index packs offsets below 16 MiB; a message here is at most 4 MiB
            }
            ParseContext ctx = new ParseContext(parser.compliance, parser.listener);
            head.reset(from);
            int r = MessageDecoder.scanHead(buf, to, false, parser, ctx, head);
            if (r == MessageDecoder.NEED_MORE) {
                startChecked = true;
                return NEED_MORE;
            }
            if (r == MessageDecoder.ERROR) {
                broken = true;
                return parser.headError(Arrays.copyOfRange(buf, 0, to), head, ctx, false);
            }
            long cl = head.contentLength;
            if (cl < 0) {
                if (!MessageDecoder.tolerate(head, ctx, Violation.STREAM_WITHOUT_CONTENT_LENGTH,
                        "no Content-Length", head.bodyStart)) {
                    broken = true;
                    return parser.headError(Arrays.copyOfRange(buf, 0, to), head, ctx, false);
                }
                cl = 0;
            }
            long total = head.bodyStart - from + cl;
            if (total > parser.maxMessageSize) {
                broken = true;
                return parser.malformedWithPartial(Arrays.copyOfRange(buf, 0, to), head, ctx,
                    "message of " + total + " bytes exceeds the maximum " + parser.maxMessageSize,
                    Status.REQUEST_ENTITY_TOO_LARGE_413, head.bodyStart);
            }
            pendingLength = (int) total;
            pendingBodyLength = cl;
            pendingContext = ctx;
        }
        if (to - from < pendingLength) {
            return NEED_MORE;
        }
        // The message owns an exact copy (the buffer is reused); the head found by the first
        // pass is moved with it rather than scanned again.
        int shift = from;
        searched = -1;
        startChecked = false;
        byte[] wire = Arrays.copyOfRange(buf, from, from + pendingLength);
        from += pendingLength;
        pendingLength = -1;
        if (from == to) {
            from = 0;
            to = 0;
            if (buf.length > SHRINK_ABOVE) {
                buf = new byte[INITIAL_BUFFER];
            }
        }
        MessageHead h = head;
        h.msgStart -= shift;
        h.methodEnd -= shift;
        h.uriStart -= shift;
        h.uriEnd -= shift;
        h.reasonStart -= shift;
        h.reasonEnd -= shift;
        h.bodyStart -= shift;
        int[] idx = h.idx;
        for (int k = 0; k < h.count * MessageHead.STRIDE; k += MessageHead.STRIDE) {
            idx[k] -= shift; // the name start is the low bits and never below the shift
            idx[k + 1] -= shift;
            idx[k + 2] -= shift;
        }
        ParseContext ctx = pendingContext;
        pendingContext = null;
        return parser.finish(parser.message(wire, h, ctx, h.bodyStart, (int) pendingBodyLength));
    }
}
