package sip.transport.loopback;

import java.time.Duration;
import java.util.Objects;
import sip.transport.loopback.internal.Network;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportConfig;

/**
 * An in-memory network that {@code mem} and {@code mem-stream} transports send through: addresses
 * are ordinary socket addresses bound here and nowhere else, and messages travel as copied bytes
 * with the loss, duplication, reordering and delay this network is built with, plus any
 * {@link Rule}s a test adds.
 *
 * <pre>{@code
 * LoopbackNetwork network = LoopbackNetwork.newBuilder().seed(42).loss(0.1).build();
 * TransportConfig config = network.transportConfig().build();
 * Transport a = Transports.open("mem", config, handlerA);
 * }</pre>
 *
 * <h2>Delivery</h2>
 * Every receiving handler of every transport on one network runs on one delivery thread, one
 * message or event at a time, in the order they became deliverable; with
 * {@link Builder#manualDelivery()} there is no thread and the test delivers with
 * {@link #deliverNext()} and {@link #deliverAll()}. A handler that blocks therefore stops the
 * whole network: this fixture trades the real transports' parallelism for determinism.
 *
 * <h2>Handler failures</h2>
 * Whatever a handler throws is counted ({@code handlerErrors}), logged and does not stop delivery.
 * The first {@link Error} among them (in a test, usually a failed assertion) is also kept and
 * rethrown as is, once, by the next {@link #deliverNext()}, {@link #deliverAll()},
 * {@link #awaitIdle} or {@link #close()}, so that the test fails where it waits instead of timing out.
 *
 * <h2>Determinism</h2>
 * Each {@code mem} send draws the same random numbers whatever its fate, from one generator seeded
 * by {@link Builder#seed}: the same sends in the same order get the same fates and delays, and a
 * rule that changes one message's fate leaves every other message's as it was.
 *
 * <p>Thread-safe. Sealed: made only by {@link #newBuilder()}.
 */
public sealed interface LoopbackNetwork extends AutoCloseable permits Network {

    /** Unreliable and datagram-like: loss, duplication, reordering and delay all apply. */
    Protocol MEM = new Protocol("mem", false, false, false, 5060);

    /** Reliable and in order, with connections; only delay applies (head-of-line, like TCP). */
    Protocol MEM_STREAM = new Protocol("mem-stream", true, true, false, 5060);

    static Builder newBuilder() {
        return new Builder();
    }

    /**
     * A {@link TransportConfig} builder carrying this network, the way a {@code mem} or
     * {@code mem-stream} transport finds it ({@link TransportConfig#extension}).
     */
    default TransportConfig.Builder transportConfig() {
        return TransportConfig.newBuilder().extension(LoopbackNetwork.class, this);
    }

    /** Adds a rule, asked after those added before it. */
    void rule(Rule rule);

    /** Removes a rule; true if it was there. */
    boolean removeRule(Rule rule);

    /** Removes every rule. */
    void clearRules();

    /** Messages and connection events ready to deliver now (not those waiting out a delay). */
    int pending();

    /**
     * Delivers the next ready message or connection event on the calling thread.
     *
     * @return false if nothing was ready
     * @throws IllegalStateException unless built with {@link Builder#manualDelivery()}
     * @throws Error what a handler threw in this delivery, after the delivery was counted
     */
    boolean deliverNext();

    /**
     * Delivers until nothing is ready, including what handlers send meanwhile.
     *
     * @return how many messages and events were delivered
     * @throws IllegalStateException unless built with {@link Builder#manualDelivery()}, or if
     *     handlers keep the network busy for a million deliveries (an endless ping-pong)
     * @throws Error what a handler threw: delivery stops right after that delivery, the rest stays ready
     */
    int deliverAll();

    /** Lets every held-back message go, as if the next message on its path had been sent. */
    int releaseHeld();

    /**
     * Waits until no message or event is in flight or ready (held-back messages aside): every
     * handler has returned and sent nothing still undelivered.
     *
     * @return true if idle, false if {@code timeout} passed first
     * @throws Error the first Error a handler threw that was not rethrown yet, as soon as there is one
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    NetworkStats stats();

    /**
     * Stops delivering and forgets everything in flight and held, counting it as dropped.
     * Transports on it should be closed first.
     *
     * @throws Error the first Error a handler threw that was not rethrown yet, once the network is closed
     */
    @Override
    void close();

    /** Builds a {@link LoopbackNetwork}; setters validate and return {@code this}. */
    final class Builder {
        private long seed = 0x5EEDL;
        private double loss;
        private double duplication;
        private double reorder;
        private Duration minDelay = Duration.ZERO;
        private Duration maxDelay = Duration.ZERO;
        private DelayScheduler scheduler;
        private boolean manual;
        private int capacity = 10_000;

        private Builder() {
        }

        /** Seeds the generator of fates and delays. Default 0x5EED. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Probability that a {@code mem} message is lost. Default 0. */
        public Builder loss(double probability) {
            this.loss = probability(probability, "loss");
            return this;
        }

        /** Probability that a {@code mem} message arrives twice. Default 0. */
        public Builder duplication(double probability) {
            this.duplication = probability(probability, "duplication");
            return this;
        }

        /** Probability that a {@code mem} message is held back behind the next one. Default 0. */
        public Builder reorder(double probability) {
            this.reorder = probability(probability, "reorder");
            return this;
        }

        /** Every message takes exactly {@code delay}. Default zero. */
        public Builder delay(Duration delay) {
            return delay(delay, delay);
        }

        /** Every message takes a delay drawn uniformly from {@code min..max}. Default zero. */
        public Builder delay(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("delay needs 0 <= min <= max: " + min + ".." + max);
            }
            this.minDelay = min;
            this.maxDelay = max;
            return this;
        }

        /** What runs delayed arrivals. Default: real time, on a thread of the network's own. */
        public Builder scheduler(DelayScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * No delivery thread: messages wait in the queue until the test calls
         * {@link LoopbackNetwork#deliverNext()} or {@link LoopbackNetwork#deliverAll()}. Default:
         * a delivery thread delivers as soon as a message is ready.
         */
        public Builder manualDelivery() {
            this.manual = true;
            return this;
        }

        /**
         * Messages in flight and held at once. Beyond it a {@code mem} message is dropped and a
         * {@code mem-stream} send throws. Default 10,000.
         */
        public Builder capacity(int messages) {
            if (messages < 2) {
                throw new IllegalArgumentException("capacity must be at least 2: " + messages);
            }
            this.capacity = messages;
            return this;
        }

        public LoopbackNetwork build() {
            return new Network(new Network.Settings(seed, loss, duplication, reorder, minDelay, maxDelay,
                    scheduler, manual, capacity));
        }

        private static double probability(double p, String name) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + " must be a probability in 0..1: " + p);
            }
            return p;
        }
    }
}
