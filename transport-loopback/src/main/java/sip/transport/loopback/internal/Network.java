package sip.transport.loopback.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import sip.transport.loopback.DelayScheduler;
import sip.transport.loopback.Fate;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.loopback.NetworkStats;
import sip.transport.loopback.Packet;
import sip.transport.loopback.Rule;
import sip.transport.spi.CloseReason;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Flow;

/**
 * The network behind {@link LoopbackNetwork}: the port space, the fates of messages, what is in
 * flight and held back, and the counts.
 *
 * <p>One lock, {@link #lock}, guards all of it and the open/closed state of every transport,
 * listener and connection on the network, so that fates are drawn, and ready messages queued, in
 * the order of the sends. It is never held while a handler runs or while the
 * {@link DelayScheduler} is called.
 */
public final class Network implements LoopbackNetwork {

    /** The values of a {@link LoopbackNetwork.Builder}. */
    public record Settings(long seed, double loss, double duplication, double reorder, Duration minDelay,
                           Duration maxDelay, DelayScheduler scheduler, boolean manual, int capacity) {
    }

    /** One direction between two addresses: what {@link Fate#REORDER} holds a message back on. */
    private record Path(InetSocketAddress from, InetSocketAddress to) {
    }

    private static final System.Logger LOG = System.getLogger(Network.class.getName());
    private static final int DELIVER_ALL_LIMIT = 1_000_000;

    final ReentrantLock lock = new ReentrantLock();
    final Bindings bindings = new Bindings();
    private final Condition changed = lock.newCondition();
    private final Settings settings;
    private final Chance chance;
    private final DelayScheduler scheduler;
    private final RealTimeScheduler realTime;
    private final DeliveryQueue queue = new DeliveryQueue(this::deliver);
    private final List<Rule> rules = new ArrayList<>();
    /** Insertion-ordered so that {@link #releaseHeld()} is deterministic. */
    private final Map<Path, Parcel> held = new LinkedHashMap<>();
    private long sent;
    private long delivered;
    private long dropped;
    private long duplicated;
    private long reordered;
    private int inFlight;
    private int events;
    private boolean closed;
    /**
     * The first Error thrown on delivery (by a handler, nearly always a failed assertion) that
     * nothing has rethrown yet; rethrown once, by the next deliverNext, deliverAll, awaitIdle or close.
     */
    private Error handlerError;

    public Network(Settings settings) {
        this.settings = settings;
        this.chance = new Chance(settings);
        this.realTime = settings.scheduler() == null ? new RealTimeScheduler() : null;
        this.scheduler = settings.scheduler() != null ? settings.scheduler() : realTime;
        if (!settings.manual()) {
            Thread.ofVirtual().name("loopback-delivery").start(queue::run);
        }
    }

    /**
     * Sends a {@code mem} message: rules and chance decide its fate.
     *
     * @throws IOException if the {@link DelayScheduler} refused it (counted dropped)
     */
    void sendDatagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) throws IOException {
        List<Parcel> later;
        long delay;
        lock.lock();
        try {
            Chance.Draw draw = chance.datagram();
            // A rule that throws (a failed assertion in it) fails the send before anything is counted.
            Fate fate = rules.isEmpty() ? Fate.CHANCE
                    : ruleFate(new Packet(sent, new Flow(MEM.name(), from, to), bytes));
            sent++;
            if (fate == Fate.CHANCE) {
                fate = draw.fate();
            }
            if (closed) {
                dropped++;
                return;
            }
            int adding = fate == Fate.DROP ? 0 : fate == Fate.DUPLICATE ? 2 : 1;
            if (inFlight + held.size() + adding > settings.capacity()) {
                fate = Fate.DROP; // full: shed it, as a router with a full queue would
            }
            Path path = new Path(from, to);
            Parcel overtaken = held.remove(path);
            Parcel parcel = new Parcel(true, () -> arriveDatagram(from, to, bytes));
            if (fate == Fate.REORDER && overtaken == null) {
                held.put(path, parcel);
                reordered++;
                return;
            }
            List<Parcel> unit = new ArrayList<>(3);
            if (fate == Fate.DROP) {
                dropped++;
            } else {
                unit.add(parcel);
            }
            if (fate == Fate.DUPLICATE) {
                unit.add(parcel);
                duplicated++;
            }
            if (overtaken != null) {
                unit.add(overtaken);
            }
            inFlight += unit.size();
            delay = draw.delayNanos();
            if (unit.isEmpty() || delay == 0) {
                queue.add(unit);
                return;
            }
            later = unit;
        } finally {
            lock.unlock();
        }
        scheduleDatagrams(delay, later);
    }

    /**
     * Sends on a {@code mem-stream} connection: always delivered, in order, after a delay.
     *
     * @throws IOException if the network is closed or full, or the {@link DelayScheduler} refused
     *     the message (counted dropped; the connection is then closed, {@code ERROR})
     */
    void sendStream(StreamConnection from, byte[] bytes) throws IOException {
        Pipe.Segment segment;
        long delay;
        lock.lock();
        try {
            if (!from.isOpen()) {
                throw new ConnectionClosedException(from.flow(), null);
            }
            if (closed) {
                throw new IOException("the loopback network is closed");
            }
            if (inFlight + held.size() + 1 > settings.capacity()) {
                throw new IOException("loopback network full: " + settings.capacity() + " messages in flight;"
                        + " deliver them or raise LoopbackNetwork.Builder.capacity");
            }
            sent++;
            inFlight++;
            StreamConnection to = from.peer();
            segment = from.out().add(new Parcel(true, () -> to.receive(bytes)));
            delay = chance.delay();
            if (delay == 0) {
                queue.add(from.out().arrive(segment));
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            scheduler.schedule(Duration.ofNanos(delay), () -> arriveSegment(from.out(), segment));
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                List<Parcel> ready = from.out().withdraw(segment);
                if (ready != null && !closed) { // else it arrived all the same, or close forgot it
                    queue.add(ready);
                    lost(1);
                }
            } finally {
                lock.unlock();
            }
            from.close(CloseReason.ERROR); // a stream with a hole in it cannot go on
            throw refused(e);
        }
    }

    /** The end of a stream: behind everything sent before it, the peer closes ({@code PEER}). */
    void endStream(StreamConnection from) {
        lock.lock();
        try {
            if (!closed) {
                events++;
                StreamConnection to = from.peer();
                queue.add(from.out().arrive(from.out().add(new Parcel(false, () -> {
                    to.closedByPeer();
                    return true;
                }))));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a connection event for a handler: handlers run only where messages are delivered. */
    void event(GuardedHandler handler, ConnectionEvent event) {
        lock.lock();
        try {
            if (!closed) {
                events++;
                queue.add(List.of(new Parcel(false, () -> {
                    handler.event(event);
                    return true;
                })));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rule(Rule rule) {
        Objects.requireNonNull(rule, "rule");
        lock.lock();
        try {
            rules.add(rule);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean removeRule(Rule rule) {
        lock.lock();
        try {
            return rules.remove(rule);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void clearRules() {
        lock.lock();
        try {
            rules.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int pending() {
        return queue.size();
    }

    @Override
    public boolean deliverNext() {
        requireManual("deliverNext()");
        boolean delivered = queue.deliverNext();
        lock.lock();
        try {
            rethrowHandlerError();
        } finally {
            lock.unlock();
        }
        return delivered;
    }

    @Override
    public int deliverAll() {
        requireManual("deliverAll()");
        int n = 0;
        while (deliverNext()) {
            if (++n >= DELIVER_ALL_LIMIT) {
                throw new IllegalStateException("handlers kept the network busy for " + n
                        + " deliveries; an endless exchange?");
            }
        }
        return n;
    }

    @Override
    public int releaseHeld() {
        lock.lock();
        try {
            List<Parcel> released = new ArrayList<>(held.values());
            held.clear();
            inFlight += released.size();
            queue.add(released);
            return released.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            rethrowHandlerError();
            while (inFlight > 0 || events > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
                rethrowHandlerError();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public NetworkStats stats() {
        lock.lock();
        try {
            return new NetworkStats(sent, delivered, dropped, duplicated, reordered, inFlight, held.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Error unreported;
        boolean closing;
        lock.lock();
        try {
            unreported = handlerError; // also on a repeated close: a handler may still have been running
            handlerError = null;
            closing = !closed;
            if (closing) {
                closed = true;
                dropped += inFlight + held.size(); // forgotten: lost, so the counts still add up
                held.clear();
                inFlight = 0;
                events = 0;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (closing) {
            queue.close();
            if (realTime != null) {
                realTime.close();
            }
        }
        if (unreported != null) {
            throw unreported;
        }
    }

    /**
     * An Error thrown on delivery, after it was counted and logged: kept (the first one only) for
     * the test to see, while delivery goes on.
     */
    void handlerFailed(Error e) {
        lock.lock();
        try {
            if (handlerError == null) {
                handlerError = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Why a transport that is itself open acts closed: its network is. */
    static IOException closedCause() {
        return new IOException("its LoopbackNetwork is closed");
    }

    private Fate ruleFate(Packet packet) {
        for (Rule rule : rules) {
            Fate fate = rule.decide(packet);
            if (fate != null && fate != Fate.CHANCE) {
                return fate;
            }
        }
        return Fate.CHANCE;
    }

    /**
     * Outside the lock: hands a delayed unit to the scheduler. If the scheduler throws, the unit is
     * lost (counted dropped, so that the counts still return to zero) unless its task ran anyway.
     */
    private void scheduleDatagrams(long delayNanos, List<Parcel> unit) throws IOException {
        AtomicBoolean settled = new AtomicBoolean(); // by the task or by the refusal, whichever comes first
        try {
            scheduler.schedule(Duration.ofNanos(delayNanos), () -> {
                lock.lock();
                try {
                    if (settled.compareAndSet(false, true) && !closed) {
                        queue.add(unit);
                    }
                } finally {
                    lock.unlock();
                }
            });
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                if (settled.compareAndSet(false, true) && !closed) {
                    lost(unit.size());
                }
            } finally {
                lock.unlock();
            }
            throw refused(e);
        }
    }

    /** Under the lock: {@code n} messages in flight will never be delivered. */
    private void lost(int n) {
        inFlight -= n;
        dropped += n;
        signalIfIdle();
    }

    /** Under the lock. */
    private void signalIfIdle() {
        if (inFlight == 0 && events == 0) {
            changed.signalAll();
        }
    }

    /** What a send throws when the scheduler refused its message: an Error as is, for the test to see. */
    private static IOException refused(Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        return new IOException("the loopback network's DelayScheduler refused a message: " + e, e);
    }

    private void arriveSegment(Pipe pipe, Pipe.Segment segment) {
        lock.lock();
        try {
            if (!closed) {
                queue.add(pipe.arrive(segment));
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean arriveDatagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        Object receiver;
        lock.lock();
        try {
            receiver = bindings.lookup(MEM.name(), to);
        } finally {
            lock.unlock();
        }
        return receiver instanceof DatagramEndpoint endpoint && endpoint.receive(from, to, bytes);
    }

    /** Hands one parcel over (on the delivery thread, or in deliverNext) and counts it. */
    private void deliver(Parcel parcel) {
        boolean arrived = false;
        try {
            arrived = parcel.arrival().getAsBoolean();
        } catch (Throwable e) { // handlers are guarded: this is the fixture's own bug, which must not end delivery
            LOG.log(Level.ERROR, "loopback delivery failed", e);
            if (e instanceof Error error) {
                handlerFailed(error);
            }
        } finally {
            lock.lock();
            try {
                if (!closed) { // close() has already forgotten everything in flight
                    if (parcel.message()) {
                        inFlight--;
                        if (arrived) {
                            delivered++;
                        } else {
                            dropped++;
                        }
                    } else {
                        events--;
                    }
                    signalIfIdle();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock: throws the kept Error, forgetting it, so that it is reported once. */
    private void rethrowHandlerError() {
        Error e = handlerError;
        if (e != null) {
            handlerError = null;
            throw e;
        }
    }

    private void requireManual(String what) {
        if (!settings.manual()) {
            throw new IllegalStateException(what + " needs a network built with manualDelivery();"
                    + " this one delivers on its own thread (use awaitIdle)");
        }
    }
}
