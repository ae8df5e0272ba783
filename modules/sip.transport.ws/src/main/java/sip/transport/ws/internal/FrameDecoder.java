package sip.transport.ws.internal;

import static sip.transport.ws.internal.FrameEncoder.BINARY;
import static sip.transport.ws.internal.FrameEncoder.CLOSE;
import static sip.transport.ws.internal.FrameEncoder.CONTINUATION;
import static sip.transport.ws.internal.FrameEncoder.MAX_CONTROL_PAYLOAD;
import static sip.transport.ws.internal.FrameEncoder.MAX_HEADER_LENGTH;
import static sip.transport.ws.internal.FrameEncoder.PING;
import static sip.transport.ws.internal.FrameEncoder.PONG;
import static sip.transport.ws.internal.FrameEncoder.TEXT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes the inbound frames of one WebSocket connection (RFC 6455 §5) into {@link WsEvent}s:
 * whole data messages (fragments reassembled, payload unmasked, text checked to be UTF-8),
 * pings, pongs, the peer's close, or the {@link WsEvent.Failure} that ends the connection.
 *
 * <p>Single-threaded: the connection's reader calls {@link #feed} with the bytes it read, then
 * {@link #next()} until it returns {@link WsEvent#NEED_MORE}. Bytes may be split anywhere: the
 * events are the same whatever the split. {@code feed} keeps a reference to the caller's array
 * (no copy) until {@code next()} has returned {@code NEED_MORE}: the caller must not overwrite
 * it before then. Feeding again before that is allowed; the unread bytes are then copied.
 *
 * <p>Limits, decided from the frame header before any payload is held: a data frame's payload
 * above {@code maxFrameSize}, or a message (its fragments so far plus this one) above
 * {@code maxMessageSize}, fails with 1009. After a drained {@code next()} the decoder holds at
 * most a partial header (13 bytes), the message being reassembled (at most
 * {@code maxMessageSize}) and a control frame's payload (at most 125 bytes, preallocated).
 * Memory follows the bytes that arrived, never the length a header announces: a peer sending
 * headers alone must not make each connection reserve {@code maxFrameSize}. A payload array is
 * sized by what is at hand (at least {@link #INITIAL_CAPACITY}, at most what the frame still
 * needs) and grows geometrically as more comes. Header decoding allocates nothing; each delivered
 * message is one array, and a single-frame message whose bytes are all at hand when its payload
 * is first read (the common case) is unmasked straight into the array delivered, no copy.
 *
 * <p>After a {@link WsEvent.Failure} the decoder is dead: {@code next()} returns that failure
 * forever and {@code feed} ignores its bytes. Frames after a close are decoded as any other: what
 * to do with them is the connection's business (RFC 6455 §5.5.1 says to ignore them).
 */
final class FrameDecoder {

    private static final int NO_MESSAGE = -1;
    /** The least a payload array starts with when only part of the payload is at hand. */
    static final int INITIAL_CAPACITY = 8 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final Role role;
    private final int maxFrameSize;
    private final int maxMessageSize;

    /** Bytes not yet decoded that outlived their feed: a partial header, or an early feed's rest. */
    private byte[] carry = new byte[2 * MAX_HEADER_LENGTH];
    private int carryStart;
    private int carryEnd;

    /** The caller's latest feed, read in place. */
    private byte[] input;
    private int inputPos;
    private int inputEnd;

    // The frame whose payload is being read (valid while inPayload).
    private boolean inPayload;
    private int opcode;
    private boolean fin;
    private boolean masked;
    private int maskKey;
    private int payloadLength;
    private int payloadRead;
    private boolean textPayload;
    private boolean singleFrameMessage;
    /**
     * Where the payload goes: the delivered array (grown to {@code payloadLength} as bytes
     * arrive), {@link #fragments}, or {@link #control}.
     */
    private byte[] target;
    private int targetOffset;

    // The fragmented message being reassembled (messageOpcode != NO_MESSAGE).
    private int messageOpcode = NO_MESSAGE;
    private byte[] fragments;
    private int fragmentsLength;

    private final Utf8.Validator utf8 = new Utf8.Validator();
    private final byte[] control = new byte[MAX_CONTROL_PAYLOAD];
    private WsEvent.Failure failure;

    /**
     * @param role           which end this is: a {@link Role#SERVER} requires masked frames, a
     *                       {@link Role#CLIENT} unmasked ones
     * @param maxFrameSize   the largest data frame payload accepted, bytes
     * @param maxMessageSize the largest data message accepted (all fragments), bytes
     */
    FrameDecoder(Role role, int maxFrameSize, int maxMessageSize) {
        this.role = Objects.requireNonNull(role, "role");
        if (maxFrameSize <= 0 || maxMessageSize <= 0) {
            throw new IllegalArgumentException(
                    "limits must be positive: frame " + maxFrameSize + ", message " + maxMessageSize);
        }
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
    }

    /** Hands over bytes read from the connection; see the class comment for who owns the array. */
    void feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            return;
        }
        if (inputPos < inputEnd) {
            appendToCarry(input, inputPos, inputEnd - inputPos);
        }
        input = b;
        inputPos = off;
        inputEnd = off + len;
    }

    /** The next complete event in the bytes fed so far, or {@link WsEvent#NEED_MORE}. */
    WsEvent next() {
        if (failure != null) {
            return failure;
        }
        while (true) {
            if (!inPayload && !readHeader()) {
                return failure != null ? failure : needMore();
            }
            readPayload();
            if (failure != null) {
                return failure;
            }
            if (payloadRead < payloadLength) {
                return needMore();
            }
            inPayload = false;
            WsEvent event = completeFrame();
            if (event != null) {
                return event;
            }
            // A fragment that does not end its message: go on with the next frame.
        }
    }

    /**
     * Bytes held for an unfinished frame or message (not counting a fed array not yet read); never
     * 0 while a frame or a fragmented message has begun, even with none of its payload yet. The
     * connection reads non-zero as "a message has begun" and runs the message read timeout, so a
     * peer cannot park a header (or an empty first fragment) under the idle timeout only.
     */
    int buffered() {
        return (carryEnd - carryStart)
                + (messageOpcode != NO_MESSAGE ? Math.max(1, fragmentsLength) : 0)
                + (inPayload ? Math.max(1, payloadRead) : 0);
    }

    // Only ever reached with the fed input used up: it is not referenced any longer.
    private WsEvent needMore() {
        input = null;
        inputPos = inputEnd = 0;
        return WsEvent.NEED_MORE;
    }

    /** Reads the next frame header; false if it is incomplete (bytes kept) or invalid (failure set). */
    private boolean readHeader() {
        byte[] src;
        int pos;
        int available;
        if (carryEnd == carryStart) {
            src = input;
            pos = inputPos;
            available = inputEnd - inputPos;
        } else {
            // A header begun in an earlier feed: complete it in the carry (at most 14 bytes move).
            int take = Math.min(MAX_HEADER_LENGTH - (carryEnd - carryStart), inputEnd - inputPos);
            if (take > 0) {
                appendToCarry(input, inputPos, take);
                inputPos += take;
            }
            src = carry;
            pos = carryStart;
            available = carryEnd - carryStart;
        }
        int used = parseHeader(src, pos, available);
        if (used <= 0) {
            if (used == 0 && src == input && available > 0) {
                appendToCarry(input, inputPos, available);
                inputPos = inputEnd;
            }
            return false;
        }
        if (src == input) {
            inputPos += used;
        } else {
            carryStart += used;
            if (carryStart == carryEnd) {
                carryStart = carryEnd = 0;
            }
        }
        return true;
    }

    /**
     * Decodes the header at {@code src[pos..pos+available)}: its length when complete and valid,
     * 0 when more bytes are needed, -1 when invalid (failure set). Checks are made as soon as the
     * bytes carrying them are there, so a bad frame fails without waiting for its length.
     */
    private int parseHeader(byte[] src, int pos, int available) {
        if (available == 0) {
            return 0;
        }
        int b0 = src[pos] & 0xFF;
        if ((b0 & 0x70) != 0) {
            return invalid(WsEvent.Close.PROTOCOL_ERROR,
                    "RSV bits set (0x" + Integer.toHexString(b0 & 0x70) + ") but no extension was negotiated");
        }
        int op = b0 & 0x0F;
        boolean isFinal = (b0 & 0x80) != 0;
        boolean isControl = (op & 0x8) != 0;
        switch (op) {
            case CONTINUATION -> {
                if (messageOpcode == NO_MESSAGE) {
                    return invalid(WsEvent.Close.PROTOCOL_ERROR, "continuation frame without a message to continue");
                }
            }
            case TEXT, BINARY -> {
                if (messageOpcode != NO_MESSAGE) {
                    return invalid(WsEvent.Close.PROTOCOL_ERROR, "new data frame inside a fragmented message");
                }
            }
            case CLOSE, PING, PONG -> {
                if (!isFinal) {
                    return invalid(WsEvent.Close.PROTOCOL_ERROR, "fragmented control frame (opcode " + op + ")");
                }
            }
            default -> {
                return invalid(WsEvent.Close.PROTOCOL_ERROR, "unknown opcode 0x" + Integer.toHexString(op));
            }
        }
        if (available < 2) {
            return 0;
        }
        int b1 = src[pos + 1] & 0xFF;
        boolean isMasked = (b1 & 0x80) != 0;
        if (isMasked != role.expectsMaskedFrames()) {
            return invalid(WsEvent.Close.PROTOCOL_ERROR,
                    isMasked ? "masked frame from a server" : "unmasked frame from a client");
        }
        int shortLength = b1 & 0x7F;
        if (isControl && shortLength > MAX_CONTROL_PAYLOAD) {
            return invalid(WsEvent.Close.PROTOCOL_ERROR, "control frame payload longer than 125 bytes");
        }
        int lengthBytes = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
        int headerLength = 2 + lengthBytes + (isMasked ? 4 : 0);
        if (available < headerLength) {
            return 0;
        }
        // Non-minimal length encodings (say 5 in the 16-bit form) are accepted: RFC 6455 §5.2
        // asks senders for the minimal form, but the length is unambiguous and refusing it would
        // only break interoperability with a sloppy peer.
        long length = switch (lengthBytes) {
            case 0 -> shortLength;
            case 2 -> (src[pos + 2] & 0xFF) << 8 | (src[pos + 3] & 0xFF);
            default -> {
                long l = 0;
                for (int i = 0; i < 8; i++) {
                    l = l << 8 | (src[pos + 2 + i] & 0xFF);
                }
                yield l;
            }
        };
        if (length < 0) {
            return invalid(WsEvent.Close.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
        }
        if (!isControl) {
            if (length > maxFrameSize) {
                return invalid(WsEvent.Close.MESSAGE_TOO_BIG,
                        "frame payload of " + length + " bytes exceeds the limit of " + maxFrameSize);
            }
            long messageLength = (op == CONTINUATION ? fragmentsLength : 0) + length;
            if (messageLength > maxMessageSize) {
                return invalid(WsEvent.Close.MESSAGE_TOO_BIG,
                        "message of " + messageLength + (isFinal ? "" : "+") + " bytes exceeds the limit of " + maxMessageSize);
            }
        }
        int key = 0;
        if (isMasked) {
            int k = pos + headerLength - 4;
            key = (src[k] & 0xFF) << 24 | (src[k + 1] & 0xFF) << 16 | (src[k + 2] & 0xFF) << 8 | (src[k + 3] & 0xFF);
        }
        startFrame(op, isFinal, isMasked, key, (int) length);
        return headerLength;
    }

    private void startFrame(int op, boolean isFinal, boolean isMasked, int key, int length) {
        inPayload = true;
        opcode = op;
        fin = isFinal;
        masked = isMasked;
        maskKey = key;
        payloadLength = length;
        payloadRead = 0;
        singleFrameMessage = false;
        if ((op & 0x8) != 0) {
            target = control;
            targetOffset = 0;
            textPayload = false;
            return;
        }
        if (op != CONTINUATION) {
            utf8.reset();
            textPayload = op == TEXT;
            if (isFinal) {
                singleFrameMessage = true;
                target = EMPTY; // sized when payload bytes are there (readPayload)
                targetOffset = 0;
                return;
            }
            messageOpcode = op;
            fragmentsLength = 0;
        } else {
            textPayload = messageOpcode == TEXT;
        }
        target = fragments != null ? fragments : EMPTY;
        targetOffset = fragmentsLength;
    }

    /** Moves what is there of the current payload into its target, unmasked, checking text. */
    private void readPayload() {
        int remaining = payloadLength - payloadRead;
        int atHand = Math.min(remaining, (carryEnd - carryStart) + (inputEnd - inputPos));
        if (atHand > 0) {
            ensureTargetCapacity(targetOffset + payloadRead + atHand);
        }
        if (remaining > 0 && carryEnd > carryStart) {
            int take = Math.min(remaining, carryEnd - carryStart);
            takePayload(carry, carryStart, take);
            if (failure != null) {
                return;
            }
            carryStart += take;
            if (carryStart == carryEnd) {
                carryStart = carryEnd = 0;
            }
            remaining -= take;
        }
        if (remaining > 0 && inputPos < inputEnd) {
            int take = Math.min(remaining, inputEnd - inputPos);
            takePayload(input, inputPos, take);
            inputPos += take;
        }
    }

    private void takePayload(byte[] src, int off, int len) {
        int at = targetOffset + payloadRead;
        if (masked) {
            FrameEncoder.mask(src, off, target, at, len, maskKey, payloadRead);
        } else {
            System.arraycopy(src, off, target, at, len);
        }
        payloadRead += len;
        // Checked as the bytes arrive, so a bad byte fails at once, not at the message's end.
        if (textPayload && !utf8.feed(target, at, len)) {
            invalid(WsEvent.Close.INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }

    /** The event a complete frame makes, or null for a fragment that does not end its message. */
    private WsEvent completeFrame() {
        switch (opcode) {
            case PING:
                return new WsEvent.Ping(controlPayload());
            case PONG:
                return new WsEvent.Pong(controlPayload());
            case CLOSE:
                return close();
            default:
                break;
        }
        if (!singleFrameMessage) {
            fragmentsLength += payloadLength;
            if (!fin) {
                return null;
            }
        }
        if (textPayload && !utf8.isComplete()) {
            return failed(WsEvent.Close.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
        }
        WsEvent.Message message;
        if (singleFrameMessage) {
            message = new WsEvent.Message(target, opcode == TEXT);
        } else {
            // fragments is null when every fragment was empty: nothing ever needed room
            byte[] whole = fragmentsLength == 0 ? EMPTY : Arrays.copyOf(fragments, fragmentsLength);
            message = new WsEvent.Message(whole, messageOpcode == TEXT);
            messageOpcode = NO_MESSAGE;
            fragmentsLength = 0;
            fragments = null; // fragmented messages are rare: hold no memory between them
        }
        target = null;
        return message;
    }

    private byte[] controlPayload() {
        return payloadLength == 0 ? EMPTY : Arrays.copyOf(control, payloadLength);
    }

    /** RFC 6455 §5.5.1 and §7.4: empty, or a 2-byte valid code and a UTF-8 reason. */
    private WsEvent close() {
        if (payloadLength == 0) {
            return new WsEvent.Close(WsEvent.Close.NO_STATUS, "");
        }
        if (payloadLength == 1) {
            return failed(WsEvent.Close.PROTOCOL_ERROR, "close frame payload of 1 byte");
        }
        int code = (control[0] & 0xFF) << 8 | (control[1] & 0xFF);
        if (!WsEvent.Close.isValidCode(code)) {
            return failed(WsEvent.Close.PROTOCOL_ERROR, "invalid close code " + code);
        }
        if (!Utf8.isValid(control, 2, payloadLength - 2)) {
            return failed(WsEvent.Close.INVALID_PAYLOAD, "close reason is not valid UTF-8");
        }
        return new WsEvent.Close(code, new String(control, 2, payloadLength - 2, StandardCharsets.UTF_8));
    }

    private int invalid(int closeCode, String why) {
        failed(closeCode, why);
        return -1;
    }

    /** Kills the decoder: everything held is dropped and nothing more is read. */
    private WsEvent.Failure failed(int closeCode, String why) {
        failure = new WsEvent.Failure(closeCode, why);
        inPayload = false;
        target = null;
        fragments = null;
        fragmentsLength = 0;
        messageOpcode = NO_MESSAGE;
        carry = EMPTY;
        carryStart = carryEnd = 0;
        input = null;
        inputPos = inputEnd = 0;
        return failure;
    }

    /**
     * Makes room in the payload's target for {@code needed} bytes: at least double what it had (and
     * {@link #INITIAL_CAPACITY}), never past what the frame (single-frame message) or the message
     * limit (fragments) can still use. A single-frame target thus ends exactly
     * {@code payloadLength} long: it is delivered as it is. Control frames never grow.
     */
    private void ensureTargetCapacity(int needed) {
        if (target.length >= needed) {
            return;
        }
        long ceiling = singleFrameMessage ? payloadLength : maxMessageSize;
        long wanted = Math.max(needed, Math.max(INITIAL_CAPACITY, 2L * target.length));
        target = Arrays.copyOf(target, (int) Math.min(ceiling, wanted));
        if (!singleFrameMessage) {
            fragments = target;
        }
    }

    private void appendToCarry(byte[] src, int off, int len) {
        if (carryStart > 0) {
            System.arraycopy(carry, carryStart, carry, 0, carryEnd - carryStart);
            carryEnd -= carryStart;
            carryStart = 0;
        }
        if (carryEnd + len > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carryEnd + len, 2 * carry.length));
        }
        System.arraycopy(src, off, carry, carryEnd, len);
        carryEnd += len;
    }
}
