package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A request whose start line is bad still yields the headers needed to answer it. */
class BadStartLinePartialTest {

    private static final String HEADERS = "Via: SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bKabc\r\n"
            + "To: <sip:bob@example.org>\r\nFrom: <sip:alice@example.org>;tag=12\r\n"
            + "Call-ID: start-line@192.0.2.5\r\nCSeq: 7 %s\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "OPTIONS sip:bob@example.org SIP/7.0|OPTIONS|505",
        "INVITE <sip:bob@example.org> SIP/2.0|INVITE|400",
        "INVITE  sip:bob@example.org  SIP/2.0|INVITE|400",
        "'OPTIONS sip:bob@example.org SIP/2.0 '|OPTIONS|400"})
    void partialCarriesTheHeadersUnderAPlaceholderStartLine(String startLine, String method, int status) {
        byte[] wire = (startLine + "\r\n" + HEADERS.formatted(method)).getBytes(StandardCharsets.US_ASCII);
        ParseResult.Malformed m = assertInstanceOf(ParseResult.Malformed.class, SipParser.lenient().parse(wire));
        assertEquals(status, m.error().status().code());
        SipRequest partial = assertInstanceOf(SipRequest.class, m.partial().orElseThrow());
        assertEquals(method, partial.method().name());
        assertEquals("sip:invalid", partial.requestUri().toString());
        assertEquals("start-line@192.0.2.5", partial.callId());
        assertEquals("z9hG4bKabc", partial.topVia().branch());
        assertEquals(7, partial.cseq().sequence());
        assertEquals("12", partial.fromTag());
        SipResponse answer = SipResponse.forRequest(partial, status);
        assertEquals("start-line@192.0.2.5", answer.callId());
    }

    @Test
    void noPartialWithoutAReadableMethodOrForAResponse() {
        ParseResult r1 = SipParser.lenient().parse(("<bad> sip:x SIP/2.0\r\n" + HEADERS.formatted("INVITE"))
                .getBytes(StandardCharsets.US_ASCII));
        assertFalse(assertInstanceOf(ParseResult.Malformed.class, r1).partial().isPresent());
        ParseResult r2 = SipParser.lenient().parse(("SIP/2.0 4294967301 Big\r\n" + HEADERS.formatted("INVITE"))
                .getBytes(StandardCharsets.US_ASCII));
        assertFalse(assertInstanceOf(ParseResult.Malformed.class, r2).partial().isPresent());
    }

    @Test
    void streamFramerGivesTheSamePartial() {
        byte[] wire = ("OPTIONS sip:bob@example.org SIP/7.0\r\n" + HEADERS.formatted("OPTIONS"))
                .getBytes(StandardCharsets.US_ASCII);
        StreamFramer framer = SipParser.lenient().newStreamFramer();
        framer.feed(java.nio.ByteBuffer.wrap(wire));
        ParseResult r = framer.next();
        ParseResult.Malformed m = assertInstanceOf(ParseResult.Malformed.class, r);
        assertEquals(505, m.error().status().code());
        assertTrue(m.partial().isPresent());
    }
}
