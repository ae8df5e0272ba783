package sip.transport.udp.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * SIP messages as the bytes of one datagram, from string literals, optionally padded with a body
 * to an exact size. The Call-ID is {@code <id>@example.com}, so a test can tell them apart.
 */
final class Datagrams {

    private Datagrams() {
    }

    /** A small OPTIONS request. */
    static byte[] request(String id) {
        return request(id, 0);
    }

    /** An OPTIONS request of exactly {@code size} bytes; 0 for no body. */
    static byte[] request(String id, int size) {
        return message("OPTIONS sip:bob@example.com SIP/2.0\r\n", id, "", size);
    }

    /** A 200 response to {@link #request} of exactly {@code size} bytes; 0 for no body. */
    static byte[] response(String id, int size) {
        return message("SIP/2.0 200 OK\r\n", id, ";tag=b0b", size);
    }

    /** A request whose Content-Length promises more than the datagram holds: 400, with a partial. */
    static byte[] truncatedRequest(String id) {
        return (head("OPTIONS sip:bob@example.com SIP/2.0\r\n", id, "")
                + "Content-Length: 999\r\n\r\nshort body").getBytes(US_ASCII);
    }

    /** A STUN binding request header (RFC 5389 §6): type 0x0001, length 0, magic cookie, id. */
    static byte[] stunBindingRequest() {
        return new byte[] {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, (byte) 0xA4, 0x42,
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    }

    private static byte[] message(String startLine, String id, String toTag, int size) {
        String head = head(startLine, id, toTag);
        if (size == 0) {
            return (head + "Content-Length: 0\r\n\r\n").getBytes(US_ASCII);
        }
        head += "Content-Type: text/plain\r\n";
        for (int digits = 1; digits <= 6; digits++) {
            int body = size - head.length() - "Content-Length: \r\n\r\n".length() - digits;
            if (body >= 0 && Integer.toString(body).length() == digits) {
                byte[] bytes = (head + "Content-Length: " + body + "\r\n\r\n" + "x".repeat(body))
                        .getBytes(US_ASCII);
                if (bytes.length != size) {
                    throw new AssertionError("padding arithmetic: " + bytes.length + " != " + size);
                }
                return bytes;
            }
        }
        throw new IllegalArgumentException("cannot make a message of " + size + " bytes");
    }

    private static String head(String startLine, String id, String toTag) {
        return startLine
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-" + id + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a11ce\r\n"
                + "To: <sip:bob@example.com>" + toTag + "\r\n"
                + "Call-ID: " + id + "@example.com\r\n"
                + "CSeq: 1 OPTIONS\r\n";
    }
}
