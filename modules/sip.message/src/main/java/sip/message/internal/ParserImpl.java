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
    public ParseResult parse(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return parse(Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public ParseResult parse(byte[] datagram) {
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
            return headError(datagram, h, ctx);
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

    ParseResult headError(byte[] wire, MessageHead h, ParseContext ctx) {
        // A partial message is only useful once the start line is known good.
        boolean startLineOk = h.startLineOk;
        return malformedWithPartialIf(wire, h, ctx, h.error, h.errorStatus, h.errorPos, startLineOk);
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
