package sip.transport.tcp;

import java.nio.charset.StandardCharsets;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;

/** SIP messages as the bytes a peer writes. */
final class TestMessages {

    private TestMessages() {
    }

    /** An OPTIONS request with no body. */
    static byte[] options(String callId) {
        return request("OPTIONS", callId, "");
    }

    /** A MESSAGE request carrying {@code body} as text/plain. */
    static byte[] message(String callId, String body) {
        return request("MESSAGE", callId, body);
    }

    /** The head of an INVITE declaring a body of {@code contentLength} bytes, without the body. */
    static byte[] inviteHead(String callId, int contentLength) {
        return head("INVITE", callId, contentLength, "application/sdp").getBytes(StandardCharsets.UTF_8);
    }

    static SipRequest parsed(byte[] bytes) {
        return (SipRequest) ((ParseResult.Parsed) SipParser.lenient().parse(bytes)).message();
    }

    private static byte[] request(String method, String callId, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = head(method, callId, b.length, b.length > 0 ? "text/plain" : null);
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }

    private static String head(String method, String callId, int contentLength, String contentType) {
        return method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + (contentType != null ? "Content-Type: " + contentType + "\r\n" : "")
                + "Content-Length: " + contentLength + "\r\n"
                + "\r\n";
    }
}
