package sip.transport.loopback.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The messages and events of one network that are ready to deliver, in the order they became
 * ready, and the one place they are delivered from: either the network's delivery thread
 * ({@link #run()}) or a test calling {@link #deliverNext()}. Deliveries never overlap, so every
 * handler on the network runs one call at a time, in order.
 *
 * <p>Bounded by the network's capacity, which the network checks before anything is added. Lock
 * order: the network's lock may be held when calling {@link #add}; this queue never calls out
 * while holding its own lock.
 */
final class DeliveryQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Parcel> ready = new ArrayDeque<>();
    /** Held for the whole of one delivery: keeps deliveries in order and one at a time. */
    private final ReentrantLock delivering = new ReentrantLock();
    private final Consumer<Parcel> deliver;
    private boolean closed;

    /** @param deliver hands one parcel over and does the bookkeeping; called outside this queue's lock */
    DeliveryQueue(Consumer<Parcel> deliver) {
        this.deliver = deliver;
    }

    void add(List<Parcel> parcels) {
        lock.lock();
        try {
            if (!closed) {
                ready.addAll(parcels);
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /** Delivers the next ready parcel on this thread; false if none was ready. */
    boolean deliverNext() {
        delivering.lock();
        try {
            Parcel next;
            lock.lock();
            try {
                next = ready.poll();
            } finally {
                lock.unlock();
            }
            if (next == null) {
                return false;
            }
            deliver.accept(next);
            return true;
        } finally {
            delivering.unlock();
        }
    }

    /**
     * The delivery thread: delivers until {@link #close()}, not until interrupted. Nothing outside
     * holds this thread, so an interrupt status can only be one a handler left behind (restoring an
     * interrupt it caught): cleared after each delivery, lest the next wait end the thread and with
     * it every later delivery.
     */
    void run() {
        while (awaitReady()) {
            deliverNext();
            Thread.interrupted();
        }
    }

    /** Stops the delivery thread and returns what was still waiting. */
    List<Parcel> close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            List<Parcel> left = List.copyOf(ready);
            ready.clear();
            return left;
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitReady() {
        lock.lock();
        try {
            while (ready.isEmpty() && !closed) {
                notEmpty.awaitUninterruptibly();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }
}
