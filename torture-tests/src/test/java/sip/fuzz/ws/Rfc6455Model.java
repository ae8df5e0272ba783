package sip.fuzz.ws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A reference model of what a WebSocket server must make of the bytes a client sends after the
 * handshake (RFC 6455 §5, §7), written from the RFC independently of the provider: the data
 * messages it must deliver, the control frames it must answer, and how the connection ends.
 * Slow and plain on purpose: every frame is decoded from scratch.
 *
 * <p>Where the RFC leaves an order open (a header breaking two rules; a bad header the stream
 * ends inside), the model gives every code a correct server may close with, and says whether it
 * must close at all.
 */
final class Rfc6455Model {

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int TOO_BIG = 1009;
    /** The code a close frame without a payload stands for (RFC 6455 §7.1.5). */
    static final int NO_STATUS = 1005;

    private Rfc6455Model() {
    }

    /** What the server must see in the stream, in order. */
    sealed interface Event {
        /** A whole data message, reassembled and unmasked. */
        record Data(byte[] payload, boolean text) implements Event {
            @Override public String toString() {
                return (text ? "text " : "binary ") + payload.length + " bytes";
            }
        }

        /** A ping: to be answered with a pong carrying {@code payload}. */
        record Ping(byte[] payload) implements Event {
            @Override public String toString() {
                return "ping " + payload.length + " bytes";
            }
        }

        /** A pong: nothing to answer. */
        record Pong() implements Event {}
    }

    /** How the stream leaves the connection. */
    sealed interface End {
        /** Still open; {@code clean} if the stream ends between messages (no frame or message begun). */
        record Open(boolean clean) implements End {}

        /** The client's valid close frame: answered with a close, then the connection ends. */
        record Closed(int code) implements End {}

        /**
         * A violation: the server closes with one of {@code codes}; when not {@code certain} (the
         * stream ends inside the bad frame's header) it may also wait for more and see the end of
         * the stream, sending no close.
         */
        record Failed(Set<Integer> codes, boolean certain, String why) implements End {}
    }

    record Outcome(List<Event> events, End end, int consumed) {}

    /** The events and the end of {@code stream}, for a server with these limits. */
    static Outcome decode(byte[] stream, int maxFrame, int maxMessage) {
        List<Event> events = new ArrayList<>();
        int pos = 0;
        int messageOpcode = -1; // of the fragmented message being reassembled
        byte[] message = new byte[0];
        while (true) {
            int left = stream.length - pos;
            if (left == 0) {
                return new Outcome(events, new End.Open(messageOpcode < 0), pos);
            }
            Set<Integer> codes = new TreeSet<>();
            StringBuilder why = new StringBuilder();
            int b0 = stream[pos] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean control = opcode >= 8;
            if ((b0 & 0x70) != 0) {
                violation(codes, why, PROTOCOL_ERROR, "RSV bits");
            }
            if (opcode != 0 && opcode != 1 && opcode != 2 && opcode != 8 && opcode != 9 && opcode != 10) {
                violation(codes, why, PROTOCOL_ERROR, "reserved opcode " + opcode);
            } else if (opcode == 0 && messageOpcode < 0) {
                violation(codes, why, PROTOCOL_ERROR, "continuation without a message");
            } else if ((opcode == 1 || opcode == 2) && messageOpcode >= 0) {
                violation(codes, why, PROTOCOL_ERROR, "data frame inside a fragmented message");
            } else if (control && !fin) {
                violation(codes, why, PROTOCOL_ERROR, "fragmented control frame");
            }
            if (left < 2) {
                return partialHeader(events, codes, why, pos);
            }
            int b1 = stream[pos + 1] & 0xFF;
            boolean masked = (b1 & 0x80) != 0;
            int length7 = b1 & 0x7F;
            if (!masked) {
                violation(codes, why, PROTOCOL_ERROR, "unmasked client frame");
            }
            if (control && length7 > 125) {
                violation(codes, why, PROTOCOL_ERROR, "control frame longer than 125");
            }
            int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            if (left < 2 + lengthBytes) {
                return partialHeader(events, codes, why, pos);
            }
            long length = length7;
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = length << 8 | (stream[pos + 2 + i] & 0xFF);
                }
            }
            if (length < 0) {
                violation(codes, why, PROTOCOL_ERROR, "64-bit length with its top bit set");
            } else if (!control && length > maxFrame) {
                violation(codes, why, TOO_BIG, "frame of " + length + " bytes");
            } else if (!control && (opcode == 0 ? message.length : 0) + length > maxMessage) {
                violation(codes, why, TOO_BIG, "message of more than " + maxMessage + " bytes");
            }
            int header = 2 + lengthBytes + (masked ? 4 : 0);
            if (left < header) {
                return partialHeader(events, codes, why, pos);
            }
            if (!codes.isEmpty()) {
                return new Outcome(events, new End.Failed(codes, true, why.toString()), pos);
            }
            byte[] key = Arrays.copyOfRange(stream, pos + header - 4, pos + header);
            int available = (int) Math.min(length, left - header);
            byte[] payload = new byte[available];
            for (int i = 0; i < available; i++) {
                payload[i] = (byte) (stream[pos + header + i] ^ key[i & 3]);
            }
            boolean text = opcode == 1 || opcode == 0 && messageOpcode == 1;
            byte[] sofar = control ? payload : concat(opcode == 0 ? message : new byte[0], payload);
            if (!control && text && Utf8Prefix.check(sofar) == Utf8Prefix.INVALID) {
                // A correct server may check text as it arrives or once the frame is whole.
                return new Outcome(events, new End.Failed(Set.of(INVALID_PAYLOAD), available == length,
                        "text is not UTF-8"), pos);
            }
            if (available < length) {
                return new Outcome(events, new End.Open(false), pos);
            }
            pos += header + available;
            switch (opcode) {
                case 8 -> {
                    return new Outcome(events, close(payload), pos);
                }
                case 9 -> events.add(new Event.Ping(payload));
                case 10 -> events.add(new Event.Pong());
                default -> {
                    if (!fin) {
                        if (opcode != 0) {
                            messageOpcode = opcode;
                        }
                        message = sofar;
                        continue;
                    }
                    if (text && Utf8Prefix.check(sofar) != Utf8Prefix.COMPLETE) {
                        return new Outcome(events, new End.Failed(Set.of(INVALID_PAYLOAD), true,
                                "text ends inside a UTF-8 sequence"), pos);
                    }
                    events.add(new Event.Data(sofar, text));
                    messageOpcode = -1;
                    message = new byte[0];
                }
            }
        }
    }

    /** The stream ends inside a header: a violation seen so far may close at once, or not yet. */
    private static Outcome partialHeader(List<Event> events, Set<Integer> codes, StringBuilder why, int pos) {
        End end = codes.isEmpty() ? new End.Open(false) : new End.Failed(codes, false, why.toString());
        return new Outcome(events, end, pos);
    }

    /** RFC 6455 §5.5.1, §7.4: empty, or a code a close frame may carry and a UTF-8 reason. */
    private static End close(byte[] payload) {
        if (payload.length == 0) {
            return new End.Closed(NO_STATUS);
        }
        if (payload.length == 1) {
            return new End.Failed(Set.of(PROTOCOL_ERROR), true, "close payload of one byte");
        }
        int code = (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        if (!WsBed.validCloseCode(code)) {
            return new End.Failed(Set.of(PROTOCOL_ERROR), true, "close code " + code);
        }
        if (Utf8Prefix.check(Arrays.copyOfRange(payload, 2, payload.length)) != Utf8Prefix.COMPLETE) {
            return new End.Failed(Set.of(INVALID_PAYLOAD), true, "close reason is not UTF-8");
        }
        return new End.Closed(code);
    }

    private static void violation(Set<Integer> codes, StringBuilder why, int code, String what) {
        codes.add(code);
        why.append(why.isEmpty() ? "" : ", ").append(what);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * UTF-8 as RFC 3629 §4 defines it (no overlongs, no surrogates, nothing above U+10FFFF),
     * judged on a prefix: invalid as soon as a byte cannot continue any well-formed sequence.
     */
    enum Utf8Prefix {
        COMPLETE, INCOMPLETE, INVALID;

        static Utf8Prefix check(byte[] b) {
            int i = 0;
            while (i < b.length) {
                int c = b[i] & 0xFF;
                int more;
                int lo = 0x80;
                int hi = 0xBF;
                if (c < 0x80) {
                    i++;
                    continue;
                } else if (c >= 0xC2 && c <= 0xDF) {
                    more = 1;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    more = 2;
                    lo = c == 0xE0 ? 0xA0 : 0x80;
                    hi = c == 0xED ? 0x9F : 0xBF;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    more = 3;
                    lo = c == 0xF0 ? 0x90 : 0x80;
                    hi = c == 0xF4 ? 0x8F : 0xBF;
                } else {
                    return INVALID;
                }
                for (int k = 1; k <= more; k++) {
                    if (i + k >= b.length) {
                        return INCOMPLETE;
                    }
                    int d = b[i + k] & 0xFF;
                    if (k == 1 ? d < lo || d > hi : d < 0x80 || d > 0xBF) {
                        return INVALID;
                    }
                }
                i += more + 1;
            }
            return COMPLETE;
        }
    }
}
