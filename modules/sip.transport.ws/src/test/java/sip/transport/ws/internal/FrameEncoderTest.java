package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sip.transport.ws.internal.FrameTestBytes.binary;
import static sip.transport.ws.internal.FrameTestBytes.concat;
import static sip.transport.ws.internal.FrameTestBytes.counting;
import static sip.transport.ws.internal.FrameTestBytes.decode;
import static sip.transport.ws.internal.FrameTestBytes.hex;
import static sip.transport.ws.internal.FrameTestBytes.text;
import static sip.transport.ws.internal.FrameTestBytes.utf8;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameEncoderTest {

    /** Always hands out the RFC 6455 §5.7 masking key 37 fa 21 3d. */
    private static final RandomGenerator RFC_KEY = () -> 0x37fa213dL << 32;
    private static final RandomGenerator NO_KEYS = () -> {
        throw new AssertionError("an unmasked frame needs no key");
    };

    // RFC 6455 §5.7, byte for byte

    @Test
    void unmaskedText() {
        assertArrayEquals(hex("81 05 48 65 6c 6c 6f"), FrameEncoder.frame(FrameEncoder.TEXT, utf8("Hello"), false, NO_KEYS));
    }

    @Test
    void maskedText() {
        assertArrayEquals(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
                FrameEncoder.frame(FrameEncoder.TEXT, utf8("Hello"), true, RFC_KEY));
    }

    @Test
    void fragmentedUnmaskedText() {
        byte[] first = new byte[5];
        assertEquals(2, FrameEncoder.writeHeader(first, 0, FrameEncoder.TEXT, false, 3, false, 0));
        System.arraycopy(utf8("Hel"), 0, first, 2, 3);
        byte[] last = new byte[4];
        assertEquals(2, FrameEncoder.writeHeader(last, 0, FrameEncoder.CONTINUATION, true, 2, false, 0));
        System.arraycopy(utf8("lo"), 0, last, 2, 2);
        assertArrayEquals(hex("01 03 48 65 6c  80 02 6c 6f"), concat(first, last));
    }

    @Test
    void pingAndMaskedPong() {
        assertArrayEquals(hex("89 05 48 65 6c 6c 6f"), FrameEncoder.frame(FrameEncoder.PING, utf8("Hello"), false, NO_KEYS));
        assertArrayEquals(hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"),
                FrameEncoder.frame(FrameEncoder.PONG, utf8("Hello"), true, RFC_KEY));
    }

    @Test
    void lengthEncodings() {
        byte[] header = new byte[14];
        assertEquals(4, FrameEncoder.writeHeader(header, 0, FrameEncoder.BINARY, true, 256, false, 0));
        assertArrayEquals(hex("82 7E 0100"), Arrays.copyOf(header, 4));
        assertEquals(10, FrameEncoder.writeHeader(header, 0, FrameEncoder.BINARY, true, 65536, false, 0));
        assertArrayEquals(hex("82 7F 0000000000010000"), Arrays.copyOf(header, 10));
        assertEquals(14, FrameEncoder.writeHeader(header, 0, FrameEncoder.BINARY, true, 65536, true, 0x01020304));
        assertArrayEquals(hex("82 FF 0000000000010000 01020304"), header);
        assertEquals(8, FrameEncoder.writeHeader(header, 3, FrameEncoder.TEXT, false, 65535, true, 0xAABBCCDD));
        assertArrayEquals(hex("01 FE FFFF AABBCCDD"), Arrays.copyOfRange(header, 3, 11));
    }

    @Test
    void headerLengths() {
        assertEquals(2, FrameEncoder.headerLength(0, false));
        assertEquals(2, FrameEncoder.headerLength(125, false));
        assertEquals(4, FrameEncoder.headerLength(126, false));
        assertEquals(4, FrameEncoder.headerLength(65535, false));
        assertEquals(10, FrameEncoder.headerLength(65536, false));
        assertEquals(6, FrameEncoder.headerLength(0, true));
        assertEquals(14, FrameEncoder.headerLength(Integer.MAX_VALUE, true));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.headerLength(-1, false));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.frame(FrameEncoder.PING, new byte[126], false, NO_KEYS));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.writeHeader(new byte[14], 0, 16, true, 0, false, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> FrameEncoder.writeHeader(new byte[3], 0, 1, true, 126, false, 0));
    }

    // masking

    /** The RFC's definition, byte by byte. */
    private static byte[] maskedByTheBook(byte[] payload, int key) {
        byte[] out = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            out[i] = (byte) (payload[i] ^ (key >>> (24 - 8 * (i % 4))));
        }
        return out;
    }

    @Test
    void maskMatchesTheDefinitionForEveryLengthAndOffset() {
        int key = 0x9E3779B9;
        for (int len = 0; len <= 40; len++) {
            byte[] payload = counting(len);
            for (int offset = 0; offset < 9; offset++) {
                byte[] src = new byte[offset + len];
                System.arraycopy(payload, 0, src, offset, len);
                byte[] dst = new byte[len + 3];
                FrameEncoder.mask(src, offset, dst, 3, len, key, 0);
                assertArrayEquals(maskedByTheBook(payload, key), Arrays.copyOfRange(dst, 3, 3 + len),
                        "length " + len + ", offset " + offset);
            }
        }
    }

    @Test
    void maskInChunksWithThePositionEqualsMaskingAtOnce() {
        int key = 0xCAFEBABE;
        byte[] payload = counting(101);
        byte[] expected = maskedByTheBook(payload, key);
        for (int split = 0; split <= payload.length; split++) {
            for (int second = split; second <= payload.length; second += 7) {
                byte[] out = new byte[payload.length];
                FrameEncoder.mask(payload, 0, out, 0, split, key, 0);
                FrameEncoder.mask(payload, split, out, split, second - split, key, split);
                FrameEncoder.mask(payload, second, out, second, payload.length - second, key, second);
                assertArrayEquals(expected, out, "chunks at " + split + " and " + second);
            }
        }
    }

    @Test
    void maskInPlaceTwiceGivesBackThePayload() {
        byte[] payload = counting(77);
        byte[] work = payload.clone();
        FrameEncoder.mask(work, 0, work, 0, work.length, 0x12345678, 5);
        // at payload position 5, byte 0 takes key byte 1 (5 mod 4): the key 34 56 78 12
        assertArrayEquals(maskedByTheBook(payload, 0x34567812), work);
        FrameEncoder.mask(work, 0, work, 0, work.length, 0x12345678, 5);
        assertArrayEquals(payload, work);
    }

    @Test
    void frameDoesNotChangeTheCallersPayload() {
        byte[] payload = utf8("Hello");
        FrameEncoder.frame(FrameEncoder.TEXT, payload, true, RFC_KEY);
        assertArrayEquals(utf8("Hello"), payload);
    }

    // close frames

    @Test
    void closeFrames() {
        assertArrayEquals(hex("88 00"), FrameEncoder.closeFrame(1005, "ignored", false, NO_KEYS));
        assertArrayEquals(hex("88 02 03E8"), FrameEncoder.closeFrame(1000, "", false, NO_KEYS));
        assertArrayEquals(concat(hex("88 05 03EA"), utf8("bad")), FrameEncoder.closeFrame(1002, "bad", false, NO_KEYS));
        assertArrayEquals(concat(hex("88 85 37fa213d"), maskedByTheBook(concat(hex("03F1"), utf8("big")), 0x37fa213d)),
                FrameEncoder.closeFrame(1009, "big", true, RFC_KEY));
    }

    @ParameterizedTest
    @ValueSource(ints = {999, 1004, 1006, 1015, 2000, 5000})
    void closeCodesThatMayNotBeSentAreRefused(int code) {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.closeFrame(code, "", false, NO_KEYS));
    }

    @Test
    void aLongCloseReasonIsCutAtACodePoint() {
        String reason = "é".repeat(70); // 140 bytes, 123 fit: 61 whole é (122 bytes)
        byte[] frame = FrameEncoder.closeFrame(1001, reason, false, NO_KEYS);
        assertEquals(2 + 2 + 122, frame.length);
        assertEquals(List.of(new WsEvent.Close(1001, "é".repeat(61))),
                decode(new FrameDecoder(Role.CLIENT, 1000, 1000), frame));
        assertEquals(2 + 2 + 123, FrameEncoder.closeFrame(1001, "a".repeat(200), false, NO_KEYS).length);
    }

    // decode(encode(x))

    private static FrameDecoder receiverOf(Role sender) {
        return new FrameDecoder(sender == Role.CLIENT ? Role.SERVER : Role.CLIENT, 1 << 17, 1 << 17);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void dataRoundTrips(Role sender) {
        SplittableRandom random = new SplittableRandom(8);
        for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536, 70_000}) {
            byte[] payload = counting(length);
            byte[] frame = FrameEncoder.frame(FrameEncoder.BINARY, payload, sender.sendsMaskedFrames(), random);
            assertEquals(FrameEncoder.headerLength(length, sender.sendsMaskedFrames()) + length, frame.length);
            assertEquals(List.of(binary(payload)), decode(receiverOf(sender), frame), "binary " + length);

            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            frame = FrameEncoder.frame(FrameEncoder.TEXT, utf8(text), sender.sendsMaskedFrames(), random);
            assertEquals(List.of(text(text)), decode(receiverOf(sender), frame), "text " + length);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void controlRoundTrips(Role sender) {
        SplittableRandom random = new SplittableRandom(9);
        boolean masked = sender.sendsMaskedFrames();
        for (int length : new int[] {0, 1, 125}) {
            byte[] payload = counting(length);
            assertEquals(List.of(new WsEvent.Ping(payload)),
                    decode(receiverOf(sender), FrameEncoder.frame(FrameEncoder.PING, payload, masked, random)));
            assertEquals(List.of(new WsEvent.Pong(payload)),
                    decode(receiverOf(sender), FrameEncoder.frame(FrameEncoder.PONG, payload, masked, random)));
        }
        assertEquals(List.of(new WsEvent.Close(1005, "")),
                decode(receiverOf(sender), FrameEncoder.closeFrame(1005, "", masked, random)));
        assertEquals(List.of(new WsEvent.Close(1001, "idle")),
                decode(receiverOf(sender), FrameEncoder.closeFrame(1001, "idle", masked, random)));
        String longest = "z".repeat(123);
        assertEquals(List.of(new WsEvent.Close(4000, longest)),
                decode(receiverOf(sender), FrameEncoder.closeFrame(4000, longest, masked, random)));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void fragmentedRoundTripWrittenInChunks(Role sender) {
        // how a connection could write a big message: header, then the payload masked in chunks
        boolean masked = sender.sendsMaskedFrames();
        byte[] message = utf8("INVITE sip:bob@example.com SIP/2.0\r\n".repeat(50));
        int key = 0x5EED1234;
        byte[] out = new byte[2 * FrameEncoder.MAX_HEADER_LENGTH + message.length];
        int half = message.length / 2 + 1;
        int at = FrameEncoder.writeHeader(out, 0, FrameEncoder.TEXT, false, half, masked, key);
        at = writePayload(out, at, message, 0, half, masked, key);
        at += FrameEncoder.writeHeader(out, at, FrameEncoder.CONTINUATION, true, message.length - half, masked, ~key);
        at = writePayload(out, at, message, half, message.length - half, masked, ~key);
        assertEquals(List.of(new WsEvent.Message(message, true)),
                decode(receiverOf(sender), Arrays.copyOf(out, at)));
    }

    private static int writePayload(byte[] out, int at, byte[] src, int off, int len, boolean masked, int key) {
        for (int done = 0; done < len; done += 17) {
            int chunk = Math.min(17, len - done);
            if (masked) {
                FrameEncoder.mask(src, off + done, out, at + done, chunk, key, done);
            } else {
                System.arraycopy(src, off + done, out, at + done, chunk);
            }
        }
        return at + len;
    }
}
