package sip.transport.ws.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.transport.spi.CloseReason;
import sip.transport.tcp.internal.MessageFraming;

/**
 * SIP over WebSocket framing (RFC 7118 §5) of one connection: each WebSocket data message, text
 * or binary, is one SIP message, parsed as a datagram is; each message sent is one unfragmented
 * frame, text when its bytes are UTF-8 (always, for ordinary SIP) and binary otherwise. Inside
 * the WebSocket, a message of exactly CRLFCRLF is an RFC 5626 ping (returned as a keep-alive, so
 * the connection counts and answers it) and CRLF its pong; WebSocket pings are answered here.
 *
 * <p>Threads as {@link MessageFraming} says: the decoder is the reader's; the scratch buffer is
 * used under the connection's write lock only. Exactly one close frame ever goes out: the answer
 * to the peer's, the failure's, or the goodbye of a local close, whichever claims it first.
 */
final class WsFraming implements MessageFraming {

    private static final ParseResult NEED_MORE = new ParseResult.NeedMore();
    private static final ParseResult PING = new ParseResult.KeepAlive(true);
    private static final ParseResult PONG = new ParseResult.KeepAlive(false);
    private static final byte[] CRLF = {'\r', '\n'};
    /**
     * Header and payload of a message up to this size go out in one write (one TCP segment with
     * TCP_NODELAY: nearly every SIP message, WebRTC offers included); a client masks larger
     * payloads through it, chunk by chunk. Kept per connection once it sends, like the 8 KiB read
     * buffer.
     */
    private static final int SCRATCH = 8 * 1024;

    private final Role role;
    private final FrameDecoder decoder;
    private final SipParser parser;
    /** Masking keys (RFC 6455 §5.3: unpredictable), this connection's own ({@link MaskingKeys}); only a client masks. */
    private final RandomGenerator keys;
    private final AtomicBoolean closeClaimed = new AtomicBoolean();
    /** The close frame {@link #next} arranged before ending the connection (answer or failure). */
    private volatile byte[] lastWords;

    // Under the write lock.
    private byte[] scratch;

    /**
     * @param unread bytes the handshake read past its end: the peer's first frames
     */
    WsFraming(Role role, int maxFrameSize, int maxMessageSize, SipParser parser, RandomGenerator keys,
            byte[] unread) {
        this.role = role;
        this.decoder = new FrameDecoder(role, maxFrameSize, maxMessageSize);
        this.parser = parser;
        this.keys = keys;
        if (unread.length > 0) {
            decoder.feed(unread, 0, unread.length); // kept by the decoder: the array is ours to give
        }
    }

    @Override
    public void feed(byte[] b, int off, int len) {
        decoder.feed(b, off, len);
    }

    @Override
    public ParseResult next(Link link) {
        while (true) {
            switch (decoder.next()) {
                case WsEvent.NeedMore n -> {
                    return NEED_MORE;
                }
                case WsEvent.Message m -> {
                    return message(m.payload());
                }
                case WsEvent.Ping p -> link.writeControl(FrameEncoder.frame(FrameEncoder.PONG, p.payload(), masks(), keys));
                case WsEvent.Pong p -> {
                    // unsolicited or late: nothing to do (RFC 6455 §5.5.3)
                }
                case WsEvent.Close c -> {
                    // RFC 6455 §5.5.1: answer with a close, echoing the code; then the TCP close.
                    lastWords = FrameEncoder.closeFrame(c.code(), "", masks(), keys);
                    link.end(CloseReason.PEER);
                    return NEED_MORE;
                }
                case WsEvent.Failure f -> {
                    lastWords = FrameEncoder.closeFrame(f.closeCode(), f.why(), masks(), keys);
                    link.end(CloseReason.MALFORMED);
                    return NEED_MORE;
                }
            }
        }
    }

    /** One WebSocket message as SIP: a keep-alive, or a message parsed as a datagram is. */
    private ParseResult message(byte[] payload) {
        if (payload.length == 4 && payload[0] == '\r' && payload[1] == '\n' && payload[2] == '\r' && payload[3] == '\n') {
            return PING;
        }
        if (payload.length == 2 && payload[0] == '\r' && payload[1] == '\n') {
            return PONG;
        }
        return parser.parse(payload); // the parser keeps the array: it is ours, nobody changes it
    }

    @Override
    public int buffered() {
        return decoder.buffered();
    }

    /** Each message has its own frame: a bad message never costs the next one. */
    @Override
    public boolean framingLost() {
        return false;
    }

    @Override
    public void writeMessage(ByteBuffer message, Output out) throws IOException {
        byte[] b;
        int off;
        int len = message.remaining();
        if (message.hasArray()) {
            b = message.array();
            off = message.arrayOffset() + message.position();
        } else {
            b = new byte[len];
            message.get(message.position(), b);
            off = 0;
        }
        int opcode = Utf8.isValid(b, off, len) ? FrameEncoder.TEXT : FrameEncoder.BINARY;
        writeFrame(opcode, b, off, len, out);
        message.position(message.limit());
    }

    /** RFC 5626 keep-alive inside the WebSocket (RFC 7118 §6): the pong is a CRLF text message. */
    @Override
    public void writePong(Output out) throws IOException {
        writeFrame(FrameEncoder.TEXT, CRLF, 0, CRLF.length, out);
    }

    /**
     * One final frame: header and as much payload as fits in the scratch buffer in one write; the
     * rest straight from {@code b} (server), or masked through the scratch buffer (client), never
     * changing {@code b}.
     */
    private void writeFrame(int opcode, byte[] b, int off, int len, Output out) throws IOException {
        boolean masked = masks();
        int maskKey = masked ? keys.nextInt() : 0;
        if (scratch == null) {
            scratch = new byte[SCRATCH];
        }
        int header = FrameEncoder.writeHeader(scratch, 0, opcode, true, len, masked, maskKey);
        int first = Math.min(len, scratch.length - header);
        if (masked) {
            FrameEncoder.mask(b, off, scratch, header, first, maskKey, 0);
        } else {
            System.arraycopy(b, off, scratch, header, first);
        }
        out.write(scratch, 0, header + first);
        if (!masked) {
            if (first < len) {
                out.write(b, off + first, len - first);
            }
            return;
        }
        for (int done = first; done < len; ) {
            int chunk = Math.min(len - done, scratch.length);
            FrameEncoder.mask(b, off + done, scratch, 0, chunk, maskKey, done);
            out.write(scratch, 0, chunk);
            done += chunk;
        }
    }

    /**
     * The close frame to send before the connection closes: the one {@link #next} arranged (the
     * answer to the peer's close, or a failure's), else one for {@code reason}: 1000 for a close of
     * this connection, 1001 (going away) for the transport closing and for timeouts; none when the
     * peer is gone or not reading, or a close frame went out already.
     */
    @Override
    public byte[] goodbye(CloseReason reason, boolean shutdown) {
        byte[] arranged = lastWords;
        int code = switch (reason) {
            case LOCAL -> shutdown ? WsEvent.Close.GOING_AWAY : WsEvent.Close.NORMAL;
            case IDLE, READ_TIMEOUT -> WsEvent.Close.GOING_AWAY;
            case PEER, MALFORMED, WRITE_TIMEOUT, ERROR -> 0;
        };
        if (arranged == null && code == 0 || !closeClaimed.compareAndSet(false, true)) {
            return null;
        }
        if (arranged != null) {
            return arranged;
        }
        String why = switch (reason) {
            case IDLE -> "idle timeout";
            case READ_TIMEOUT -> "message read timeout";
            default -> shutdown ? "shutting down" : "";
        };
        return FrameEncoder.closeFrame(code, why, masks(), keys);
    }

    private boolean masks() {
        return role.sendsMaskedFrames();
    }
}
