package sip.transport.ws.internal;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What {@link FrameDecoder#next()} found in the inbound bytes: a whole data message, a control
 * frame, a protocol failure, or {@link #NEED_MORE} when the bytes so far end inside a frame.
 */
sealed interface WsEvent {

    /** The bytes fed so far hold no further complete event. */
    WsEvent NEED_MORE = new NeedMore();

    /** Type of {@link #NEED_MORE}; there is no other instance worth making. */
    record NeedMore() implements WsEvent {}

    /**
     * One whole data message: unmasked, reassembled from its fragments; when {@code text} the
     * payload has been checked to be valid UTF-8. The array belongs to the receiver.
     */
    record Message(byte[] payload, boolean text) implements WsEvent {
        @Override public boolean equals(Object o) {
            return o instanceof Message m && m.text == text && Arrays.equals(m.payload, payload);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(payload) * 31 + Boolean.hashCode(text);
        }
        @Override public String toString() {
            return "Message[" + (text ? "text" : "binary") + ", " + payload.length + " bytes: "
                    + preview(payload) + "]";
        }
    }

    /** A ping: the answer is a pong with the same payload (RFC 6455 §5.5.2). */
    record Ping(byte[] payload) implements WsEvent {
        @Override public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(p.payload, payload);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(payload);
        }
        @Override public String toString() {
            return "Ping[" + preview(payload) + "]";
        }
    }

    /** A pong, solicited or not (RFC 6455 §5.5.3); nothing answers it. */
    record Pong(byte[] payload) implements WsEvent {
        @Override public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(p.payload, payload);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(payload);
        }
        @Override public String toString() {
            return "Pong[" + preview(payload) + "]";
        }
    }

    /**
     * The peer's close frame: {@code code} is {@link #NO_STATUS} (1005) when its payload was empty,
     * else a valid code ({@link #isValidCode}); {@code reason} is the decoded UTF-8 reason, maybe "".
     */
    record Close(int code, String reason) implements WsEvent {
        static final int NORMAL = 1000;
        static final int GOING_AWAY = 1001;
        static final int PROTOCOL_ERROR = 1002;
        /** Never on the wire: stands for a close frame without a payload (RFC 6455 §7.1.5). */
        static final int NO_STATUS = 1005;
        static final int INVALID_PAYLOAD = 1007;
        static final int MESSAGE_TOO_BIG = 1009;

        /**
         * Whether {@code code} may appear in a close frame: 1000-1003 and 1007-1014 (IANA's
         * registry, as the npm {@code ws} package accepts), 3000-4999 (registered and private use).
         * 1004 is reserved; 1005, 1006 and 1015 are only ever reported locally, never sent.
         */
        static boolean isValidCode(int code) {
            return (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006)
                    || (code >= 3000 && code <= 4999);
        }
    }

    /**
     * The inbound bytes broke RFC 6455: the connection must be closed with {@code closeCode}
     * (1002 protocol error, 1007 invalid UTF-8, 1009 too big). The decoder is dead after it.
     */
    record Failure(int closeCode, String why) implements WsEvent {}

    private static String preview(byte[] payload) {
        int shown = Math.min(payload.length, 32);
        return HexFormat.of().formatHex(payload, 0, shown) + (shown < payload.length ? "..." : "");
    }
}
