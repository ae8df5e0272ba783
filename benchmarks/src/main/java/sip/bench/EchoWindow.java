package sip.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One window of echoes in flight, shared by the echo benchmarks so Parley and the bare-socket
 * baseline are measured by the same loop: send {@code size} messages, then park until as many
 * echoes have arrived. A lost datagram fails the run rather than letting a late echo count in the
 * next window.
 */
final class EchoWindow {

    /** Sends one message. */
    interface Sender {
        void send() throws IOException;
    }

    private final int size;
    private final AtomicInteger echoed = new AtomicInteger();
    private volatile Thread waiter;
    private volatile int target;

    EchoWindow(int size) {
        this.size = size;
    }

    /** Called by the receiving side for each {@code n} echoes that arrived. */
    void arrived(int n) {
        if (echoed.addAndGet(n) >= target) {
            LockSupport.unpark(waiter);
        }
    }

    /** Sends a whole window and waits for its echoes; returns the running count (for JMH). */
    int run(Sender sender) throws IOException {
        waiter = Thread.currentThread();
        target = echoed.get() + size;
        for (int i = 0; i < size; i++) {
            sender.send();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (echoed.get() < target) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException((target - echoed.get()) + " echoes lost in one window");
            }
        }
        return echoed.get();
    }
}
