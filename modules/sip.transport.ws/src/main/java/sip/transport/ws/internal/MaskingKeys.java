package sip.transport.ws.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The masking keys of one client connection (RFC 6455 §5.3): SplitMix64 over a counter seeded once
 * from the operating system's {@link SecureRandom}. One atomic add and a few multiplies per frame,
 * no lock: a {@code SecureRandom} shared by the transport cost 0.4–0.7 µs and a synchronized call
 * per frame sent. Thread-safe (a close frame may be made on the closing thread while the reader
 * makes a pong), and distinct states give distinct values.
 *
 * <p>Why this is enough: masking exists so that script running in a client cannot choose the bytes
 * that appear on the wire, which an intermediary might misread as HTTP (RFC 6455 §10.3; the cache
 * poisoning attack of Huang et al.). RFC 6455 §5.3 asks that each key be unpredictable to the
 * application supplying the data. A per-connection generator seeded with 64 bits from the OS is
 * unpredictable to whoever supplies our payloads: the seed is never sent, and keys are drawn per
 * frame. It is not a cryptographic generator, and need not be: Netty draws its masks from
 * {@code ThreadLocalRandom}, Jetty's client from {@code java.util.Random}.
 */
final class MaskingKeys implements RandomGenerator {

    /** The odd constant SplitMix64 steps its counter by (2^64 / golden ratio). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private final AtomicLong state;

    MaskingKeys(long seed) {
        this.state = new AtomicLong(seed);
    }

    /** A generator for a new connection, seeded from {@code os} (one call per connection). */
    static MaskingKeys seededFrom(SecureRandom os) {
        return new MaskingKeys(os.nextLong());
    }

    @Override
    public long nextLong() {
        long z = state.addAndGet(GAMMA);
        // SplitMix64's finaliser: a bijection, so distinct counters give distinct outputs.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
