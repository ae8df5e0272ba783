package sip.message.internal;

import java.nio.charset.StandardCharsets;
import sip.message.Method;
import sip.message.ParseError;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Status;
import sip.message.Uri;
import sip.message.Violation;

/** A request backed by its wire bytes. */
public final class WireRequest extends WireMessage implements SipRequest {
    private final int methodEnd;
    private final int uriStart;
    private final int uriEnd;
    private Method method;
    private Object uri; // Uri or ParseError, parsed on first access
    private String localTag;

    WireRequest(byte[] wire, int start, Method method, int methodEnd, int uriStart, int uriEnd,
                int[] idx, int count, int bodyStart, int bodyLength, ParseContext ctx,
                boolean canonical, Object[] cache, Uri uri) {
        super(wire, start, idx, count, bodyStart, bodyLength, ctx, canonical, cache);
        this.method = method;
        this.methodEnd = methodEnd;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
        this.uri = uri;
    }

    @Override
    public Method method() {
        Method m = method;
        if (m == null) {
            m = Method.of(new String(wire, start, methodEnd - start, StandardCharsets.ISO_8859_1));
            method = m;
        }
        return m;
    }

    @Override
    public Uri requestUri() {
        Object u = uri;
        if (u == null) {
            try {
                Uri parsed = UriParser.parse(wire, uriStart, uriEnd, ctx);
                if (parsed instanceof SipUri s && !s.headers().isEmpty()) {
                    ctx.tolerate(Violation.HEADERS_IN_REQUEST_URI,
                        new String(wire, uriStart, uriEnd - uriStart, StandardCharsets.UTF_8), uriStart);
                }
                u = parsed;
            } catch (ParseFailure f) {
                int pos = f.position() < 0 ? uriStart : f.position();
                u = new ParseError("malformed Request-URI: " + f.getMessage(), f.status(), 1, pos - start, null, f.violation());
            }
            uri = u;
        }
        if (u instanceof ParseError e) {
            throw new SipParseException(e);
        }
        return (Uri) u;
    }

    int uriStart() {
        return uriStart;
    }

    int uriEnd() {
        return uriEnd;
    }

    /** The tag this UAS gives every response to this request that needs one (§8.2.6.2). */
    synchronized String localTag() {
        if (localTag == null) {
            localTag = Builders.newTag();
        }
        return localTag;
    }

    @Override
    ParseError checkStartLine() {
        try {
            requestUri();
            return null;
        } catch (SipParseException e) {
            return e.error();
        }
    }

    @Override
    ParseError checkConsistency() {
        Method cseqMethod = cseq().method();
        if (!cseqMethod.equals(method())) {
            return new ParseError("CSeq method " + cseqMethod + " does not match the request method "
                + method() + " (RFC 3261 §8.1.1.5)", Status.BAD_REQUEST_400, 0, 0,
                sip.message.StandardHeader.CSEQ);
        }
        return null;
    }

    @Override
    public SipRequest.Builder toBuilder() {
        return Builders.copy(this);
    }

    @Override
    WireMessage rebuild() {
        return (WireMessage) Builders.copy(this).build(false);
    }

    Object cachedUri() {
        return uri;
    }
}
