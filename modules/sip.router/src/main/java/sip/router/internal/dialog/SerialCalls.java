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

    /**
     * Calls waiting at most: listeners slower than the events that feed them (a flood of 1xx)
     * lose the newest ones rather than grow the queue without bound.
     */
    static final int MAX_QUEUED = 256;

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private boolean warned;

    void submit(Runnable task) {
        synchronized (this) {
            if (queue.size() >= MAX_QUEUED) {
                if (!warned) {
                    warned = true;
                    LOG.warn("{} listener calls waiting: further ones dropped", MAX_QUEUED);
                }
                return;
            }
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
