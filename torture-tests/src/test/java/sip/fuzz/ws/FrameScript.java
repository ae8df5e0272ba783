package sip.fuzz.ws;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A client's byte stream after the handshake, each choice read from the fuzzer's bytes: SIP
 * messages in text and binary frames, whole or fragmented with control frames between the
 * fragments, pings, pongs, RFC 5626 keep-alives, messages that are not SIP; when
 * {@code hostile}, also close frames (good and bad codes, reasons that are not UTF-8), text that
 * is not UTF-8, frames and messages over the limits, frames with a header rule broken (RSV bits,
 * reserved opcodes, no mask, control frames fragmented or too long, a 64-bit length with its top
 * bit set) and raw bytes. Lengths go in any of the three encodings (7, 16, 64 bits), minimal or not.
 */
final class FrameScript {

    static final int CONTINUATION = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    private static final List<Integer> CLOSE_CODES = List.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
            1012, 1013, 1014, 3000, 4999, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535);
    /** Byte runs that are not UTF-8 (or not whole UTF-8), and some that are. */
    private static final List<byte[]> ODD_TEXT = List.of(
            new byte[] {(byte) 0xC3, (byte) 0xA9}, new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC},
            new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xF0, (byte) 0x9F}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});

    private final FuzzedDataProvider data;
    private final boolean hostile;
    private final String tag;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int messages;

    FrameScript(FuzzedDataProvider data, boolean hostile, String tag) {
        this.data = data;
        this.hostile = hostile;
        this.tag = tag;
    }

    /** The stream: up to a dozen steps. */
    byte[] build() {
        int steps = data.consumeInt(0, 12);
        for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
            step();
        }
        return out.toByteArray();
    }

    private void step() {
        switch (data.consumeInt(0, hostile ? 13 : 6)) {
            case 0 -> out.writeBytes(frame(true, TEXT, sip(false, hostile)));
            case 1 -> out.writeBytes(frame(true, BINARY, sip(true, hostile)));
            case 2 -> fragmented(data.consumeBoolean() ? TEXT : BINARY, sip(false, true));
            case 3 -> out.writeBytes(frame(true, PING, data.consumeBytes(data.consumeInt(0, 125))));
            case 4 -> out.writeBytes(frame(true, PONG, data.consumeBytes(data.consumeInt(0, 125))));
            case 5 -> {
                byte[] keepAlive = data.consumeBoolean() ? "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
                        : "\r\n".getBytes(StandardCharsets.US_ASCII);
                fragmented(data.consumeBoolean() ? TEXT : BINARY, keepAlive);
            }
            case 6 -> out.writeBytes(frame(true, TEXT, ("NOT SIP " + tag + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            case 7 -> out.writeBytes(frame(true, CLOSE, closePayload()));
            case 8 -> {
                byte[] odd = concat(sip(false, false), data.pickValue(ODD_TEXT));
                fragmented(TEXT, data.consumeBoolean() ? odd : data.pickValue(ODD_TEXT));
            }
            case 9 -> tooBig();
            case 10 -> brokenHeader();
            case 11 -> out.writeBytes(data.consumeBytes(data.consumeInt(1, 32)));
            case 12 -> {
                // a control frame longer than 125 bytes
                int op = data.pickValue(List.of(PING, PONG, CLOSE));
                out.writeBytes(frame(true, op, new byte[data.consumeInt(126, 300)]));
            }
            default -> out.writeBytes(frame(data.consumeBoolean(), data.pickValue(List.of(PING, PONG, CLOSE, CONTINUATION)),
                    data.consumeBytes(data.consumeInt(0, 10))));
        }
    }

    /**
     * An OPTIONS request; {@code binaryBody} gives it a body of any bytes, so it may not be UTF-8;
     * {@code large} lets it grow past the frame limit (up to about 2.3 KiB).
     */
    byte[] sip(boolean binaryBody, boolean large) {
        byte[] body = binaryBody ? data.consumeBytes(data.consumeInt(0, 64)) : new byte[0];
        int pad = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, large ? 2 * WsBed.MAX_FRAME : 600) : 0;
        return options(tag + "-" + messages++, body, pad);
    }

    /** An OPTIONS request as a browser sends it, with a body and an {@code X-Pad} header of {@code pad} bytes. */
    static byte[] options(String callId, byte[] body, int pad) {
        String head = "OPTIONS sip:sip.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@sip.test>;tag=1\r\n"
                + "To: <sip:sip.test>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + (pad > 0 ? "X-Pad: " + "p".repeat(pad) + "\r\n" : "")
                + (body.length > 0 ? "Content-Type: application/octet-stream\r\n" : "")
                + "Content-Length: " + body.length + "\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), body);
    }

    /**
     * {@code payload} as a message of {@code opcode} in fragments, control frames between them;
     * unless {@code hostile}, no fragment above the frame limit.
     */
    private void fragmented(int opcode, byte[] payload) {
        int off = 0;
        boolean last;
        int i = 0;
        do {
            int maxEnd = hostile ? payload.length : Math.min(payload.length, off + WsBed.MAX_FRAME);
            int end = i >= 3 || data.remainingBytes() == 0 ? maxEnd : data.consumeInt(off, maxEnd);
            last = end == payload.length && (i >= 3 || data.consumeBoolean());
            out.writeBytes(frame(last, i == 0 ? opcode : CONTINUATION, Arrays.copyOfRange(payload, off, end)));
            off = end;
            if (!last && data.consumeInt(0, 3) == 0) {
                out.writeBytes(frame(true, data.consumeBoolean() ? PING : PONG, data.consumeBytes(data.consumeInt(0, 8))));
            }
            i++;
        } while (!last);
    }

    private byte[] closePayload() {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> new byte[0];
            case 1 -> new byte[] {(byte) data.consumeInt(0, 255)};
            default -> {
                int code = data.consumeBoolean() ? data.pickValue(CLOSE_CODES) : data.consumeInt(0, 65535);
                byte[] reason = switch (data.consumeInt(0, 2)) {
                    case 0 -> new byte[0];
                    case 1 -> "bye \u00e9".getBytes(StandardCharsets.UTF_8);
                    default -> data.pickValue(ODD_TEXT);
                };
                yield concat(new byte[] {(byte) (code >>> 8), (byte) code}, reason);
            }
        };
    }

    /** A frame, or a message in frames, above a limit; or a length that only claims to be. */
    private void tooBig() {
        switch (data.consumeInt(0, 2)) {
            case 0 -> out.writeBytes(frame(true, data.consumeBoolean() ? TEXT : BINARY,
                    new byte[WsBed.MAX_FRAME + data.consumeInt(0, 1)]));
            case 1 -> {
                // fragments each within the frame limit, together one byte over the message limit or at it
                // a SIP message of exactly that size: delivered at the limit, 1009 above it
                int total = WsBed.MAX_MESSAGE + data.consumeInt(0, 1);
                String callId = tag + "-" + messages++;
                int base = options(callId, new byte[0], 0).length + "X-Pad: \r\n".length();
                byte[] payload = options(callId, new byte[0], total - base);
                int off = 0;
                for (int i = 0; off < total; i++) {
                    int end = Math.min(total, off + WsBed.MAX_FRAME);
                    out.writeBytes(frame(end == total, i == 0 ? BINARY : CONTINUATION, Arrays.copyOfRange(payload, off, end)));
                    off = end;
                }
            }
            default -> {
                // a header claiming a huge payload, 16- or 64-bit, followed by only a few bytes
                long claimed = data.consumeBoolean() ? data.consumeInt(WsBed.MAX_FRAME + 1, 0xFFFF) : data.consumeLong();
                out.writeBytes(header(true, 0, TEXT, true, 0x01020304, claimed, claimed > 0xFFFF || claimed < 0 ? 2 : 1));
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 16)));
            }
        }
    }

    /** A SIP message frame with one header rule broken. */
    private void brokenHeader() {
        byte[] payload = sip(false, false);
        int key = data.consumeInt();
        boolean fin = true;
        int rsv = 0;
        int opcode = TEXT;
        boolean masked = true;
        switch (data.consumeInt(0, 3)) {
            case 0 -> rsv = data.consumeInt(1, 7) << 4;
            case 1 -> opcode = data.pickValue(List.of(3, 4, 5, 6, 7, 11, 12, 13, 14, 15));
            case 2 -> masked = false;
            default -> opcode = CONTINUATION; // a continuation of nothing, or a data frame in a message
        }
        out.writeBytes(header(fin, rsv, opcode, masked, key, payload.length, data.consumeInt(0, 2)));
        out.writeBytes(masked ? mask(payload, key) : payload);
    }

    /** A masked frame, its length in a fuzzer-chosen encoding, with a fuzzer-chosen key. */
    byte[] frame(boolean fin, int opcode, byte[] payload) {
        int key = data.consumeInt();
        // Longer length encodings than needed for data frames only: a control frame's length is 7-bit
        // (RFC 6455 §5.5), and a server may take a 126 or 127 there as a length above 125.
        int form = opcode < CLOSE && data.consumeInt(0, 5) == 0 ? data.consumeInt(1, 2) : 0;
        return concat(header(fin, 0, opcode, true, key, payload.length, form), mask(payload, key));
    }

    /**
     * A frame header. {@code form}: 0 the shortest encoding of {@code length}, 1 at least 16-bit,
     * 2 the 64-bit one (RFC 6455 §5.2 asks senders for the shortest; receivers can read any).
     */
    static byte[] header(boolean fin, int rsv, int opcode, boolean masked, int key, long length, int form) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | rsv | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (form == 0 && length >= 0 && length < 126) {
            h.write(maskBit | (int) length);
        } else if (form <= 1 && length >= 0 && length <= 0xFFFF) {
            h.write(maskBit | 126);
            h.write((int) (length >>> 8));
            h.write((int) length);
        } else {
            h.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                h.write((int) (length >>> (8 * i)));
            }
        }
        if (masked) {
            for (int i = 3; i >= 0; i--) {
                h.write(key >>> (8 * i));
            }
        }
        return h.toByteArray();
    }

    static byte[] mask(byte[] payload, int key) {
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ key >>> (8 * (3 - (i & 3))));
        }
        return masked;
    }

    /** A whole masked frame with the shortest length encoding and a fixed key (for endings and seeds). */
    static byte[] plainFrame(int opcode, byte[] payload) {
        int key = 0x5A17C0DE;
        return concat(header(true, 0, opcode, true, key, payload.length, 0), mask(payload, key));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
