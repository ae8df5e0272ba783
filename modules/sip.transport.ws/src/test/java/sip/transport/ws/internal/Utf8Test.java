package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.transport.ws.internal.FrameTestBytes.hex;
import static sip.transport.ws.internal.FrameTestBytes.utf8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {
            "", "41", "7F", "C2 80", "DF BF", "E0 A0 80", "E1 80 80", "EC BF BF", "ED 9F BF", "EE 80 80",
            "EF BF BF", "F0 90 80 80", "F1 80 80 80", "F3 BF BF BF", "F4 8F BF BF",
            "48 C3 A9 E2 82 AC F0 9F 98 80 21"})
    void valid(String bytes) {
        byte[] b = hex(bytes);
        assertTrue(Utf8.isValid(b, 0, b.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "80", "BF", "C0 80", "C1 BF", "C2", "C2 41", "C2 C0", "E0 80 80", "E0 9F BF", "ED A0 80",
            "ED BF BF", "E1 80", "F0 80 80 80", "F0 8F BF BF", "F4 90 80 80", "F5 80 80 80", "F8 88 80 80 80",
            "FE", "FF", "41 42 FF 43", "F0 90 80"})
    void invalid(String bytes) {
        byte[] b = hex(bytes);
        assertFalse(Utf8.isValid(b, 0, b.length));
    }

    @Test
    void rangesInsideALargerArray() {
        byte[] b = hex("FF 41 C3 A9 FF");
        assertTrue(Utf8.isValid(b, 1, 3));
        assertFalse(Utf8.isValid(b, 1, 2)); // ends inside é
        assertFalse(Utf8.isValid(b, 0, 4));
    }

    @Test
    void aBadByteAnywhereInALongAsciiRunIsFound() {
        // ASCII is skipped 8 bytes at a time: the bad byte must be seen at every alignment
        for (int at = 0; at < 40; at++) {
            for (int start = 0; start < 8; start++) {
                byte[] b = utf8("x".repeat(48));
                b[start + at] = (byte) 0xFF;
                assertFalse(Utf8.isValid(b, start, 40), "FF at " + at + ", start " + start);
                b[start + at] = (byte) 0xC3; // é = C3 A9
                b[start + at + 1] = (byte) 0xA9;
                assertTrue(Utf8.isValid(b, start, 41), "é at " + at + ", start " + start);
                assertFalse(Utf8.isValid(b, start, at + 1), "é cut at " + at + ", start " + start);
            }
        }
    }

    @Test
    void validatorAcceptsEverySplitOfValidText() {
        byte[] b = utf8("aé€😀z\u0800\uFFFD");
        for (int split = 0; split <= b.length; split++) {
            Utf8.Validator v = new Utf8.Validator();
            assertTrue(v.feed(b, 0, split), "split " + split);
            assertTrue(v.feed(b, split, b.length - split), "split " + split);
            assertTrue(v.isComplete(), "split " + split);
        }
    }

    @Test
    void validatorIsIncompleteInsideACodePoint() {
        byte[] b = hex("F0 9F 98 80");
        Utf8.Validator v = new Utf8.Validator();
        for (int i = 0; i < 3; i++) {
            assertTrue(v.feed(b, i, 1));
            assertFalse(v.isComplete());
        }
        assertTrue(v.feed(b, 3, 1));
        assertTrue(v.isComplete());
    }

    @Test
    void validatorFailsAtTheFirstBadByteAndStaysFailed() {
        Utf8.Validator v = new Utf8.Validator();
        assertTrue(v.feed(hex("E2 82"), 0, 2));
        assertFalse(v.feed(hex("41"), 0, 1)); // the third byte of € was expected
        assertFalse(v.feed(hex("41"), 0, 1));
        assertFalse(v.isComplete());
        v.reset();
        assertTrue(v.feed(hex("41"), 0, 1));
        assertTrue(v.isComplete());
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(6455);
        byte[] interesting = hex("00 41 7F 80 8F 90 9F A0 BF C0 C1 C2 DF E0 E1 EC ED EE EF F0 F1 F3 F4 F5 FF");
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(1, 24)];
            for (int i = 0; i < b.length; i++) {
                // mostly ASCII, as text is, so the 8-byte ASCII skip meets the odd byte anywhere
                b[i] = random.nextInt(4) == 0 ? interesting[random.nextInt(interesting.length)] : 0x61;
            }
            assertEquals(jdkAccepts(b), Utf8.isValid(b, 0, b.length), () -> java.util.HexFormat.of().formatHex(b));
            int split = random.nextInt(b.length + 1);
            Utf8.Validator v = new Utf8.Validator();
            boolean incremental = v.feed(b, 0, split) & v.feed(b, split, b.length - split) && v.isComplete();
            assertEquals(jdkAccepts(b), incremental, () -> java.util.HexFormat.of().formatHex(b) + " split " + split);
        }
    }

    /**
     * The eight-bytes-a-load ASCII skip: a non-ASCII byte at every position of ASCII runs of every
     * length around word sizes, at every offset into the array, is still seen.
     */
    @Test
    void nonAsciiIsFoundWhereverItSitsInALongAsciiRun() {
        byte[] bad = hex("FF");
        byte[] good = utf8("é");
        for (int offset = 0; offset < 9; offset++) {
            for (int len = 0; len <= 40; len++) {
                byte[] b = new byte[offset + len + 2];
                java.util.Arrays.fill(b, (byte) 'a');
                assertTrue(Utf8.isValid(b, offset, len), "ASCII only, offset " + offset + " len " + len);
                for (int at = 0; at < len; at++) {
                    byte[] withBad = b.clone();
                    withBad[offset + at] = bad[0];
                    assertFalse(Utf8.isValid(withBad, offset, len), "0xFF at " + at + " of " + len + " from " + offset);
                    if (at + 1 < len) {
                        byte[] withGood = b.clone();
                        System.arraycopy(good, 0, withGood, offset + at, 2);
                        assertTrue(Utf8.isValid(withGood, offset, len), "é at " + at + " of " + len + " from " + offset);
                        assertFalse(Utf8.isValid(withGood, offset, at + 1), "é cut at " + at + " from " + offset);
                    }
                }
                // The byte just past the range is never looked at.
                byte[] after = b.clone();
                after[offset + len] = bad[0];
                assertTrue(Utf8.isValid(after, offset, len), "0xFF just after, offset " + offset + " len " + len);
            }
        }
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
