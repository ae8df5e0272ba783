package sip.transport.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import sip.message.ParseResult;
import sip.message.StreamFramer;
import sip.transport.spi.CloseReason;

/**
 * SIP's own framing of a byte stream (RFC 3261 §18.3): {@link StreamFramer} finds the messages by
 * Content-Length, and a message goes out as its bytes, nothing around them. Has no control traffic
 * and no goodbye.
 */
final class SipFraming implements MessageFraming {

    /** Large direct buffers go out through a chunk of at most this size, made for that send only. */
    private static final int COPY_CHUNK = 32 * 1024;
    private static final byte[] PONG = {'\r', '\n'};

    private final StreamFramer framer;

    SipFraming(StreamFramer framer) {
        this.framer = framer;
    }

    @Override
    public void feed(byte[] b, int off, int len) {
        framer.feed(b, off, len);
    }

    @Override
    public ParseResult next(Link link) {
        return framer.next();
    }

    @Override
    public int buffered() {
        return framer.buffered();
    }

    @Override
    public boolean framingLost() {
        return framer.framingLost();
    }

    @Override
    public void writeMessage(ByteBuffer message, Output out) throws IOException {
        if (message.hasArray()) {
            out.write(message.array(), message.arrayOffset() + message.position(), message.remaining());
            message.position(message.limit());
            return;
        }
        // Not kept: one send of a large direct buffer must not pin a chunk for the connection's life.
        byte[] scratch = new byte[Math.min(message.remaining(), COPY_CHUNK)];
        while (message.hasRemaining()) {
            int chunk = Math.min(message.remaining(), scratch.length);
            message.get(scratch, 0, chunk);
            out.write(scratch, 0, chunk);
        }
    }

    /** RFC 5626 §4.4.1: a double-CRLF ping is answered with a single CRLF. */
    @Override
    public void writePong(Output out) throws IOException {
        out.write(PONG, 0, PONG.length);
    }

    @Override
    public byte[] goodbye(CloseReason reason, boolean shutdown) {
        return null;
    }
}
