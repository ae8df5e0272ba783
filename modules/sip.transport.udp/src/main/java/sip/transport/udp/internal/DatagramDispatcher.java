package sip.transport.udp.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportCounters;

/**
 * The receive workers of one transport: {@code receiveWorkers} virtual threads that take
 * datagrams from the shared {@link DatagramQueue}, parse them and call the handler. Parsing runs
 * here rather than on the readers so a burst is drained from the kernel at copy speed.
 *
 * <p>Each worker runs a plain blocking loop and handles one datagram at a time; nothing a handler
 * throws (or a stray interrupt it leaves behind) ends a worker. Only {@link #stop()} does.
 */
final class DatagramDispatcher {

    private static final System.Logger LOG = System.getLogger(DatagramDispatcher.class.getName());

    private final TransportConfig config;
    private final InboundHandler handler;
    private final TransportCounters counters;
    private final DatagramQueue queue;
    private final List<Thread> workers = new ArrayList<>(); // guarded by this
    private boolean started; // guarded by this

    DatagramDispatcher(TransportConfig config, InboundHandler handler, TransportCounters counters) {
        this.config = config;
        this.handler = handler;
        this.counters = counters;
        this.queue = new DatagramQueue(config.receiveQueueCapacity());
    }

    /** Starts the workers the first time a socket opens; nothing runs before. */
    synchronized void start() {
        if (started || queue.isClosed()) {
            return;
        }
        started = true;
        for (int i = 0; i < config.receiveWorkers(); i++) {
            Thread worker = config.threadFactory().newThread(this::work);
            if (worker == null) {
                throw new IllegalStateException("the configured thread factory refused a udp worker");
            }
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues a datagram for the workers; never blocks, drops (and counts) the oldest when full. */
    void enqueue(DatagramFlow flow, byte[] datagram) {
        if (queue.put(flow, datagram)) {
            counters.dropped();
        }
    }

    /**
     * Discards what is queued and ends the workers: idle ones wake up to a closed queue; busy
     * ones are interrupted, so a handler blocked in an interruptible wait lets go. Does not wait.
     */
    synchronized void stop() {
        queue.close();
        for (Thread worker : workers) {
            if (worker != Thread.currentThread()) {
                worker.interrupt();
            }
        }
        workers.clear();
    }

    private void work() {
        DatagramQueue.Entry entry = new DatagramQueue.Entry();
        while (true) {
            try {
                if (!queue.take(entry)) {
                    return;
                }
            } catch (InterruptedException e) {
                if (queue.isClosed()) {
                    return;
                }
                continue; // an interrupt that is not stop()'s: keep serving
            }
            DatagramFlow flow = entry.flow;
            byte[] datagram = entry.datagram;
            entry.flow = null;
            entry.datagram = null;
            dispatch(flow, datagram);
            if (Thread.interrupted() && queue.isClosed()) {
                return;
            }
        }
    }

    private void dispatch(DatagramFlow flow, byte[] datagram) {
        ParseResult result;
        try {
            result = config.parser().parse(datagram);
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug must not end the worker (a crafted datagram once made the parser
            // recurse until the stack overflowed): the datagram is as good as malformed.
            counters.malformed();
            LOG.log(Level.ERROR, () -> "parser failed on a datagram from " + flow, e);
            return;
        }
        try {
            switch (result) {
                case ParseResult.Parsed(SipMessage message) -> {
                    counters.messageIn();
                    handler.onMessage(flow, message);
                }
                case ParseResult.Malformed malformed -> {
                    counters.malformed();
                    handler.onMalformed(flow, malformed);
                }
                // A datagram parse never asks for more; keep-alives were filtered by the reader.
                case ParseResult.NeedMore _, ParseResult.KeepAlive _ -> counters.keepAlive();
            }
        } catch (Throwable t) {
            counters.handlerError();
            LOG.log(Level.WARNING, () -> "udp handler failed on a datagram from " + flow, t);
        }
    }
}
