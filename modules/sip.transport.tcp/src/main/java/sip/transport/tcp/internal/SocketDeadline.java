package sip.transport.tcp.internal;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a socket when a deadline passes, unless it is disarmed first. Whatever is blocked on the
 * socket then fails at once: a handshake that takes too long (TLS), or a TLS close whose
 * {@code close_notify} cannot be written because the peer stopped reading.
 *
 * <p>Firing and {@link #disarm() disarming} race for one {@link CompletableFuture}, so exactly one
 * of them wins: once {@code disarm} returned true the socket is never closed by this deadline, and
 * when it returns false the socket is closed (or being closed). The timer is the JDK's shared
 * {@code completeOnTimeout} scheduler, cancelled when disarmed; the closing itself runs on a fresh
 * virtual thread so a slow close never holds that scheduler up.
 */
public final class SocketDeadline {

    private final CompletableFuture<Boolean> fired = new CompletableFuture<>();

    /**
     * @param socket what to close (the raw TCP socket under a TLS one, so no TLS logic runs)
     * @param timeout from now; zero for none
     * @param reset close with a reset ({@code SO_LINGER} 0), dropping whatever is still unsent
     */
    public SocketDeadline(Socket socket, Duration timeout, boolean reset) {
        if (!timeout.isZero()) {
            fired.completeOnTimeout(true, timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .thenAccept(expired -> {
                        if (expired) { // not on a disarm: that would start a thread for nothing
                            Thread.ofVirtual().name("socket-deadline").start(() -> {
                                if (reset) {
                                    StreamTransport.reset(socket);
                                } else {
                                    StreamTransport.closeQuietly(socket);
                                }
                            });
                        }
                    });
        }
    }

    /**
     * Stops the timer; true if it can no longer fire, false if it fired already (the socket is
     * closed or being closed). Idempotent.
     */
    public boolean disarm() {
        fired.complete(false);
        return !fired.join();
    }

    /** True if the deadline passed before {@link #disarm()}. */
    public boolean fired() {
        return fired.getNow(false);
    }
}
