package sip.transport.tls.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import sip.transport.tcp.internal.SocketDeadline;

/**
 * Bounds a whole handshake, not just each read. A socket read timeout alone lets a peer that
 * trickles one byte at a time hold a connection (and a connection slot) for ever; this closes the
 * raw socket when the deadline passes, which makes the blocked handshake fail at once.
 *
 * <p>The handshake ends with {@link #disarm()}, which either stops the timer for good or reports
 * that it fired (the socket is then closed or closing): there is no moment in which a handshake
 * counts as done and the timer may still close its socket.
 */
final class HandshakeDeadline implements AutoCloseable {

    private final Duration timeout;
    private final long deadlineNanos;
    private final SocketDeadline timer;

    /**
     * @param raw what to close when the deadline passes: the TCP socket under the SSLSocket, so no
     *     TLS close logic runs against a handshake in progress
     * @param timeout zero for none
     */
    HandshakeDeadline(Socket raw, Duration timeout) {
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.timer = new SocketDeadline(raw, timeout, false);
    }

    /** Sets the socket's read timeout to what is left of the deadline (at least 1 ms). */
    void applyReadTimeout(Socket socket) throws SocketException {
        socket.setSoTimeout(timeout.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis())));
    }

    long remainingMillis() {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    long timeoutMillis() {
        return timeout.toMillis();
    }

    /**
     * The handshake is done: from here on the deadline can no longer close the socket. Throws if it
     * already did, even if the handshake got through just as it fired.
     */
    void disarm() throws SocketTimeoutException {
        if (!timer.disarm()) {
            throw new SocketTimeoutException("handshake deadline passed");
        }
    }

    /** True if the deadline passed before {@link #disarm()}: the socket was (or is being) closed. */
    boolean expired() {
        return timer.fired();
    }

    /** Stops the timer unless it fired already; for the paths that leave without {@link #disarm()}. */
    @Override
    public void close() {
        timer.disarm();
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing after a failure; the failure is what gets reported
        }
    }
}
