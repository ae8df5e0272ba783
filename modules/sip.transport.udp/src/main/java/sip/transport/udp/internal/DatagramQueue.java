package sip.transport.udp.internal;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The datagrams read and not yet taken by a worker: a fixed ring that, when full, overwrites the
 * oldest entry. Readers never block on it (a reader that waits lets the kernel's socket buffer
 * overflow, which drops the newest datagrams blindly); under overload the newest datagrams are
 * the ones worth handling, since the peer has retransmitted the older ones already.
 *
 * <p>Two parallel arrays instead of a queue of (flow, bytes) pairs, so queuing allocates nothing.
 * Thread-safe; any number of readers and workers.
 */
final class DatagramQueue {

    /** Where {@link #take} puts what it took; one per worker, reused for every datagram. */
    static final class Entry {
        DatagramFlow flow;
        byte[] datagram;
    }

    private final DatagramFlow[] flows;
    private final byte[][] datagrams;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private int size;
    private boolean closed;

    DatagramQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.flows = new DatagramFlow[capacity];
        this.datagrams = new byte[capacity][];
    }

    /**
     * Queues a datagram; never blocks. Once closed, the datagram is discarded.
     *
     * @return true if the oldest queued datagram was dropped to make room
     */
    boolean put(DatagramFlow flow, byte[] datagram) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            boolean full = size == flows.length;
            if (full) {
                // The new entry takes the oldest one's slot: advance head past it.
                head = next(head);
                size--;
            }
            int tail = (head + size) % flows.length;
            flows[tail] = flow;
            datagrams[tail] = datagram;
            size++;
            notEmpty.signal();
            return full;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the oldest datagram and moves it into {@code into}.
     *
     * @return false once the queue is closed
     */
    boolean take(Entry into) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (size == 0 && !closed) {
                notEmpty.await();
            }
            if (closed) {
                return false;
            }
            into.flow = flows[head];
            into.datagram = datagrams[head];
            flows[head] = null;
            datagrams[head] = null;
            head = next(head);
            size--;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams waiting now. */
    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Discards what is queued and wakes every waiting worker; {@link #take} then returns false. */
    void close() {
        lock.lock();
        try {
            closed = true;
            Arrays.fill(flows, null);
            Arrays.fill(datagrams, null);
            size = 0;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int next(int index) {
        return index + 1 == flows.length ? 0 : index + 1;
    }
}
