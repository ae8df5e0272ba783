package sip.message.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sip.message.ParseResult;
import sip.message.SipParser;

/** A connection's framer gives back the memory one large message made it grow. */
class FramerBufferTest {

    private static byte[] message(String callId, int bodyLength) {
        String head = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP client.example.com;branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + bodyLength + "\r\n\r\n";
        return (head + "x".repeat(bodyLength)).getBytes(US_ASCII);
    }

    @Test
    void aBufferGrownByALargeMessageShrinksOnceDrained() {
        Framer framer = (Framer) SipParser.lenient().newStreamFramer();
        byte[] big = message("big", 40_000);
        framer.feed(big, 0, big.length);
        assertTrue(framer.capacity() >= big.length);
        ParseResult.Parsed parsed = assertInstanceOf(ParseResult.Parsed.class, framer.next());
        assertEquals(40_000, parsed.message().bodyLength(), "the message owns its bytes");
        assertEquals(4096, framer.capacity(), "drained: back to the initial buffer");

        byte[] small = message("small", 10);
        framer.feed(small, 0, small.length);
        assertEquals("small", assertInstanceOf(ParseResult.Parsed.class, framer.next()).message().callId());
        assertEquals("x".repeat(40_000), new String(parsed.message().body(), US_ASCII),
                "the large message is intact after the buffer was replaced and reused");
    }

    @Test
    void aBufferStillHoldingBytesIsNotShrunk() {
        Framer framer = (Framer) SipParser.lenient().newStreamFramer();
        byte[] big = message("big", 40_000);
        byte[] next = message("next", 5);
        byte[] both = new byte[big.length + 20];
        System.arraycopy(big, 0, both, 0, big.length);
        System.arraycopy(next, 0, both, big.length, 20); // the next message has begun
        framer.feed(both, 0, both.length);
        assertInstanceOf(ParseResult.Parsed.class, framer.next());
        assertTrue(framer.capacity() > 4096, "20 bytes of the next message are still buffered");
        framer.feed(next, 20, next.length - 20);
        assertEquals("next", assertInstanceOf(ParseResult.Parsed.class, framer.next()).message().callId());
        assertEquals(4096, framer.capacity());
    }
}
