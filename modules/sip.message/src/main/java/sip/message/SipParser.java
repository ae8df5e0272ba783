package sip.message;

/**
 * Parses SIP messages from bytes. Thread-safe; one instance serves every connection.
 *
 * <pre>{@code
 * SipParser parser = SipParser.newBuilder().compliance(Compliance.STRICT).build();
 * switch (parser.parse(datagram)) {
 *     case ParseResult.Parsed(SipMessage m) -> handle(m);
 *     case ParseResult.Malformed m -> answer(m.error().status(), m.partial());
 *     default -> {}
 * }
 * }</pre>
 *
 * <p>The first pass checks the start line, indexes header names and value spans over the input
 * and reads Content-Length; typed values are parsed on first access. With
 * {@link Validation#FULL} (the default) the parser then validates every typed header, so a
 * {@link ParseResult.Parsed} message is known good; with {@link Validation#LAZY} it stops after
 * the first pass and a malformed header only shows when read (or on {@link SipMessage#validate()}).
 */
public interface SipParser {

    /** How much checking {@link #parse} does before returning {@link ParseResult.Parsed}. */
    enum Validation {
        /** Start line, header structure and Content-Length only; typed headers when first read. */
        LAZY,
        /** Everything {@link SipMessage#validate()} checks. */
        FULL
    }

    /** A parser with every default (lenient, full validation, 64 KiB messages). */
    static SipParser lenient() {
        return newBuilder().build();
    }

    /** A parser that tolerates no violation. */
    static SipParser strict() {
        return newBuilder().compliance(Compliance.STRICT).build();
    }

    static Builder newBuilder() {
        return new sip.message.internal.ParserBuilder();
    }

    /**
     * Parses one datagram: one message; octets after the body that Content-Length delimits are
     * ignored (RFC 3261 §18.3). The parser keeps {@code datagram}: do not modify it afterwards.
     * A missing Content-Length means the body runs to the end of the datagram.
     */
    ParseResult parse(byte[] datagram);

    /** Parses {@code len} bytes of {@code b} from {@code off} (copied) as one datagram. */
    ParseResult parse(byte[] b, int off, int len);

    /** A framer for one stream connection, sharing this parser's settings. */
    StreamFramer newStreamFramer();

    Compliance compliance();

    /**
     * The largest message this parser accepts, in bytes, start line to end of body
     * ({@link Builder#maxMessageSize}; default 65,536): a larger one is
     * {@link ParseResult.Malformed} with 413. A transport that reassembles messages itself
     * (WebSocket, from fragments) bounds them by it before parsing.
     */
    int maxMessageSize();

    /** Builds a {@link SipParser}. Each default is given once, here. */
    interface Builder {
        /** Default {@link Compliance#LENIENT}. */
        Builder compliance(Compliance compliance);

        /** Default {@link ComplianceListener#NONE}. */
        Builder listener(ComplianceListener listener);

        /** Default {@link Validation#FULL}. */
        Builder validation(Validation validation);

        /** Maximum message size in bytes, start line to end of body: 64 to 4 MiB. Default 65,536. */
        Builder maxMessageSize(int bytes);

        /** Maximum header fields. Default 256. */
        Builder maxHeaderCount(int count);

        /** Maximum length of the start line or one header field. Default 8,192. */
        Builder maxLineLength(int bytes);

        SipParser build();
    }
}
