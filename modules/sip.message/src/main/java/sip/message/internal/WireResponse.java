package sip.message.internal;

import java.nio.charset.StandardCharsets;
import sip.message.ParseError;
import sip.message.SipResponse;
import sip.message.Status;

/** A response backed by its wire bytes. */
public final class WireResponse extends WireMessage implements SipResponse {
    private final int code;
    private final int reasonStart;
    private final int reasonEnd;
    private Status status;

    WireResponse(byte[] wire, int start, int code, int reasonStart, int reasonEnd, int[] idx,
                 int count, int bodyStart, int bodyLength, ParseContext ctx, boolean canonical,
                 Object[] cache, Status status) {
        super(wire, start, idx, count, bodyStart, bodyLength, ctx, canonical, cache);
        this.code = code;
        this.reasonStart = reasonStart;
        this.reasonEnd = reasonEnd;
        this.status = status;
    }

    @Override
    public Status status() {
        Status s = status;
        if (s == null) {
            s = Status.of(code, new String(wire, reasonStart, reasonEnd - reasonStart, StandardCharsets.UTF_8));
            status = s;
        }
        return s;
    }

    @Override
    public int statusCode() {
        return code;
    }

    @Override
    ParseError checkStartLine() {
        return null;
    }

    @Override
    ParseError checkConsistency() {
        return null;
    }

    @Override
    public SipResponse.Builder toBuilder() {
        return Builders.copy(this);
    }

    @Override
    WireMessage rebuild() {
        return (WireMessage) Builders.copy(this).build();
    }
}
