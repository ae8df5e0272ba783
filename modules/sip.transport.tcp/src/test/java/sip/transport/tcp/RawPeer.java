package sip.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.StreamFramer;

/** A plain socket peer with byte-level control. Every read is bounded by a 5 s timeout. */
final class RawPeer implements AutoCloseable {

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final StreamFramer framer = SipParser.lenient().newStreamFramer();
    private final byte[] buf = new byte[8192];

    RawPeer(InetSocketAddress to) throws IOException {
        this(to, null);
    }

    /** A peer connecting from {@code from} (any 127/8 address works on Linux loopback), or any. */
    RawPeer(InetSocketAddress to, java.net.InetAddress from) throws IOException {
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.setTcpNoDelay(true);
        socket.connect(to, (int) Recorder.WAIT_MILLIS);
        socket.setSoTimeout((int) Recorder.WAIT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes each byte on its own (TCP_NODELAY is on, so mostly one segment each). */
    void writeByteByByte(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            out.write(b);
        }
    }

    /** The next message, framed like the transport frames; fails on anything malformed. */
    SipMessage readMessage() throws IOException {
        for (;;) {
            ParseResult r = framer.next();
            switch (r) {
                case ParseResult.Parsed p -> {
                    return p.message();
                }
                case ParseResult.Malformed m -> throw new IOException("malformed from transport: " + m.error());
                case ParseResult.KeepAlive k -> { }
                case ParseResult.NeedMore n -> {
                    int read = in.read(buf);
                    if (read < 0) {
                        throw new IOException("end of stream before a whole message");
                    }
                    framer.feed(buf, 0, read);
                }
            }
        }
    }

    /** Exactly {@code n} bytes straight off the socket (do not mix with {@link #readMessage}). */
    String readExactly(int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** Everything until the transport closes the connection (EOF or reset); fails on timeout. */
    String readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("connection still open after " + Recorder.WAIT_MILLIS + " ms", e);
        } catch (SocketException e) {
            // reset: closed as well
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
