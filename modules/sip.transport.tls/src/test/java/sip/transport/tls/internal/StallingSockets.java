package sip.transport.tls.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sip.transport.tcp.internal.StreamSockets;

/**
 * Server-side TLS sockets whose raw TCP socket a test can stall: once stalled, every write blocks
 * until the socket is closed, exactly as a write does when the peer has stopped reading and the
 * buffers are full. Unlike filling real buffers this is deterministic, so a test can stall the
 * {@code close_notify} of a close with no send in progress.
 */
final class StallingSockets implements StreamSockets {

    /** Longer than any test waits: a close that never closes the socket fails its test first. */
    private static final long STALL_LIMIT_SECONDS = 30;

    private final TlsSockets tls;
    /** The raw sockets accepted so far, in order. */
    final BlockingQueue<StallableSocket> accepted = new LinkedBlockingQueue<>();

    StallingSockets(TlsSockets tls) {
        this.tls = tls;
    }

    /** The next raw socket accepted, waiting for it if need be. */
    StallableSocket nextAccepted() throws InterruptedException {
        StallableSocket s = accepted.poll(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("nothing accepted within " + Recorder.WAIT_SECONDS + " s");
        }
        return s;
    }

    @Override
    public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
        ServerSocket server = new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                StallableSocket socket = new StallableSocket();
                implAccept(socket);
                accepted.add(socket);
                return socket;
            }
        };
        server.bind(local, backlog);
        return server;
    }

    @Override
    public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
        return tls.accepted(raw, handshakeTimeout);
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout) throws IOException {
        return tls.connect(remote, serverName, connectTimeout, handshakeTimeout);
    }

    /** A TCP socket whose writes can be made to block until it is closed. */
    static final class StallableSocket extends Socket {

        /** Counted down when a write first blocks on the stall. */
        final CountDownLatch writeStalled = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean stalled;
        private OutputStream output;

        /** From now on every write blocks until the socket is closed, then fails. */
        void stall() {
            stalled = true;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (stalled) {
                            blockUntilClosed();
                        }
                        out.write(b, off, len);
                    }
                };
            }
            return output;
        }

        private void blockUntilClosed() throws IOException {
            writeStalled.countDown();
            try {
                if (!closed.await(STALL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("stalled write: the socket was never closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SocketException("Socket closed");
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            super.close();
        }
    }
}
