package sip.transport.ws.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Byte literals and decoding loops shared by the frame codec tests. */
final class FrameTestBytes {

    private FrameTestBytes() {}

    /** Bytes from hex, spaces allowed: {@code hex("81 05 48 65")}. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code n} bytes 0, 1, 2, ... 255, 0, ... */
    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /**
     * The events up to NEED_MORE (exclusive) or the first Failure (inclusive): what the reader
     * loop sees after one feed.
     */
    static List<WsEvent> drain(FrameDecoder decoder) {
        List<WsEvent> events = new ArrayList<>();
        for (int guard = 0; guard < 1_000_000; guard++) {
            WsEvent event = decoder.next();
            if (event == WsEvent.NEED_MORE) {
                return events;
            }
            events.add(event);
            if (event instanceof WsEvent.Failure) {
                return events;
            }
        }
        throw new AssertionError("decoder never said NEED_MORE");
    }

    /** Feeds {@code bytes} in one piece and drains. */
    static List<WsEvent> decode(FrameDecoder decoder, byte[] bytes) {
        decoder.feed(bytes, 0, bytes.length);
        return drain(decoder);
    }

    /** Feeds {@code bytes} in chunks of {@code chunk} bytes, draining after each. */
    static List<WsEvent> decodeInChunks(FrameDecoder decoder, byte[] bytes, int chunk) {
        List<WsEvent> events = new ArrayList<>();
        for (int off = 0; off < bytes.length; off += chunk) {
            int len = Math.min(chunk, bytes.length - off);
            // A fresh array per chunk, reused afterwards: proves the decoder keeps nothing of it.
            byte[] read = new byte[len];
            System.arraycopy(bytes, off, read, 0, len);
            decoder.feed(read, 0, len);
            events.addAll(drain(decoder));
            java.util.Arrays.fill(read, (byte) 0x5A);
            if (!events.isEmpty() && events.getLast() instanceof WsEvent.Failure) {
                return events;
            }
        }
        return events;
    }

    static WsEvent.Message text(String s) {
        return new WsEvent.Message(utf8(s), true);
    }

    static WsEvent.Message binary(byte[] payload) {
        return new WsEvent.Message(payload, false);
    }
}
