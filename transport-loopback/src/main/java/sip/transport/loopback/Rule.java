package sip.transport.loopback;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Decides the {@link Fate} of {@code mem} messages, ahead of the network's probabilities; added
 * with {@link LoopbackNetwork#rule}. Rules are asked in the order they were added, under the
 * network's lock and in the order of the sends; the first answer other than {@link Fate#CHANCE}
 * wins. A rule that throws fails the send with what it threw, and the message is not counted.
 *
 * <pre>{@code
 * // lose the first 200 OK that B sends to A, once
 * network.rule(Rule.first(1, Fate.DROP,
 *         p -> p.from().equals(b) && p.to().equals(a) && p.startLine().startsWith("SIP/2.0 200")));
 * }</pre>
 */
@FunctionalInterface
public interface Rule {

    /** The fate of {@code packet}, or {@link Fate#CHANCE} to leave it to the next rule. */
    Fate decide(Packet packet);

    /** {@code fate} for every message {@code which} matches. */
    static Rule when(Predicate<Packet> which, Fate fate) {
        Objects.requireNonNull(which, "which");
        Objects.requireNonNull(fate, "fate");
        return p -> which.test(p) ? fate : Fate.CHANCE;
    }

    /** {@code fate} for the first {@code times} messages {@code which} matches, then no opinion. */
    static Rule first(int times, Fate fate, Predicate<Packet> which) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        Objects.requireNonNull(which, "which");
        Objects.requireNonNull(fate, "fate");
        AtomicInteger left = new AtomicInteger(times);
        return p -> which.test(p) && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? fate : Fate.CHANCE;
    }

    /** {@code fate} for every message from {@code from} to {@code to} (one direction of a path). */
    static Rule path(InetSocketAddress from, InetSocketAddress to, Fate fate) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return when(p -> p.from().equals(from) && p.to().equals(to), fate);
    }
}
