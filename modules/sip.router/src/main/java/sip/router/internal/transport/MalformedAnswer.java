package sip.router.internal.transport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import sip.message.HeaderField;
import sip.message.SipParser;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.Via;
import sip.router.internal.StatelessTag;

/**
 * The stateless answer to a request that did not parse (RFC 3261 §8.2, §18.2.2): the status the
 * parser chose, its reason phrase followed by what was wrong when that is short, built from the
 * partial message, whose top Via gets {@code received}/{@code rport} as a received request's would.
 */
final class MalformedAnswer {

    /** Longer parse-error texts are left out of the reason phrase (they are logged). */
    private static final int MAX_DETAIL = 80;

    private MalformedAnswer() {
    }

    /**
     * The response to send, or null when the input cannot be answered: a response, an ACK (never
     * answered, §17.2.1), or a partial request without Via, From, To, Call-ID and CSeq.
     *
     * @throws RuntimeException when the partial's headers are too broken to copy (the caller drops it)
     */
    static SipResponse of(ParseResult.Malformed malformed, InetSocketAddress source) {
        if (!(malformed.partialMessage() instanceof SipRequest request) || request.method().equals(Method.ACK)
                || !request.hasHeader(StandardHeader.VIA)) {
            return null;
        }
        Status status = malformed.error().status();
        String reason = reasonPhrase(status, malformed.error().reason());
        if (answerable(request)) {
            try {
                return typed(request, status, reason, source);
            } catch (RuntimeException e) {
                // A field the typed copy must read is broken (RFC 4475 badinv01, multi01):
                // answer from the raw fields instead.
            }
        }
        return raw(request, status, reason, source);
    }

    private static SipResponse typed(SipRequest request, Status status, String reason, InetSocketAddress source) {
        Via top = request.topVia();
        Via stamped = ReceivedStamp.apply(top, source);
        SipResponse.Builder b = SipResponse.builder(request, status.code())
                .status(Status.of(status.code(), reason));
        if (request.toTag() == null && status.code() != 100) {
            b.toTag(StatelessTag.of(request));
        }
        if (stamped != top) {
            b.removeFirst(HeaderType.VIA).addFirst(HeaderType.VIA, stamped);
        }
        return b.build();
    }

    /**
     * The answer built from the raw fields of a request too broken for the typed copy: every Via
     * (the top one stamped with received/rport when it parses, else as it came), then the first
     * From, To, Call-ID and CSeq that are present (RFC 4475 insuf has none of the first three:
     * the 400 still goes back, naming them). A response with an unreadable top Via cannot be
     * routed by §18.2.2; the caller sends it back on the flow the request came in on.
     */
    private static SipResponse raw(SipRequest request, Status status, String reason, InetSocketAddress source) {
        StringBuilder sb = new StringBuilder(512).append("SIP/2.0 ").append(status.code()).append(' ')
                .append(reason).append("\r\n");
        // Every Via; the first of each of the four single-value fields (RFC 4475 multi01 repeats them).
        java.util.Set<StandardHeader> copied = java.util.EnumSet.noneOf(StandardHeader.class);
        for (HeaderField f : request.headers()) {
            if (!(f.name() instanceof StandardHeader h) || !COPIED.contains(h)) {
                continue;
            }
            boolean first = copied.add(h);
            if (!first && h != StandardHeader.VIA) {
                continue;
            }
            String value = f.value();
            if (first && h == StandardHeader.VIA) {
                value = stampedOrRaw(value, source);
            } else if (h == StandardHeader.TO && status.code() != 100) {
                value = tagged(value, request);
            }
            sb.append(h.canonical()).append(": ").append(value).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        ParseResult r = RAW.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
        return r instanceof ParseResult.Parsed(SipMessage m) && m instanceof SipResponse answer ? answer : null;
    }

    /** A final response carries a To tag (§8.2.6.2): added when the To parses and has none. */
    private static String tagged(String value, SipRequest request) {
        try {
            sip.message.NameAddress to = HeaderType.TO.parse(value).getFirst();
            return to.tag() != null ? value
                    : to.withTag(StatelessTag.of(request)).toString();
        } catch (RuntimeException e) {
            return value;
        }
    }

    private static String stampedOrRaw(String value, InetSocketAddress source) {
        try {
            java.util.List<Via> vias = HeaderType.VIA.parse(value);
            StringBuilder sb = new StringBuilder(value.length() + 32);
            for (int i = 0; i < vias.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(i == 0 ? ReceivedStamp.apply(vias.get(i), source) : vias.get(i));
            }
            return sb.toString();
        } catch (RuntimeException e) {
            return value;
        }
    }

    /**
     * The port of the top Via's sent-by read from its raw text ({@code SIP/2.0/UDP host[:port]}
     * up to the first {@code ;} or {@code ,}): 5060 when it names none, -1 when even that much
     * is unreadable.
     */
    static int sentByPort(SipMessage answer) {
        String v = answer.headerValues(StandardHeader.VIA).stream().findFirst().orElse("").strip();
        int sp = v.indexOf(' ');
        if (sp < 0) {
            return -1;
        }
        String sentBy = v.substring(sp + 1).strip();
        int end = sentBy.length();
        for (int i = 0; i < sentBy.length(); i++) {
            char c = sentBy.charAt(i);
            if (c == ';' || c == ',' || c == ' ') {
                end = i;
                break;
            }
        }
        sentBy = sentBy.substring(0, end);
        int colon = sentBy.lastIndexOf(':');
        if (colon < 0 || sentBy.endsWith("]")) {
            return sentBy.isEmpty() ? -1 : 5060;
        }
        try {
            int port = Integer.parseInt(sentBy.substring(colon + 1));
            return port > 0 && port < 65536 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** To tags are random per RFC 3261 §19.3, from the stack's one secure source. */

    private static final java.util.Set<StandardHeader> COPIED = java.util.EnumSet.of(StandardHeader.VIA,
            StandardHeader.FROM, StandardHeader.TO, StandardHeader.CALL_ID, StandardHeader.CSEQ);

    /** Reads the raw answer back: structure only, since From/To/Call-ID may be missing. */
    private static final SipParser RAW = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();

    /** "Bad Request (missing Call-ID)": one line, bounded, the detail only when short. */
    static String reasonPhrase(Status status, String detail) {
        String base = status.reason();
        if (detail != null) {
            // "(RFC 3261 §8.1.1)" helps a log reader, not the peer: keep the reason phrase short.
            int ref = detail.lastIndexOf(" (RFC ");
            if (ref > 0 && detail.endsWith(")")) {
                detail = detail.substring(0, ref);
            }
        }
        if (detail == null || detail.isBlank() || detail.length() > MAX_DETAIL) {
            return base;
        }
        StringBuilder sb = new StringBuilder(base.length() + detail.length() + 3).append(base).append(" (");
        for (int i = 0; i < detail.length(); i++) {
            char c = detail.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
        }
        return sb.append(')').toString();
    }

    private static boolean answerable(SipMessage m) {
        return m.hasHeader(StandardHeader.VIA) && m.hasHeader(StandardHeader.CALL_ID)
                && m.hasHeader(StandardHeader.CSEQ) && m.hasHeader(StandardHeader.FROM)
                && m.hasHeader(StandardHeader.TO);
    }
}
