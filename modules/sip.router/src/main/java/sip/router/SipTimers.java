package sip.router;

import java.time.Duration;
import java.util.Objects;

/**
 * The base timers of RFC 3261 §17 and the ones derived from them (Table 4). Every transaction
 * timer is a function of T1, T2 and T4; RFC 6026 Timers L and M are 64×T1.
 *
 * @param t1 round-trip estimate, default 500 ms
 * @param t2 cap on non-INVITE request and INVITE response retransmission intervals, default 4 s
 * @param t4 time a message may stay in the network, default 5 s
 */
public record SipTimers(Duration t1, Duration t2, Duration t4) {

    /** The RFC defaults: T1 500 ms, T2 4 s, T4 5 s. */
    public static final SipTimers DEFAULT =
            new SipTimers(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5));

    public SipTimers {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        if (t1.isNegative() || t1.isZero()) {
            throw new IllegalArgumentException("T1 must be positive: " + t1);
        }
        if (t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("T2 (" + t2 + ") must not be below T1 (" + t1 + ")");
        }
        if (t4.isNegative()) {
            throw new IllegalArgumentException("T4 must not be negative: " + t4);
        }
    }

    /** 64×T1: Timers B, F, H, J (unreliable), L and M. */
    public Duration timeout() {
        // Not Duration.multipliedBy: it goes through BigDecimal, and this runs for every transaction.
        return Duration.ofSeconds(Math.multiplyExact(t1.getSeconds(), 64L), 64L * t1.getNano());
    }

    /** Timer D on unreliable transports: at least 32 s (RFC 3261 §17.1.1.2). */
    public Duration timerD() {
        Duration d = Duration.ofSeconds(32);
        return timeout().compareTo(d) > 0 ? timeout() : d;
    }
}
