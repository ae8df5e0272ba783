package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;

/** Requests and responses from text ({@code \n} line ends become CRLF). */
final class Messages {
    private Messages() {
    }

    static SipRequest request(String text) {
        return assertInstanceOf(SipRequest.class, parsed(text, SipParser.lenient()));
    }

    /** Parsed without FULL validation: what a typed header says shows only when it is read. */
    static SipRequest lazyRequest(String text) {
        return assertInstanceOf(SipRequest.class,
                parsed(text, SipParser.newBuilder().validation(SipParser.Validation.LAZY).build()));
    }

    static SipResponse response(String text) {
        return assertInstanceOf(SipResponse.class, parsed(text, SipParser.lenient()));
    }

    private static Object parsed(String text, SipParser parser) {
        byte[] b = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        ParseResult r = parser.parse(b);
        return assertInstanceOf(ParseResult.Parsed.class, r, () -> "does not parse: " + r).message();
    }

    /** A valid request with {@code method} and extra header lines (each ending in \n). */
    static SipRequest request(String method, String extraHeaders, String body) {
        return request(method + " sip:bob@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-test\n"
                + "From: <sip:alice@example.com>;tag=a1\n"
                + "To: <sip:bob@example.com>\n"
                + "Call-ID: test-call@192.0.2.1\n"
                + "CSeq: 1 " + method + "\n"
                + "Max-Forwards: 70\n"
                + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\n\n"
                + body);
    }
}
