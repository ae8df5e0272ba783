package sip.transport.tcp.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes connections whose write has been stuck longer than the write timeout: a blocking socket
 * write has no timeout of its own. One thread per transport, started with its first connection,
 * looks at every connection a few times per timeout period; sends themselves allocate nothing for
 * it (they only stamp {@code writingSince}). A connection is closed between one and 1.25 write
 * timeouts after its write stalled.
 */
final class WriteWatchdog implements Runnable {

    private final long timeoutNanos;
    private final long periodMillis;
    private final Collection<StreamConnection> connections;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    WriteWatchdog(Duration writeTimeout, Collection<StreamConnection> connections) {
        this.timeoutNanos = writeTimeout.toNanos();
        this.periodMillis = Math.clamp(writeTimeout.toMillis() / 4, 10, 1000);
        this.connections = connections;
    }

    /**
     * Starts the watching thread, unless it runs already or write timeouts are off. A thread
     * factory that refuses (null or an exception) must not fail the connection being registered:
     * it is logged, and the next registration tries again.
     */
    void startOnce(ThreadFactory threads) {
        if (timeoutNanos > 0 && stopped.getCount() > 0 && started.compareAndSet(false, true)) {
            try {
                Thread thread = threads.newThread(this);
                if (thread == null) {
                    throw new IllegalStateException("the thread factory refused the write watchdog");
                }
                thread.start();
            } catch (RuntimeException e) {
                started.set(false);
                System.getLogger(WriteWatchdog.class.getName()).log(System.Logger.Level.WARNING,
                        "write timeouts are not enforced until a watchdog thread can start", e);
            }
        }
    }

    void stop() {
        stopped.countDown();
    }

    @Override
    public void run() {
        try {
            while (!stopped.await(periodMillis, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                for (StreamConnection c : connections) {
                    c.checkWrite(now, timeoutNanos);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the thread ends: its owner is shutting down
        }
    }
}
