package sip.fuzz.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;

/**
 * The hostile client: a raw loopback socket that writes exactly the bytes it is given, in the
 * chunks it is told (on a thread of its own, so the server's answers are read meanwhile), and
 * reads what the server sends, every read bounded by a socket timeout.
 */
final class HostilePeer implements AutoCloseable {

    /** The longest a read waits: far beyond the handshake timeout and the close grace. */
    static final int READ_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);

    private HostilePeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true); // each chunk its own segment, as far as the kernel lets it be
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static HostilePeer connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, READ_TIMEOUT_MS);
        return new HostilePeer(s);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * Writes {@code bytes} in chunks of {@code chunkSize.applyAsInt(left)} bytes (at least 1), then
     * half-closes when {@code thenShutdown}, in the background; {@link #awaitWritten} waits for it.
     * A write the server cuts short (it closed, as it may) ends the writing quietly.
     */
    void writeInBackground(byte[] bytes, IntUnaryOperator chunkSize, boolean thenShutdown) {
        int[] sizes = chunks(bytes.length, chunkSize);
        writing = CompletableFuture.runAsync(() -> {
            try {
                int off = 0;
                for (int n : sizes) {
                    out.write(bytes, off, n);
                    out.flush();
                    off += n;
                }
                if (thenShutdown) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // the server closed: what it said is read on the other side
            }
        }, r -> Thread.ofVirtual().name("hostile-writer").start(r));
    }

    /** Chunk sizes drawn up front, on the caller's thread (the fuzzer's data is not thread-safe). */
    private static int[] chunks(int length, IntUnaryOperator chunkSize) {
        List<Integer> sizes = new ArrayList<>();
        for (int off = 0; off < length; ) {
            int n = Math.max(1, Math.min(length - off, chunkSize.applyAsInt(length - off)));
            sizes.add(n);
            off += n;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    void awaitWritten() {
        writing.join();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** An HTTP answer's head (through the empty line), or what came before the server closed. */
    record Head(String text, boolean complete) {
        int status() {
            if (!complete || !text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return -1;
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        /** The value of header {@code name} (case-insensitive), or null. */
        String field(String name) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    /** Reads an answer's head byte by byte, so the frames after it stay unread. */
    Head head() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0; // how much of CRLFCRLF has been seen
        while (state < 4) {
            int c;
            try {
                c = in.read();
            } catch (SocketException reset) {
                c = -1;
            }
            if (c < 0) {
                return new Head(b.toString(StandardCharsets.ISO_8859_1), false);
            }
            b.write(c);
            state = c == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : c == '\r' ? 1 : 0;
        }
        return new Head(b.toString(StandardCharsets.ISO_8859_1), true);
    }

    /** Everything the server sends until it closes. A reset ends it too, as a close. */
    byte[] untilClosed() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                b.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed nor finished within " + READ_TIMEOUT_MS
                    + " ms; it sent " + b.size() + " bytes", e);
        } catch (SocketException reset) {
            // a reset after the server's last words: they were read, or lost
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
