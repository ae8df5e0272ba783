package sip.message;

import java.nio.ByteBuffer;

/**
 * Finds message boundaries in a byte stream (TCP, TLS) by Content-Length (RFC 3261 §18.3),
 * across arbitrary read chunks. One per connection; not thread-safe (a connection's reader
 * thread owns it).
 *
 * <pre>{@code
 * framer.feed(buffer);
 * for (ParseResult r = framer.next(); !(r instanceof ParseResult.NeedMore); r = framer.next()) {
 *     switch (r) { ... }
 * }
 * }</pre>
 *
 * <p>It never buffers more than the parser's maximum message size: a declared Content-Length
 * beyond it is {@link ParseResult.Malformed} (413) at once, before the body arrives. After a
 * Malformed result, {@link #framingLost()} tells whether the stream can go on: a message whose
 * boundaries were found but whose content is invalid (a bad CSeq, say) leaves the stream usable;
 * an unreadable head, a bad Content-Length or an oversize message does not, and the connection
 * should be closed.
 */
public interface StreamFramer {

    /** Appends the remaining bytes of {@code src} (consumed). */
    void feed(ByteBuffer src);

    /** Appends {@code len} bytes of {@code b} from {@code off}. */
    void feed(byte[] b, int off, int len);

    /**
     * The next result: a message, a keep-alive, {@link ParseResult.NeedMore} when the buffered
     * bytes do not yet hold a whole message, or {@link ParseResult.Malformed}.
     */
    ParseResult next();

    /** Bytes buffered and not yet returned as a message. */
    int buffered();

    /**
     * True once the stream's message boundaries are lost: every later {@link #next()} is
     * {@link ParseResult.Malformed} and fed bytes are dropped. Close the connection.
     */
    boolean framingLost();
}
