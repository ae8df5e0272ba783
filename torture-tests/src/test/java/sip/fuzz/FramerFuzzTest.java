package sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.StreamFramer;
import sip.testkit.SipGenerators;

/**
 * Stream framing does not depend on how the stream is cut: a run of valid messages, with
 * optional CRLF keep-alives between them, fed to a {@link StreamFramer} in chunks of sizes the
 * fuzzer picks gives exactly the messages (and keep-alive bytes) that framing the whole buffer
 * at once gives, and those are the messages that parsing each one alone gives.
 *
 * <p>Keep-alives: a CRLF that is followed by a message in the buffer is a stray line end
 * (RFC 3261 §7.5), one that ends the buffer may be a pong, so how many pongs are reported depends
 * on the cut. The framer must never report more keep-alives than were sent, and on a whole
 * buffer it must report every CRLFCRLF ping as a ping.
 */
class FramerFuzzTest {

    private static final class Parsers {
        static final SipParser STRICT = SipParser.strict();
    }

    /** What a framer made of a stream: the messages' bytes and the keep-alives seen. */
    private record Framed(List<byte[]> messages, int pings, int pongs) {}

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void framingIgnoresChunkBoundaries(FuzzedDataProvider data) {
        SipGenerators g = new SipGenerators(new FuzzRandom(data));
        int count = data.consumeInt(1, 5);
        int[] gaps = new int[count];
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gaps[i] = data.consumeInt(0, 2);
            messages.add(switch (data.consumeInt(0, 3)) {
                case 0 -> g.request().toBytes();
                case 1 -> g.response().toBytes();
                case 2 -> g.requestBytes();
                default -> g.responseBytes();
            });
        }
        check(messages, gaps, bound -> data.remainingBytes() == 0 ? Integer.MAX_VALUE : data.consumeInt(1, bound));
    }

    /** The same property on seeded streams and chunk sizes, so a plain build covers it too. */
    @Test
    void framingIgnoresChunkBoundariesSeeded() {
        for (long seed = 0; seed < 150; seed++) {
            SipGenerators g = SipGenerators.withSeed(seed);
            SplittableRandom r = new SplittableRandom(seed);
            int count = 1 + r.nextInt(5);
            int[] gaps = new int[count];
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                gaps[i] = r.nextInt(3);
                messages.add(i % 2 == 0 ? g.requestBytes() : g.response().toBytes());
            }
            // Seeds cycle through one-byte chunks, small ones and large ones.
            int maxChunk = switch ((int) (seed % 3)) {
                case 0 -> 1;
                case 1 -> 17;
                default -> 700;
            };
            check(messages, gaps, bound -> 1 + r.nextInt(Math.min(bound, maxChunk)));
        }
    }

    /**
     * @param messages the messages' wire forms
     * @param gaps per message, the keep-alive before it: 0 none, 1 a CRLF pong, 2 a CRLFCRLF ping
     * @param chunkSize gives the next chunk size at most {@code bound}
     */
    private static void check(List<byte[]> messages, int[] gaps, IntUnaryOperator chunkSize) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int pings = 0;
        int pongs = 0;
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            byte[] keepAlive = switch (gaps[i]) {
                case 1 -> new byte[] {'\r', '\n'};
                case 2 -> new byte[] {'\r', '\n', '\r', '\n'};
                default -> new byte[0];
            };
            // A keep-alive only ever stands between messages (RFC 5626 §3.5.1), never first.
            if (i > 0) {
                stream.writeBytes(keepAlive);
                pings += gaps[i] == 2 ? 1 : 0;
                pongs += gaps[i] == 1 ? 1 : 0;
            }
            stream.writeBytes(messages.get(i));
            ParseResult alone = Parsers.STRICT.parse(messages.get(i).clone());
            SipMessage m = assertInstanceOf(ParseResult.Parsed.class, alone,
                () -> "a generated message does not parse alone: " + alone).message();
            expected.add(m.toBytes());
        }
        byte[] all = stream.toByteArray();

        StreamFramer whole = Parsers.STRICT.newStreamFramer();
        whole.feed(all, 0, all.length);
        Framed wholeResult = drain(whole, new Framed(new ArrayList<>(), 0, 0), all);
        assertEquals(0, whole.buffered(), "bytes left in the framer after whole messages");
        assertSameMessages(expected, wholeResult.messages(), all);
        assertEquals(pings, wholeResult.pings(), "pings reported, whole buffer");
        assertTrue(wholeResult.pongs() <= pongs, "more pongs reported than sent, whole buffer");

        StreamFramer chunked = Parsers.STRICT.newStreamFramer();
        Framed chunkedResult = new Framed(new ArrayList<>(), 0, 0);
        int off = 0;
        int chunkNo = 0;
        while (off < all.length) {
            int n = Math.min(all.length - off, chunkSize.applyAsInt(all.length - off));
            // Both feed methods, in turn.
            if (chunkNo++ % 2 == 0) {
                chunked.feed(all, off, n);
            } else {
                ByteBuffer b = ByteBuffer.allocate(n + 2).put(new byte[] {'?'}).put(all, off, n).put((byte) '?');
                b.position(1).limit(1 + n);
                chunked.feed(b);
                assertEquals(0, b.remaining(), "feed(ByteBuffer) must consume the buffer");
            }
            off += n;
            chunkedResult = drain(chunked, chunkedResult, all);
        }
        assertEquals(0, chunked.buffered(), "bytes left in the framer after whole messages, chunked");
        assertSameMessages(wholeResult.messages(), chunkedResult.messages(), all);
        // A ping cut after its first CRLF may be reported as a pong: count keep-alive bytes.
        assertTrue(4 * chunkedResult.pings() + 2 * chunkedResult.pongs() <= 4 * pings + 2 * pongs,
            "more keep-alive bytes reported than sent, chunked");
    }

    private static Framed drain(StreamFramer framer, Framed so, byte[] stream) {
        List<byte[]> out = so.messages();
        int pings = so.pings();
        int pongs = so.pongs();
        for (int guard = 0; ; guard++) {
            if (guard > stream.length + 10) {
                fail("next() never answered NeedMore");
            }
            ParseResult r = framer.next();
            switch (r) {
                case ParseResult.NeedMore n -> {
                    return new Framed(out, pings, pongs);
                }
                case ParseResult.Parsed(SipMessage m) -> out.add(m.toBytes());
                case ParseResult.KeepAlive(boolean ping) -> {
                    if (ping) {
                        pings++;
                    } else {
                        pongs++;
                    }
                }
                case ParseResult.Malformed m -> fail("valid stream framed as malformed: " + m.error() + "\n"
                    + ParserProperties.text(stream));
            }
        }
    }

    private static void assertSameMessages(List<byte[]> expected, List<byte[]> actual, byte[] stream) {
        assertEquals(expected.size(), actual.size(), () -> "message count\n" + ParserProperties.text(stream));
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "message " + i);
        }
    }
}
