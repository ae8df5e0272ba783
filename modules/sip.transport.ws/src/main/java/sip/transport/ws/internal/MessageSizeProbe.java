package sip.transport.ws.internal;

import java.nio.charset.StandardCharsets;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.StreamFramer;

/**
 * The largest message a {@link SipParser} accepts, which bounds a reassembled WebSocket message as
 * it bounds a TCP one. {@code SipParser} does not expose its {@code maxMessageSize}, so this asks
 * its stream framer, which refuses a head whose Content-Length takes the message past the limit
 * before any body arrives: a binary search over Content-Length on a tiny head, once per transport
 * (a few dozen framings of 50 bytes). Replace with an accessor when the parser gets one.
 */
final class MessageSizeProbe {

    /** The builder's ceiling for {@code maxMessageSize} (4 MiB). */
    private static final int CEILING = 4 * 1024 * 1024;
    private static final String HEAD = "OPTIONS sip:probe.invalid SIP/2.0\r\nContent-Length: ";

    private MessageSizeProbe() {
    }

    static int maxMessageSize(SipParser parser) {
        int low = 0; // the largest body known to fit (the empty one, for any parser worth having)
        int high = CEILING; // a body known, or assumed, too large
        while (high - low > 1) {
            int mid = low + (high - low) / 2;
            if (fits(parser, mid)) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return head(low).length + low;
    }

    private static boolean fits(SipParser parser, int bodyLength) {
        StreamFramer framer = parser.newStreamFramer();
        byte[] head = head(bodyLength);
        framer.feed(head, 0, head.length);
        return !(framer.next() instanceof ParseResult.Malformed);
    }

    private static byte[] head(int bodyLength) {
        return (HEAD + bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
