package sip.router.internal.dialog;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs listener calls one at a time, in submission order, on a virtual thread started when work
 * arrives and ending when the queue is empty: state and provisional-response listeners see
 * events in order and never run on a transport or timer thread.
 */
final class SerialCalls {
    private static final Logger LOG = LoggerFactory.getLogger(SerialCalls.class);

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
                LOG.warn("dialog listener failed", e);
            }
        }
    }
}
