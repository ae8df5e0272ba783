package sip.message;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A SIP request or response. Immutable and safe to share between threads.
 *
 * <p>A parsed message keeps the bytes it was parsed from; typed header views are parsed on first
 * access and cached. Reading a typed view of a malformed header throws {@link SipParseException}
 * carrying the status to answer; {@link #validate()} checks every header at once instead.
 * Serializing copies every header that was not changed byte for byte from the original.
 */
public sealed interface SipMessage permits SipRequest, SipResponse {

    /** The protocol version of the start line, {@code "SIP/2.0"}. */
    String version();

    /** Every header field, in order. */
    List<HeaderField> headers();

    /** The value of the first field named {@code name}, if any. */
    Optional<String> header(HeaderName name);

    /** The value of the first field named {@code name} (any case, long or compact), if any. */
    default Optional<String> header(String name) {
        return header(HeaderName.of(name));
    }

    /** The values of every field named {@code name}, one per field, in order (not comma-split). */
    List<String> headerValues(HeaderName name);

    /** True when at least one field is named {@code name}. */
    boolean hasHeader(HeaderName name);

    /**
     * Every value of a typed header across all its fields, in order (comma-joined lists split).
     *
     * @throws SipParseException if a field is malformed
     */
    <T> List<T> all(HeaderType<T> type);

    /**
     * The first value of a typed header.
     *
     * @throws SipParseException if the first field is malformed
     */
    <T> Optional<T> first(HeaderType<T> type);

    /** All Via values, top first. */
    default List<Via> vias() {
        return all(HeaderType.VIA);
    }

    /**
     * The top Via.
     *
     * @throws SipParseException (400) if there is none or it is malformed
     */
    Via topVia();

    /** The From value. @throws SipParseException (400) if missing or malformed */
    NameAddress from();

    /** The To value. @throws SipParseException (400) if missing or malformed */
    NameAddress to();

    /**
     * The From tag, or null when From has none. Reads only the parameters when From was not
     * parsed yet (transaction and dialog matching need tags on every message), so with
     * {@link SipParser.Validation#LAZY} a malformed display name or URI in From shows only when
     * {@link #from()} is read. Whenever {@link #from()} succeeds, the two agree.
     *
     * @throws SipParseException (400) if From is missing or its parameters are malformed
     */
    String fromTag();

    /**
     * The To tag, or null when To has none; as {@link #fromTag()}.
     *
     * @throws SipParseException (400) if To is missing or its parameters are malformed
     */
    String toTag();

    /** The Call-ID. @throws SipParseException (400) if missing or malformed */
    String callId();

    /** The CSeq. @throws SipParseException (400) if missing or malformed */
    CSeq cseq();

    /** Max-Forwards, if present. @throws SipParseException (400) if malformed */
    OptionalInt maxForwards();

    /** All Contact values. @throws SipParseException (400) if malformed */
    default List<Contact> contacts() {
        return all(HeaderType.CONTACT);
    }

    /** The Content-Type, if present. */
    default Optional<ContentType> contentType() {
        return first(HeaderType.CONTENT_TYPE);
    }

    /** The body (a copy; empty when there is none). */
    byte[] body();

    /** The body's length in bytes; Content-Length on the wire always equals it. */
    int bodyLength();

    /**
     * Checks every header Parley has a typed view of, the mandatory headers (RFC 3261 §8.1.1) and
     * that the CSeq method is the request's method. The result is cached.
     *
     * @return the first problem found, or empty when the message is valid
     */
    Optional<ParseError> validate();

    /** The compliance violations tolerated while parsing this message so far. */
    Set<Violation> violations();

    /** The message in wire form. */
    byte[] toBytes();

    /** Writes the wire form to {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    /** The wire form decoded as UTF-8 (for logs and tests). */
    @Override
    String toString();
}
