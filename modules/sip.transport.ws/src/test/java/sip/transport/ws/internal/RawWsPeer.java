package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A WebSocket peer on a raw socket, written by hand: it sends exactly the bytes a test gives it
 * (handshakes, masked or unmasked frames, fragments) and decodes what it receives with the frame
 * decoder, as a client. Every read is bounded by a socket timeout.
 */
final class RawWsPeer implements AutoCloseable {

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** RFC 6455 §1.3's example: the accept value of {@link #KEY}. */
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1 << 20, 1 << 20);
    private final Random keys = new Random(7);

    RawWsPeer(Socket connected) throws IOException {
        this.socket = connected;
        socket.setSoTimeout((int) (Events.WAIT_SECONDS * 1000));
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawWsPeer connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5000);
        return new RawWsPeer(s);
    }

    /** A well-formed upgrade request for {@code path}, with the lines in {@code extra} added. */
    static String request(String path, String... extra) {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String line : extra) {
            b.append(line).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Sends a good handshake offering {@code sip} and checks the 101; returns the answer head. */
    RawWsPeer upgraded() throws IOException {
        write(request("/", "Sec-WebSocket-Protocol: sip"));
        String head = head();
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        return this;
    }

    void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Reads the answer's head, byte by byte so nothing after it is consumed. */
    String head() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return fail("closed after " + b.toString(StandardCharsets.ISO_8859_1));
            }
            b.write(c);
            byte[] sofar = b.toByteArray();
            int n = sofar.length;
            if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Everything until the server closes (a refusal: head and body). */
    String untilClosed() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A whole frame as a client sends it: masked unless {@code masked} is false. */
    void frame(int opcode, boolean fin, byte[] payload, boolean masked) throws IOException {
        int key = keys.nextInt();
        byte[] frame = new byte[FrameEncoder.headerLength(payload.length, masked) + payload.length];
        int header = FrameEncoder.writeHeader(frame, 0, opcode, fin, payload.length, masked, key);
        if (masked) {
            FrameEncoder.mask(payload, 0, frame, header, payload.length, key, 0);
        } else {
            System.arraycopy(payload, 0, frame, header, payload.length);
        }
        write(frame);
    }

    void text(String s) throws IOException {
        frame(FrameEncoder.TEXT, true, s.getBytes(StandardCharsets.UTF_8), true);
    }

    void text(byte[] b) throws IOException {
        frame(FrameEncoder.TEXT, true, b, true);
    }

    /** The next event the server sent; fails if none comes within the wait. */
    WsEvent event() throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            WsEvent e = decoder.next();
            if (!(e instanceof WsEvent.NeedMore)) {
                return e;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return fail("closed without a further frame");
            }
            decoder.feed(buffer.clone(), 0, n); // the decoder keeps the array until drained
        }
    }

    /** The next data message as text (skipping nothing: it must be one). */
    String message() throws IOException {
        WsEvent e = event();
        if (e instanceof WsEvent.Message m) {
            return new String(m.payload(), StandardCharsets.UTF_8);
        }
        return fail("expected a message, got " + e);
    }

    /**
     * True once the server closed the TCP connection (end of stream or reset) within the wait;
     * then closes this side too, as a WebSocket client does (RFC 6455 §7.1.1).
     */
    boolean closedByServer() throws IOException {
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // frames after the close, if any: not looked at
            }
            socket.close();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
