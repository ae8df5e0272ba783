package sip.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamFramerTest {
    static final String A = "OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: one\r\nContent-Length: 5\r\n\r\nhello";
    static final String B = "SIP/2.0 200 OK\r\nCall-ID: two\r\nContent-Length: 0\r\n\r\n";
    static final SipParser LAZY = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();

    static List<String> drain(StreamFramer f) {
        List<String> out = new ArrayList<>();
        for (ParseResult r = f.next(); !(r instanceof ParseResult.NeedMore); r = f.next()) {
            switch (r) {
                case ParseResult.Parsed p -> out.add(p.message().header("Call-ID").orElse("?"));
                case ParseResult.KeepAlive k -> out.add(k.ping() ? "PING" : "PONG");
                case ParseResult.Malformed m -> {
                    out.add("MALFORMED " + m.error().status().code());
                    return out;
                }
                case ParseResult.NeedMore n -> throw new AssertionError();
            }
        }
        return out;
    }

    @Test
    void sameMessagesWhateverTheChunking() {
        byte[] stream = (A + "\r\n\r\n" + B + A + "\r\n" + B).getBytes(UTF_8);
        List<String> whole;
        {
            StreamFramer f = LAZY.newStreamFramer();
            f.feed(stream, 0, stream.length);
            whole = drain(f);
        }
        assertEquals(List.of("one", "PING", "two", "one", "two"), whole);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 300; trial++) {
            StreamFramer f = LAZY.newStreamFramer();
            List<String> got = new ArrayList<>();
            int pos = 0;
            while (pos < stream.length) {
                int n = Math.min(stream.length - pos, 1 + rnd.nextInt(40));
                f.feed(ByteBuffer.wrap(stream, pos, n));
                pos += n;
                got.addAll(drain(f));
            }
            got.removeIf(s -> s.equals("PONG")); // a split ping may read as pong + pong
            List<String> expected = new ArrayList<>(whole);
            expected.remove("PING");
            got.remove("PING");
            assertEquals(expected, got, "trial " + trial);
            assertEquals(0, f.buffered());
        }
    }

    @Test
    void hugeContentLengthIsRefusedBeforeTheBody() {
        StreamFramer f = LAZY.newStreamFramer();
        byte[] head = "INVITE sip:a@b SIP/2.0\r\nContent-Length: 2147483647\r\n\r\n".getBytes(UTF_8);
        f.feed(head, 0, head.length);
        ParseResult.Malformed m = assertInstanceOf(ParseResult.Malformed.class, f.next());
        assertEquals(413, m.error().status().code());
        assertTrue(f.buffered() <= head.length);
    }

    @Test
    void byteByByteFeedingFramesTheSameAndAGarbageStartLineIsRefusedAtItsEnd() {
        byte[] stream = (A + B).getBytes(UTF_8);
        StreamFramer f = LAZY.newStreamFramer();
        List<String> got = new ArrayList<>();
        for (byte b : stream) {
            f.feed(new byte[] {b}, 0, 1);
            got.addAll(drain(f));
        }
        assertEquals(List.of("one", "two"), got);
        StreamFramer g = LAZY.newStreamFramer();
        byte[] junk = "GET / HTTP/1.1\r\n".getBytes(UTF_8);
        g.feed(junk, 0, junk.length);
        assertEquals(400, assertInstanceOf(ParseResult.Malformed.class, g.next()).error().status().code(),
            "refused once its first line is in, before any empty line");
        g.feed(new byte[1 << 20], 0, 1 << 20);
        assertTrue(g.buffered() <= junk.length, "a broken stream keeps nothing more");
    }

    @Test
    void endlessHeaderSectionIsBounded() {
        StreamFramer f = SipParser.newBuilder().maxMessageSize(1024).build().newStreamFramer();
        byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(UTF_8);
        byte[] start = "INVITE sip:a@b SIP/2.0\r\n".getBytes(UTF_8);
        f.feed(start, 0, start.length);
        ParseResult r = f.next();
        for (int i = 0; i < 100 && r instanceof ParseResult.NeedMore; i++) {
            f.feed(line, 0, line.length);
            r = f.next();
        }
        assertEquals(413, assertInstanceOf(ParseResult.Malformed.class, r).error().status().code());
    }

    @Test
    void bodyArrivingAfterTheBufferIsCompactedStillFrames() {
        // 4 KiB initial buffer: the second message's head is read, then its large body forces
        // the buffer to compact and grow while the head is pending.
        String body = "x".repeat(6000);
        String big = "MESSAGE sip:a@example.com SIP/2.0\r\nCall-ID: big\r\nContent-Length: 6000\r\n\r\n";
        byte[] first = (A + big).getBytes(UTF_8);
        StreamFramer f = LAZY.newStreamFramer();
        f.feed(first, 0, first.length);
        assertEquals(List.of("one"), drain(f));
        byte[] rest = body.getBytes(UTF_8);
        f.feed(rest, 0, rest.length);
        SipMessage m = assertInstanceOf(ParseResult.Parsed.class, f.next()).message();
        assertEquals("big", m.header("Call-ID").orElseThrow());
        assertEquals(6000, m.bodyLength());
    }

    @Test
    void aHugeSingleFeedOfManyMessagesFramesThemAll() {
        // 17 MiB in one feed: the framer must move unread bytes down before positions outgrow
        // the 16 MiB its field index can hold.
        byte[] one = B.getBytes(UTF_8);
        int count = (17 << 20) / one.length;
        byte[] all = new byte[count * one.length];
        for (int i = 0; i < count; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        StreamFramer f = LAZY.newStreamFramer();
        f.feed(all, 0, all.length);
        int parsed = 0;
        for (ParseResult r = f.next(); !(r instanceof ParseResult.NeedMore); r = f.next()) {
            assertEquals("two", assertInstanceOf(ParseResult.Parsed.class, r).message().header("Call-ID").orElseThrow());
            parsed++;
        }
        assertEquals(count, parsed);
        assertEquals(0, f.buffered());
    }

    @Test
    void pongAndPing() {
        StreamFramer f = LAZY.newStreamFramer();
        f.feed(new byte[] {'\r', '\n'}, 0, 2);
        assertEquals(new ParseResult.KeepAlive(false), f.next());
        f.feed(new byte[] {'\r', '\n', '\r', '\n'}, 0, 4);
        assertEquals(new ParseResult.KeepAlive(true), f.next());
        assertInstanceOf(ParseResult.NeedMore.class, f.next());
        // a ping split over two reads: first seen as a pong, then completed as a ping
        f.feed(new byte[] {'\r', '\n'}, 0, 2);
        assertEquals(new ParseResult.KeepAlive(false), f.next());
        f.feed(new byte[] {'\r', '\n'}, 0, 2);
        assertEquals(new ParseResult.KeepAlive(true), f.next());
        assertEquals(0, f.buffered());
    }

    @Test
    void missingContentLengthOnStreamIsAViolation() {
        byte[] msg = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n".getBytes(UTF_8);
        StreamFramer lenient = LAZY.newStreamFramer();
        lenient.feed(msg, 0, msg.length);
        SipMessage m = assertInstanceOf(ParseResult.Parsed.class, lenient.next()).message();
        assertEquals(0, m.bodyLength());
        StreamFramer strict = SipParser.newBuilder().compliance(Compliance.STRICT).build().newStreamFramer();
        strict.feed(msg, 0, msg.length);
        ParseError e = assertInstanceOf(ParseResult.Malformed.class, strict.next()).error();
        assertEquals(400, e.status().code());
        assertEquals(Violation.STREAM_WITHOUT_CONTENT_LENGTH, e.rejected());
    }

    @Test
    void anInvalidButFramedMessageKeepsTheStreamWhileBrokenFramingEndsIt() {
        SipParser full = SipParser.lenient();
        String badCseq = "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: bad\r\nCSeq: one OPTIONS\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        StreamFramer f = full.newStreamFramer();
        byte[] in = (badCseq + badCseq.replace("CSeq: one", "CSeq: 1")).getBytes(UTF_8);
        f.feed(in, 0, in.length);
        assertInstanceOf(ParseResult.Malformed.class, f.next());
        assertEquals(false, f.framingLost(), "the bad CSeq message had a Content-Length: framing holds");
        assertInstanceOf(ParseResult.Parsed.class, f.next(), "the next message is still read");

        StreamFramer g = full.newStreamFramer();
        byte[] broken = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: x\r\n\r\n".getBytes(UTF_8);
        g.feed(broken, 0, broken.length);
        assertInstanceOf(ParseResult.Malformed.class, g.next());
        assertTrue(g.framingLost());
    }
}
