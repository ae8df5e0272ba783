package sip.message.internal;

import java.util.Arrays;
import java.util.Optional;
import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.ParseError;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.StreamFramer;

/** The {@link SipParser}: settings plus the datagram entry point. */
final class ParserImpl implements SipParser {
    /** Scratch for the first pass, one per parsing thread; holds no message state between calls. */
    private static final ThreadLocal<MessageHead> HEAD = ThreadLocal.withInitial(MessageHead::new);

    final Compliance compliance;
    final ComplianceListener listener;
    final SipParser.Validation validation;
    final int maxMessageSize;
    final int maxHeaderCount;
    final int maxLineLength;

    ParserImpl(ParserBuilder b) {
        this.compliance = b.compliance;
        this.listener = b.listener;
        this.validation = b.validation;
        this.maxMessageSize = b.maxMessageSize;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxLineLength = b.maxLineLength;
    }

    @Override
    public Compliance compliance() {
        return compliance;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public ParseResult parse(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return parse(Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public ParseResult parse(byte[] datagram) {
        return parse(datagram, true);
    }

    /**
     * @param salvage whether a malformed request may be read again to get a partial (a
     *     placeholder start line, repeated headers tolerated); false for those second reads,
     *     so no input can make the parser recurse
     */
    private ParseResult parse(byte[] datagram, boolean salvage) {
        int end = datagram.length;
        int start = skipLeadingLineEnds(datagram, 0, end);
        if (start >= end) {
            return malformed("empty datagram (only line ends)", sip.message.Status.BAD_REQUEST_400, 0, 0, null);
        }
        ParseContext ctx = new ParseContext(compliance, listener);
        MessageHead h = HEAD.get();
        h.reset(start);
        int r = MessageDecoder.scanHead(datagram, end, true, this, ctx, h);
        if (r != MessageDecoder.OK) {
            return salvage ? headError(datagram, h, ctx, true) : headErrorPlain(datagram, h, ctx);
        }
        int bodyLength;
        if (h.contentLength >= 0) {
            if (h.contentLength > end - h.bodyStart) {
                return malformedWithPartial(datagram, h, ctx, "Content-Length " + h.contentLength
                    + " is larger than the " + (end - h.bodyStart) + " body bytes in the datagram (RFC 3261 §18.3)",
                    sip.message.Status.BAD_REQUEST_400, h.bodyStart);
            }
            bodyLength = (int) h.contentLength;
        } else {
            bodyLength = end - h.bodyStart; // UDP: the body runs to the end of the packet
        }
        if (h.bodyStart + bodyLength - start > maxMessageSize) {
            return malformedWithPartial(datagram, h, ctx, "message larger than " + maxMessageSize + " bytes",
                sip.message.Status.REQUEST_ENTITY_TOO_LARGE_413, start);
        }
        return finish(message(datagram, h, ctx, h.bodyStart, bodyLength));
    }

    /** The FULL validation step shared by datagrams and streams. */
    ParseResult finish(WireMessage m) {
        if (validation == SipParser.Validation.FULL) {
            Optional<ParseError> e = m.validate();
            if (e.isPresent()) {
                return new ParseResult.Malformed(e.get(), (SipMessage) m);
            }
        }
        return new ParseResult.Parsed((SipMessage) m);
    }

    /** Builds the message from the scratch head; copies the index to an exact-size array. */
    WireMessage message(byte[] wire, MessageHead h, ParseContext ctx, int bodyStart, int bodyLength) {
        return message(wire, h, ctx, bodyStart, bodyLength, true);
    }

    private WireMessage message(byte[] wire, MessageHead h, ParseContext ctx, int bodyStart, int bodyLength,
                                boolean whole) {
        int[] idx = Arrays.copyOf(h.idx, h.count * MessageHead.STRIDE);
        boolean canonical = whole && !h.bareLf && h.contentLengthField >= 0 && h.contentLength == bodyLength;
        if (h.request) {
            return new WireRequest(wire, h.msgStart, h.method, h.methodEnd, h.uriStart, h.uriEnd, idx,
                h.count, bodyStart, bodyLength, ctx, canonical, null, null);
        }
        return new WireResponse(wire, h.msgStart, h.code, h.reasonStart, h.reasonEnd, idx, h.count,
            bodyStart, bodyLength, ctx, canonical, null, null);
    }

    private ParseResult headErrorPlain(byte[] wire, MessageHead h, ParseContext ctx) {
        return malformedWithPartialIf(wire, h, ctx, h.error, h.errorStatus, h.errorPos, h.startLineOk);
    }

    /**
     * The malformed result for a head that failed to scan, with the best partial that can be
     * read: as scanned, or (requests) again under a placeholder start line, or (datagrams)
     * again with repeated single-value headers tolerated. A stream's buffer may end before the
     * header section does, so streams get no repeat-tolerant reread.
     */
    ParseResult headError(byte[] wire, MessageHead h, ParseContext ctx, boolean datagram) {
        boolean startLineOk = h.startLineOk;
        ParseResult r = malformedWithPartialIf(wire, h, ctx, h.error, h.errorStatus, h.errorPos, startLineOk);
        if (datagram && startLineOk && h.repeatedSingle) {
            // RFC 4475 multi01: the answer (400) needs the From and To that follow the repeated
            // field, so the partial is read again with repeats tolerated, on a head of its own.
            MessageHead all = new MessageHead();
            all.reset(h.msgStart);
            all.tolerateRepeats = true;
            ParseContext quiet = new ParseContext(compliance, sip.message.ComplianceListener.NONE);
            if (MessageDecoder.scanHead(wire, wire.length, true, this, quiet, all) == MessageDecoder.OK) {
                SipMessage whole = (SipMessage) message(wire, all, quiet, Math.min(all.bodyStart, wire.length), 0, false);
                return new ParseResult.Malformed(((ParseResult.Malformed) r).error(), whole);
            }
            return r;
        }
        if (startLineOk) {
            return r;
        }
        // A request with a bad start line (SIP/7.0, "<uri>", extra spaces) must still be answered
        // (RFC 4475 §3.1.2.7–10, .16: 400 or 505), which needs its Via, From, To, Call-ID and CSeq.
        // Read the headers under a placeholder start line; this reuses the thread's scratch head,
        // so it runs only after the error above has been taken from it.
        ParseError error = ((ParseResult.Malformed) r).error();
        SipMessage partial = placeholderPartial(wire, h.msgStart);
        return partial == null ? r : new ParseResult.Malformed(error, partial);
    }

    static final String PLACEHOLDER_URI = "sip:invalid";

    private SipMessage placeholderPartial(byte[] wire, int start) {
        int eol = -1;
        for (int i = start; i < wire.length; i++) {
            if (wire[i] == '\n') {
                eol = i;
                break;
            }
        }
        int sp = start;
        while (sp < wire.length && sp < eol && wire[sp] != ' ') {
            sp++;
        }
        if (eol < 0 || sp == start || sp >= eol || sp - start > maxLineLength || startsWith(wire, start, "SIP/")) {
            return null; // not a request, no readable method, or one too long to be a start line
        }
        for (int i = start; i < sp; i++) {
            if (!Grammar.is(wire[i], Grammar.TOKEN)) {
                return null;
            }
        }
        byte[] line = (" " + PLACEHOLDER_URI + " SIP/2.0\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] synthetic = new byte[(sp - start) + line.length + (wire.length - eol - 1)];
        System.arraycopy(wire, start, synthetic, 0, sp - start);
        System.arraycopy(line, 0, synthetic, sp - start, line.length);
        System.arraycopy(wire, eol + 1, synthetic, sp - start + line.length, wire.length - eol - 1);
        return switch (parse(synthetic, false)) {
            case ParseResult.Parsed(SipMessage m) -> m;
            case ParseResult.Malformed m -> m.partialMessage();
            default -> null;
        };
    }

    private static boolean startsWith(byte[] b, int from, String prefix) {
        if (b.length - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    ParseResult malformedWithPartial(byte[] wire, MessageHead h, ParseContext ctx, String reason,
                                     sip.message.Status status, int pos) {
        return malformedWithPartialIf(wire, h, ctx, reason, status, pos, true);
    }

    private ParseResult malformedWithPartialIf(byte[] wire, MessageHead h, ParseContext ctx, String reason,
                                               sip.message.Status status, int pos, boolean partial) {
        int line = MessageDecoder.lineOf(wire, h.msgStart, pos);
        sip.message.HeaderName header = null;
        if (h.errorField >= 0) {
            int id = MessageHead.id(h.idx[h.errorField * MessageHead.STRIDE]);
            header = id >= 0 ? HeaderTable.VALUES[id] : null;
        }
        SipMessage p = null;
        if (partial) {
            int count = h.errorField >= 0 ? h.errorField : h.count;
            int saved = h.count;
            h.count = count;
            // Never canonical: its bytes end where the error was, so serialising must rebuild.
            p = (SipMessage) message(wire, h, ctx, Math.min(pos, wire.length), 0, false);
            h.count = saved;
        }
        return new ParseResult.Malformed(new ParseError(reason, status, line, pos - h.msgStart, header, h.errorViolation), p);
    }

    private static ParseResult malformed(String reason, sip.message.Status status, int line, int offset,
                                         sip.message.HeaderName header) {
        return new ParseResult.Malformed(new ParseError(reason, status, line, offset, header), null);
    }

    /** RFC 3261 §7.5: CRLFs before a message are ignored. */
    static int skipLeadingLineEnds(byte[] b, int from, int end) {
        int p = from;
        while (p < end && (b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        return p;
    }

    @Override
    public StreamFramer newStreamFramer() {
        return new Framer(this);
    }

    @Override
    public String toString() {
        return "SipParser[" + compliance + ", " + validation + ", maxMessageSize=" + maxMessageSize + "]";
    }
}
