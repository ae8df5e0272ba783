package sip.bench;

import java.nio.charset.StandardCharsets;

/**
 * The INVITE every benchmark parses, and the values the benchmarks read back from it. One shared
 * fixture so that the parse and serialize benchmarks, and Parley and JAIN-SIP, see the very same
 * bytes.
 */
final class Invite {
    private Invite() {}

    static final String BRANCH = "z9hG4bK776asdhds";
    static final long CSEQ = 1;
    static final String CALL_ID = "a84b4c76e66710@pc33.atlanta.example.com";
    static final String FROM_TAG = "1928301774";
    static final int MAX_FORWARDS = 70;

    /** 7 SDP lines, CRLF-terminated; exactly 129 bytes, checked below. */
    static final String SDP = """
        v=0\r
        o=- 2890844526 2890844526 IN IP4 192.0.2.10\r
        s=-\r
        c=IN IP4 192.0.2.10\r
        t=0 0\r
        m=audio 8000 RTP/AVP 0\r
        a=rtpmap:0 PCMU/8000\r
        """;

    static final int CONTENT_LENGTH = 129;

    // Max-Forwards is not in the brief's header list but RFC 3261 §8.1.1 makes it mandatory (FULL
    // validation would reject the INVITE without it) and the proxy benchmark decrements it.
    static final String TEXT = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=" + BRANCH + "\r\n"
        + "Max-Forwards: " + MAX_FORWARDS + "\r\n"
        + "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=" + FROM_TAG + "\r\n"
        + "To: \"Bob\" <sip:bob@biloxi.example.com>\r\n"
        + "Call-ID: " + CALL_ID + "\r\n"
        + "CSeq: " + CSEQ + " INVITE\r\n"
        + "Contact: <sip:alice@pc33.atlanta.example.com:5060>\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: " + CONTENT_LENGTH + "\r\n"
        + "\r\n"
        + SDP;

    static {
        // A static check, not `assert`: assertions are off in JMH forks, and a wrong
        // Content-Length would make every parser measure a truncated or rejected message.
        int bodyBytes = SDP.getBytes(StandardCharsets.US_ASCII).length;
        long lines = SDP.lines().count();
        if (bodyBytes != CONTENT_LENGTH || lines != 7) {
            throw new IllegalStateException(
                "SDP is " + bodyBytes + " bytes in " + lines + " lines; Content-Length says " + CONTENT_LENGTH);
        }
    }

    /** A fresh copy per benchmark state; the parsers keep (Parley) or read the array, never write it. */
    static byte[] bytes() {
        return TEXT.getBytes(StandardCharsets.US_ASCII);
    }

    /** Fails the trial setup (not the measurement) when a parser reads something else. */
    static void check(String who, String branch, long cseq, String callId, String fromTag) {
        if (!BRANCH.equals(branch) || cseq != CSEQ || !CALL_ID.equals(callId) || !FROM_TAG.equals(fromTag)) {
            throw new IllegalStateException(who + " read branch=" + branch + " cseq=" + cseq
                + " callId=" + callId + " fromTag=" + fromTag);
        }
    }
}
