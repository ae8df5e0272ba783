package sip.transport.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import sip.message.ParseResult;
import sip.transport.spi.CloseReason;

/**
 * How one stream connection turns the bytes it reads into SIP messages and a message it sends into
 * bytes: SIP's own Content-Length framing for TCP and TLS ({@link #sip}), WebSocket frames for WS
 * and WSS. One per connection, made by {@link StreamSockets#open}; everything else about the
 * connection (limits, timeouts, counts, reuse, the close grace) is {@link StreamTransport}'s.
 *
 * <p>Threads: {@link #feed}, {@link #next}, {@link #buffered} and {@link #framingLost} run on the
 * connection's reader thread only. {@link #writeMessage} and {@link #writePong} run under the
 * connection's write lock, on any thread; so do the {@link Link#writeControl} calls a framing
 * makes from {@link #next} (the connection takes the lock for them). {@link #goodbye} runs once,
 * on whichever thread closes the connection, before it takes the lock.
 */
public interface MessageFraming {

    /** Appends {@code len} bytes of {@code b} from {@code off}, as read from the socket. */
    void feed(byte[] b, int off, int len);

    /**
     * The next result: a message, a keep-alive, a malformed message, or
     * {@link ParseResult.NeedMore} when the buffered bytes hold nothing complete. Control traffic
     * of the framing's own (a WebSocket ping to answer, the peer's close) is dealt with here
     * through {@code link} and is never returned; after {@link Link#end} it returns
     * {@code NeedMore}.
     */
    ParseResult next(Link link);

    /** Bytes held for a message not yet complete (the message read timeout runs while non-zero). */
    int buffered();

    /**
     * True once, after a {@link ParseResult.Malformed}, message boundaries are lost: the connection
     * closes with {@link CloseReason#MALFORMED}. False when the next message can still be read.
     */
    boolean framingLost();

    /**
     * Writes one message: the remaining bytes of {@code message}, consumed; the buffer itself is
     * never modified (a masking client copies through a scratch buffer of its own).
     *
     * @param out the connection's write, in chunks its write watchdog times
     */
    void writeMessage(ByteBuffer message, Output out) throws IOException;

    /** Writes the answer to an RFC 5626 double-CRLF ping this framing returned as a keep-alive. */
    void writePong(Output out) throws IOException;

    /**
     * What to write before the connection closes for {@code reason} (a WebSocket close frame), or
     * null for nothing; written within the close grace, then the socket is closed. When the
     * framing ended the connection itself ({@link Link#end}), what it arranged to say then (the
     * answer to the peer's close, or a failure's close frame).
     *
     * @param shutdown true when the whole transport is closing
     */
    byte[] goodbye(CloseReason reason, boolean shutdown);

    /** The connection's side of a framing: what {@link #next} may ask of it. */
    interface Link {

        /**
         * Writes {@code bytes} (a control frame) at once, under the write lock, counted as bytes
         * out; a failure closes the connection rather than throwing.
         */
        void writeControl(byte[] bytes);

        /**
         * Ends the connection for {@code reason} after what was written: {@link CloseReason#PEER}
         * when the peer closed it, {@link CloseReason#MALFORMED} (counted as malformed input) for
         * a protocol error.
         */
        void end(CloseReason reason);
    }

    /** The connection's write: blocking, in chunks its write watchdog times. */
    @FunctionalInterface
    interface Output {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /** SIP's Content-Length framing (RFC 3261 §18.3) through {@code framer}: TCP and TLS. */
    static MessageFraming sip(sip.message.StreamFramer framer) {
        return new SipFraming(framer);
    }
}
