package sip.transport.loopback.internal;

import java.util.Random;
import sip.transport.loopback.Fate;

/**
 * The seeded dice of one network. Guarded by the network's lock, so the draws follow the order of
 * the sends.
 */
final class Chance {

    /** What chance made of one datagram: its fate (before any rule) and its delay. */
    record Draw(Fate fate, long delayNanos) {
    }

    private final Random random;
    private final double loss;
    private final double duplication;
    private final double reorder;
    private final long minDelay;
    private final long delaySpan;

    Chance(Network.Settings s) {
        this.random = new Random(s.seed());
        this.loss = s.loss();
        this.duplication = s.duplication();
        this.reorder = s.reorder();
        this.minDelay = s.minDelay().toNanos();
        this.delaySpan = s.maxDelay().toNanos() - minDelay;
    }

    /**
     * Always the same three draws plus the delay, whatever comes of them, so that a rule deciding
     * one message's fate does not shift the fates of the messages after it.
     */
    Draw datagram() {
        double lost = random.nextDouble();
        double doubled = random.nextDouble();
        double late = random.nextDouble();
        long delay = delay();
        Fate fate = lost < loss ? Fate.DROP
                : doubled < duplication ? Fate.DUPLICATE
                : late < reorder ? Fate.REORDER
                : Fate.DELIVER;
        return new Draw(fate, delay);
    }

    /** A delay in nanoseconds, uniform in min..max; no draw at all for a fixed delay. */
    long delay() {
        return delaySpan == 0 ? minDelay : minDelay + random.nextLong(delaySpan + 1);
    }
}
