package sip.fuzz.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The frames a server sent, cut from the bytes read until it closed (RFC 6455 §5.2). */
final class ServerFrames {

    private ServerFrames() {
    }

    /** One frame from the server, as it came. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        /** The close code, or 1005 for an empty close (RFC 6455 §7.1.5). */
        int closeCode() {
            return payload.length < 2 ? Rfc6455Model.NO_STATUS : (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        }

        @Override public String toString() {
            String body = opcode == 1 ? "'" + new String(payload, StandardCharsets.UTF_8).replace("\r\n", "\\r\\n") + "'"
                    : HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 24));
            return (fin ? "" : "nofin ") + (rsv != 0 ? "rsv " : "") + (masked ? "masked " : "") + "op" + opcode + " " + body;
        }

        boolean sameAs(int wantedOpcode, byte[] wanted) {
            return fin && rsv == 0 && !masked && opcode == wantedOpcode && Arrays.equals(payload, wanted);
        }
    }

    /** Every whole frame in {@code bytes}; a frame cut short by the close fails. */
    static List<Frame> parse(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            if (bytes.length - pos < 2) {
                throw new AssertionError("the server's last frame is cut short: " + frames);
            }
            int b0 = bytes[pos] & 0xFF;
            int b1 = bytes[pos + 1] & 0xFF;
            int length7 = b1 & 0x7F;
            int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            boolean masked = (b1 & 0x80) != 0;
            int header = 2 + lengthBytes + (masked ? 4 : 0);
            if (bytes.length - pos < header) {
                throw new AssertionError("the server's last frame header is cut short: " + frames);
            }
            long length = length7;
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = length << 8 | (bytes[pos + 2 + i] & 0xFF);
                }
            }
            if (length < 0 || length > bytes.length - pos - header) {
                throw new AssertionError("the server's frame of " + length + " bytes is cut short: " + frames);
            }
            byte[] payload = Arrays.copyOfRange(bytes, pos + header, pos + header + (int) length);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= bytes[pos + header - 4 + (i & 3)];
                }
            }
            frames.add(new Frame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0F, masked, payload));
            pos += header + (int) length;
        }
        return frames;
    }
}
