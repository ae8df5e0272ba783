package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A request repeating a single-value header keeps every field in its partial, to be answered. */
class RepeatedHeaderPartialTest {

    @Test
    void thePartialHoldsTheFieldsAfterTheRepeatAndTheAnswerTakesTheFirstOfEach() {
        String wire = "INVITE sip:user@company.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw\r\n"
                + "CSeq: 5 INVITE\r\nCall-ID: multi@192.0.2.1\r\nCSeq: 59 INVITE\r\nCall-ID: multi@192.0.2.2\r\n"
                + "From: sip:caller@example.com;tag=3413415\r\nTo: sip:user@example.com\r\n"
                + "To: sip:other@example.net\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        ParseResult.Malformed m = assertInstanceOf(ParseResult.Malformed.class,
                SipParser.lenient().parse(wire.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("more than one CSeq header field", m.error().reason());
        SipRequest partial = assertInstanceOf(SipRequest.class, m.partial().orElseThrow());
        assertEquals(2, partial.headerValues(StandardHeader.TO).size());
        SipResponse answer = SipResponse.forRequest(partial, 400);
        assertEquals(1, answer.headerValues(StandardHeader.TO).size());
        assertEquals(1, answer.headerValues(StandardHeader.CSEQ).size());
        assertEquals("5 INVITE", answer.header(StandardHeader.CSEQ).orElseThrow());
        assertEquals("multi@192.0.2.1", answer.header(StandardHeader.CALL_ID).orElseThrow());
        assertEquals("sip:user@example.com", answer.to().uri().toString());
        assertNotNull(answer.toTag(), "a final response carries a To tag (RFC 3261 §8.2.6.2)");
    }
}
