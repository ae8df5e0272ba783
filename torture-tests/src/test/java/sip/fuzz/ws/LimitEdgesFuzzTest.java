package sip.fuzz.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The size limits at their edges, which the other targets reach only now and then: a single
 * frame of exactly {@code maxFrameSize}, or a message in fragments of exactly the parser's
 * {@code maxMessageSize}, is delivered; one byte more closes with 1009 ({@link FrameExchange}'s
 * checks, against the model). Four cases, chosen by the low bits of the input's two bytes; the
 * four committed inputs hold the four combinations, so every build replays each case (the target
 * is a {@code @FuzzTest} rather than a plain test so that its sockets get Jazzer's loopback
 * permission the same way as the other targets').
 */
class LimitEdgesFuzzTest {

    @RegisterExtension
    static final WsBed bed = new WsBed();

    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void limitEdges(FuzzedDataProvider data) throws IOException {
        try (SilentCloseable loopback = WsBed.loopbackOnly(true)) {
            WsBed.warmUp();
            boolean fragmented = data.consumeBoolean();
            boolean over = data.consumeBoolean();
            String tag = FrameExchange.newTag();
            int limit = fragmented ? WsBed.MAX_MESSAGE : WsBed.MAX_FRAME;
            byte[] message = sized(tag, limit + (over ? 1 : 0));
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int piece = fragmented ? WsBed.MAX_FRAME : message.length;
            for (int off = 0; off < message.length; off += piece) {
                int end = Math.min(message.length, off + piece);
                int key = 0x01020304 * (off + 1);
                stream.writeBytes(FrameScript.header(end == message.length, 0,
                        off == 0 ? FrameScript.BINARY : FrameScript.CONTINUATION, true, key, end - off, 0));
                stream.writeBytes(FrameScript.mask(Arrays.copyOfRange(message, off, end), key));
            }
            List<String> delivered = FrameExchange.run(bed, stream.toByteArray(), tag, left -> 700, false);
            assertEquals(over ? 0 : 2, delivered.size(), "the message and the sentinel, when within the limit");
        }
    }

    /** A valid SIP request of exactly {@code size} bytes. */
    private static byte[] sized(String callId, int size) {
        int base = FrameScript.options(callId, new byte[0], 0).length + "X-Pad: \r\n".length();
        byte[] m = FrameScript.options(callId, new byte[0], size - base);
        assertEquals(size, m.length);
        return m;
    }
}
