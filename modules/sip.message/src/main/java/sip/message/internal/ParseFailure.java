package sip.message.internal;

import sip.message.HeaderName;
import sip.message.ParseError;
import sip.message.Status;

/**
 * Unwinds a value parser to the point that turns it into a {@link ParseError}. Internal only and
 * never on the happy path; it has no stack trace, so throwing it is cheap.
 */
public final class ParseFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Status status;
    private final int position;
    private transient HeaderName header;
    private transient sip.message.Violation violation;

    public ParseFailure(String reason, Status status, int position) {
        super(reason, null, false, false);
        this.status = status;
        this.position = position;
    }

    public ParseFailure(String reason, int position) {
        this(reason, Status.BAD_REQUEST_400, position);
    }

    public Status status() {
        return status;
    }

    /** Byte position in the buffer being parsed, or -1. */
    public int position() {
        return position;
    }

    /** Marks this failure as the rejection of {@code v} by the compliance profile. */
    public ParseFailure rejecting(sip.message.Violation v) {
        this.violation = v;
        return this;
    }

    public sip.message.Violation violation() {
        return violation;
    }

    public HeaderName header() {
        return header;
    }

    public ParseFailure inHeader(HeaderName h) {
        if (header == null) {
            header = h;
        }
        return this;
    }

    /** The error, with line/offset computed by the caller. */
    public ParseError toError(int line, int offset) {
        return new ParseError(getMessage(), status, line, offset, header, violation);
    }
}
