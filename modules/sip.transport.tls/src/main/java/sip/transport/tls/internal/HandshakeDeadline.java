package sip.transport.tls.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a whole handshake, not just each read. A socket read timeout alone lets a peer that
 * trickles one byte at a time hold a connection (and a connection slot) for ever; this closes the
 * socket when the deadline passes, which makes the blocked handshake fail at once.
 *
 * <p>The timer is {@link CompletableFuture#completeOnTimeout}'s shared JDK scheduler: no thread of
 * ours, and the timer is cancelled as soon as the handshake ends. Closing runs on a fresh virtual
 * thread so a slow close never holds up that scheduler.
 */
final class HandshakeDeadline implements AutoCloseable {

    private final Duration timeout;
    private final long deadlineNanos;
    private final CompletableFuture<Boolean> expired = new CompletableFuture<>();

    /**
     * @param socket what to close when the deadline passes (the plain socket under a client's
     *     SSLSocket, so no TLS close logic runs against a handshake in progress)
     * @param timeout zero for none
     */
    HandshakeDeadline(Socket socket, Duration timeout) {
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        if (!timeout.isZero()) {
            expired.completeOnTimeout(true, timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .thenAcceptAsync(timedOut -> {
                        if (timedOut) {
                            closeQuietly(socket);
                        }
                    }, task -> Thread.ofVirtual().name("tls-handshake-deadline").start(task));
        }
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

    /** Throws if the deadline passed, even if the handshake got through just as it did. */
    void check() throws SocketTimeoutException {
        if (expired()) {
            throw new SocketTimeoutException("handshake deadline passed");
        }
    }

    /** True if the deadline passed before {@link #close()}: the socket was (or is being) closed. */
    boolean expired() {
        return expired.getNow(false);
    }

    /** The handshake is over; cancels the timer unless it already fired. */
    @Override
    public void close() {
        expired.complete(false);
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing after a failure; the failure is what gets reported
        }
    }
}
