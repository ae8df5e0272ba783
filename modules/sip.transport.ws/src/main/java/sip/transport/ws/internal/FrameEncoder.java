package sip.transport.ws.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes RFC 6455 §5.2 frames: the header ({@link #headerLength}, {@link #writeHeader}) and the
 * payload masking ({@link #mask}, usable chunk by chunk); {@link #frame} and {@link #closeFrame}
 * build whole frames for control frames and tests. Stateless; every method is thread-safe.
 */
final class FrameEncoder {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** The largest payload of a control frame (RFC 6455 §5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** The longest frame header: 2 bytes, a 64-bit length, a masking key. */
    static final int MAX_HEADER_LENGTH = 14;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private FrameEncoder() {}

    /** Bytes of the header of a frame carrying {@code payloadLength} bytes. */
    static int headerLength(int payloadLength, boolean masked) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
        int length = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /**
     * Writes a frame header at {@code dst[off]} with the shortest length encoding and, when
     * {@code masked}, the masking key {@code maskKey} (big-endian: its high byte masks payload
     * byte 0). Returns the bytes written, {@link #headerLength}.
     */
    static int writeHeader(byte[] dst, int off, int opcode, boolean fin, int payloadLength,
                           boolean masked, int maskKey) {
        if ((opcode & ~0xF) != 0) {
            throw new IllegalArgumentException("opcode " + opcode);
        }
        int length = headerLength(payloadLength, masked);
        Objects.checkFromIndexSize(off, length, dst.length);
        int i = off;
        dst[i++] = (byte) ((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payloadLength < 126) {
            dst[i++] = (byte) (maskBit | payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            dst[i++] = (byte) (maskBit | 126);
            dst[i++] = (byte) (payloadLength >>> 8);
            dst[i++] = (byte) payloadLength;
        } else {
            dst[i++] = (byte) (maskBit | 127);
            LONGS.set(dst, i, (long) payloadLength);
            i += 8;
        }
        if (masked) {
            dst[i++] = (byte) (maskKey >>> 24);
            dst[i++] = (byte) (maskKey >>> 16);
            dst[i++] = (byte) (maskKey >>> 8);
            dst[i++] = (byte) maskKey;
        }
        return i - off;
    }

    /**
     * XORs {@code len} bytes of {@code src} with the masking key into {@code dst} (which may be
     * {@code src} itself, same offset); masking and unmasking are the same operation.
     * {@code position} is the offset of {@code src[srcOff]} within the frame's payload, so a
     * payload can be masked in chunks (RFC 6455 §5.3: byte i uses key byte i mod 4).
     */
    static void mask(byte[] src, int srcOff, byte[] dst, int dstOff, int len, int maskKey,
                     long position) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        // Turn the key so that its high byte is the one for src[srcOff].
        int key = Integer.rotateLeft(maskKey, (int) (position & 3) * 8);
        long wideKey = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(dst, dstOff + i, (long) LONGS.get(src, srcOff + i) ^ wideKey);
        }
        for (; i < len; i++) {
            dst[dstOff + i] = (byte) (src[srcOff + i] ^ (key >>> (24 - (i & 3) * 8)));
        }
    }

    /**
     * A whole final frame (FIN set) carrying {@code payload}, masked with a key from
     * {@code keys} when {@code masked}; the caller's array is not changed.
     */
    static byte[] frame(int opcode, byte[] payload, boolean masked, RandomGenerator keys) {
        if ((opcode & 0x8) != 0 && payload.length > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(
                    "control frame payload of " + payload.length + " bytes > 125");
        }
        int maskKey = masked ? keys.nextInt() : 0;
        int header = headerLength(payload.length, masked);
        byte[] frame = new byte[header + payload.length];
        writeHeader(frame, 0, opcode, true, payload.length, masked, maskKey);
        if (masked) {
            mask(payload, 0, frame, header, payload.length, maskKey, 0);
        } else {
            System.arraycopy(payload, 0, frame, header, payload.length);
        }
        return frame;
    }

    /**
     * A close frame with {@code code} and {@code reason}; code {@link WsEvent.Close#NO_STATUS}
     * gives an empty payload (a close without a code). A reason longer than the 123 bytes that
     * fit is cut at a code point boundary: the close must still go out.
     */
    static byte[] closeFrame(int code, String reason, boolean masked, RandomGenerator keys) {
        if (code == WsEvent.Close.NO_STATUS) {
            return frame(CLOSE, new byte[0], masked, keys);
        }
        if (!WsEvent.Close.isValidCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int reasonLength = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
        while (reasonLength < text.length && (text[reasonLength] & 0xC0) == 0x80) {
            reasonLength--; // text[reasonLength] continues a code point: cut before that one
        }
        byte[] payload = new byte[2 + reasonLength];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, reasonLength);
        return frame(CLOSE, payload, masked, keys);
    }
}
