package sip.fuzz.dns;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The decisions a DNS fuzz target makes, read from the fuzzer's bytes (each decision a few bytes
 * coverage guidance can mutate) or from a seeded random source (so a plain build runs the same
 * property over seeded inputs beyond the committed ones). Once the fuzzer's bytes run out every
 * answer is the lowest legal one, so building a zone always ends.
 */
interface Draws {

    /** A number in {@code [min, max]}. */
    int between(int min, int max);

    boolean bool();

    /** {@code n} raw bytes (fewer once the fuzzer's bytes run out). */
    byte[] bytes(int n);

    /** True with roughly {@code percent} % probability for seeded draws; fuzzer-chosen otherwise. */
    default boolean percent(int percent) {
        return between(0, 99) < percent;
    }

    default <T> T pick(List<T> options) {
        return options.get(between(0, options.size() - 1));
    }

    @SuppressWarnings("unchecked")
    default <T> T pickOf(T... options) {
        return options[between(0, options.length - 1)];
    }

    /** An unsigned 16-bit value, often one of the edges. */
    default int u16() {
        return switch (between(0, 5)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 65535;
            default -> between(0, 65535);
        };
    }

    /** An unsigned 32-bit value (as a long), often one of the edges. */
    default long u32() {
        return switch (between(0, 6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 60;
            case 3 -> 0x7fff_ffffL;
            case 4 -> 0xffff_ffffL;
            default -> between(0, Integer.MAX_VALUE) * (bool() ? 2L : 1L);
        };
    }

    static Draws of(FuzzedDataProvider data) {
        return new Draws() {
            @Override
            public int between(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public boolean bool() {
                return data.consumeBoolean();
            }

            @Override
            public byte[] bytes(int n) {
                return data.consumeBytes(n);
            }
        };
    }

    static Draws seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Draws() {
            @Override
            public int between(int min, int max) {
                return (int) random.nextLong(min, (long) max + 1);
            }

            @Override
            public boolean bool() {
                return random.nextBoolean();
            }

            @Override
            public byte[] bytes(int n) {
                byte[] b = new byte[n];
                random.nextBytes(b);
                return b;
            }
        };
    }
}
