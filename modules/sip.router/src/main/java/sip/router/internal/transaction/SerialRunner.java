package sip.router.internal.transaction;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread started when work arrives
 * and ending when the queue is empty: how response listeners get their calls in arrival order
 * without ever running on a transport or timer thread.
 */
final class SerialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SerialRunner.class);

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    void submit(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        Thread.startVirtualThread(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("response listener failed", e);
            }
        }
    }
}
