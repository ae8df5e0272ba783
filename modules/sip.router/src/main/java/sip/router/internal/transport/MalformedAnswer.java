package sip.router.internal.transport;

import java.net.InetSocketAddress;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.Via;

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
        if (!(malformed.partialMessage() instanceof SipRequest request) || !answerable(request)
                || request.method().equals(Method.ACK)) {
            return null;
        }
        Status status = malformed.error().status();
        Via top = request.topVia();
        Via stamped = ReceivedStamp.apply(top, source);
        SipResponse.Builder b = SipResponse.builder(request, status.code())
                .status(Status.of(status.code(), reasonPhrase(status, malformed.error().reason())));
        if (stamped != top) {
            b.removeFirst(HeaderType.VIA).addFirst(HeaderType.VIA, stamped);
        }
        return b.build();
    }

    /** "Bad Request (missing Call-ID)": one line, bounded, the detail only when short. */
    static String reasonPhrase(Status status, String detail) {
        String base = status.reason();
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
