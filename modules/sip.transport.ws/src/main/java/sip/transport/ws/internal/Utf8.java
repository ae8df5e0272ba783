package sip.transport.ws.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
 * as RFC 6455 §8.1 demands of text messages and close reasons. Whole buffers through
 * {@link #isValid}; a message arriving in fragments through a {@link Validator}, which fails at
 * the first byte that cannot start or continue a valid sequence and accepts a code point split
 * across chunks.
 */
final class Utf8 {

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** The state between code points; any other non-negative state is inside a sequence. */
    private static final int BOUNDARY = 0;
    /** Sticky: the bytes seen can no longer become valid UTF-8. */
    private static final int INVALID = -1;

    private Utf8() {}

    static boolean isValid(byte[] b, int off, int len) {
        return step(BOUNDARY, b, off, off + len) == BOUNDARY;
    }

    /**
     * Runs the bytes {@code b[from..to)} through the decoder state {@code state}. A state inside a
     * sequence packs the continuation bytes still needed (bits 16+) and the range the next one
     * must fall in (low bound in bits 8-15, high bound in bits 0-7): the first continuation byte
     * of E0, ED, F0 and F4 has a narrower range than 80..BF, which is how overlong forms,
     * surrogates and code points above U+10FFFF are refused.
     */
    private static int step(int state, byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (state == BOUNDARY) {
                // ASCII is the common case (all of SIP's text): skip it 8 bytes at a time.
                while (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                    i += 8;
                }
                while (i < to && b[i] >= 0) {
                    i++;
                }
                if (i == to) {
                    return BOUNDARY;
                }
                state = lead(b[i++] & 0xFF);
                if (state == INVALID) {
                    return INVALID;
                }
            } else {
                int c = b[i++] & 0xFF;
                int lo = (state >>> 8) & 0xFF;
                int hi = state & 0xFF;
                if (c < lo || c > hi) {
                    return INVALID;
                }
                int needed = (state >>> 16) - 1;
                state = needed == 0 ? BOUNDARY : sequence(needed, 0x80, 0xBF);
            }
        }
        return state;
    }

    /** The state after a non-ASCII lead byte. */
    private static int lead(int c) {
        if (c >= 0xC2 && c <= 0xDF) return sequence(1, 0x80, 0xBF);
        if (c == 0xE0) return sequence(2, 0xA0, 0xBF);          // no overlong 3-byte forms
        if (c == 0xED) return sequence(2, 0x80, 0x9F);          // no surrogates U+D800..DFFF
        if (c >= 0xE1 && c <= 0xEF) return sequence(2, 0x80, 0xBF);
        if (c == 0xF0) return sequence(3, 0x90, 0xBF);          // no overlong 4-byte forms
        if (c >= 0xF1 && c <= 0xF3) return sequence(3, 0x80, 0xBF);
        if (c == 0xF4) return sequence(3, 0x80, 0x8F);          // nothing above U+10FFFF
        return INVALID;                                         // 80..C1 (stray or overlong), F5..FF
    }

    private static int sequence(int needed, int lo, int hi) {
        return needed << 16 | lo << 8 | hi;
    }

    /**
     * Validates one text message fed in chunks (its fragments, or a frame's payload as it
     * arrives). Single-threaded; {@link #reset()} before the next message.
     */
    static final class Validator {
        private int state = BOUNDARY;

        /** Adds {@code b[off..off+len)}; false once the message can no longer be valid (sticky). */
        boolean feed(byte[] b, int off, int len) {
            if (state != INVALID) {
                state = step(state, b, off, off + len);
            }
            return state != INVALID;
        }

        /** True when everything fed is valid and ends on a code point boundary: a valid message. */
        boolean isComplete() {
            return state == BOUNDARY;
        }

        void reset() {
            state = BOUNDARY;
        }
    }
}
