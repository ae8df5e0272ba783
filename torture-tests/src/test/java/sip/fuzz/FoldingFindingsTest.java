package sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.HeaderName;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;

/**
 * Minimal reproducers of what {@link RoundTripFuzzTest} found: a header value folded onto a
 * continuation line right after the colon. RFC 3261 §7.3.1 / §25.1: {@code HCOLON = *( SP / HTAB )
 * ":" SWS} and {@code SWS = [LWS]}, {@code LWS = [*WSP CRLF] 1*WSP}, so whitespace and a line
 * fold may stand between the colon and the value, and the value is what follows (folding becomes
 * one space, surrounding whitespace is not part of the value).
 */
class FoldingFindingsTest {

    private static final String HEAD = "OPTIONS sip:bob@example.com SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bKfold\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:alice@example.com>;tag=1\r\n"
        + "To: <sip:bob@example.com>\r\n"
        + "Call-ID: fold@example.com\r\n"
        + "CSeq: 1 OPTIONS\r\n";

    /** Separators between the colon and the value: plain, and with folds. */
    @ParameterizedTest
    @ValueSource(strings = {": ", ":\r\n ", ":\r\n\t", ":  \r\n\t ", " :\t\r\n  "})
    void foldedContentLengthIsAccepted(String colon) {
        byte[] wire = (HEAD + "Content-Length" + colon + "3\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII);
        SipMessage m = parse(wire);
        assertEquals(3, m.bodyLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {": ", ":\r\n ", ":\r\n\t", ":  \r\n\t ", " :\t\r\n  "})
    void foldedValueHasNoLeadingWhitespace(String colon) {
        byte[] wire = (HEAD + "X-Note" + colon + "hello world\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        assertEquals(Optional.of("hello world"), parse(wire).header(HeaderName.of("X-Note")));
    }

    private static SipMessage parse(byte[] wire) {
        ParseResult r = SipParser.strict().parse(wire);
        return assertInstanceOf(ParseResult.Parsed.class, r,
            () -> r + "\n" + new String(wire, StandardCharsets.US_ASCII)).message();
    }
}
