package sip.message;

/**
 * Thrown by the API's parse methods for single values ({@link Uri#parse}, a typed header read
 * lazily from a message, ...) when the text is malformed. Carries the {@link ParseError} with the
 * SIP status to answer. The message parser itself never throws: it returns
 * {@link ParseResult.Malformed}.
 */
public class SipParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ParseError error;

    public SipParseException(ParseError error) {
        super(error.toString());
        this.error = error;
    }

    public ParseError error() {
        return error;
    }

    /** The status a UAS answers with. */
    public Status status() {
        return error.status();
    }
}
