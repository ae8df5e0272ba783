package sip.fuzz.script;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The decisions a script property makes, read from the fuzzer's bytes (each a few bytes coverage
 * guidance can mutate) or from a seeded random source (so a plain build runs the property over
 * seeded cases beyond the committed inputs). Once the fuzzer's bytes run out every answer is the
 * lowest legal one, so a case always ends. Also a {@link RandomGenerator} for
 * {@link sip.testkit.SipGenerators}.
 */
abstract class Picks implements RandomGenerator {

    /** A number in {@code [min, max]}. */
    abstract int between(int min, int max);

    boolean percent(int percent) {
        return between(0, 99) < percent;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[between(0, options.length - 1)];
    }

    /** {@code min..max} characters drawn from {@code alphabet}. */
    String text(String alphabet, int min, int max) {
        int n = between(min, max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(between(0, alphabet.length() - 1)));
        }
        return sb.toString();
    }

    @Override
    public int nextInt(int bound) {
        return between(0, bound - 1);
    }

    @Override
    public int nextInt(int origin, int bound) {
        return between(origin, bound - 1);
    }

    @Override
    public boolean nextBoolean() {
        return between(0, 1) == 1;
    }

    static Picks of(FuzzedDataProvider data) {
        return new Picks() {
            @Override
            int between(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public long nextLong() {
                return data.consumeLong();
            }
        };
    }

    static Picks seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Picks() {
            @Override
            int between(int min, int max) {
                return random.nextInt(min, max + 1);
            }

            @Override
            public long nextLong() {
                return random.nextLong();
            }
        };
    }
}
