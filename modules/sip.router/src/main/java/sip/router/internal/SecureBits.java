package sip.router.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Secret random bits (Via branches, tags, Call-IDs) without one lock every sending thread
 * queues on. The default
 * {@code new SecureRandom()} on Linux is NativePRNG, whose every call takes a class-wide lock.
 * Here a few stripes each own a DRBG ({@code SecureRandom.getInstance("DRBG")}, Hash_DRBG
 * seeded from the system entropy source) and draw from it a block at a time; a thread uses the
 * stripe its id picks. Not a DRBG per thread: virtual threads come and go per request, and each
 * would seed a new one.
 */
public final class SecureBits {

    /** Branches drawn per DRBG call: the call's fixed cost is paid once per block. */
    private static final int PER_BLOCK = 64;
    private static final int STRIPES =
            Integer.highestOneBit(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));

    private final int size;
    private final AtomicReferenceArray<Stripe> stripes = new AtomicReferenceArray<>(STRIPES);

    public SecureBits(int size) {
        this.size = size;
    }

    /** {@code size} fresh random bytes. */
    public byte[] next() {
        int i = (int) Thread.currentThread().threadId() & (STRIPES - 1);
        Stripe s = stripes.get(i);
        if (s == null) {
            s = new Stripe(size * PER_BLOCK);
            if (!stripes.compareAndSet(i, null, s)) {
                s = stripes.get(i);
            }
        }
        byte[] out = new byte[size];
        s.take(out);
        return out;
    }

    private static final class Stripe {
        private final SecureRandom drbg;
        private final byte[] block;
        private int taken; // guarded by this

        Stripe(int blockSize) {
            try {
                drbg = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK's DRBG is missing", e);
            }
            block = new byte[blockSize];
            taken = blockSize;
        }

        synchronized void take(byte[] out) {
            if (taken == block.length) {
                drbg.nextBytes(block);
                taken = 0;
            }
            System.arraycopy(block, taken, out, 0, out.length);
            taken += out.length;
        }
    }
}
