package sip.fuzz.state;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The decisions a state-machine fuzz target makes, read either from the fuzzer's bytes (so each
 * decision is a few bytes coverage guidance can mutate) or from a seeded random source (so a
 * plain build runs the same property over many seeded scenarios beyond the committed corpus).
 * Once the fuzzer's bytes run out every answer is the lowest legal one, so a scenario always
 * ends.
 */
interface Choices {

    /** A number in {@code [min, max]}. */
    int between(int min, int max);

    boolean bool();

    /** True with roughly {@code percent} % probability for seeded choices; fuzzer-chosen otherwise. */
    default boolean percent(int percent) {
        return between(0, 99) < percent;
    }

    default <T> T pick(List<T> options) {
        return options.get(between(0, options.size() - 1));
    }

    @SafeVarargs
    static <T> T pickOf(Choices c, T... options) {
        return options[c.between(0, options.length - 1)];
    }

    /** A string of {@code min..max} characters drawn from {@code alphabet} (code points). */
    default String text(String alphabet, int min, int max) {
        int[] cps = alphabet.codePoints().toArray();
        int n = between(min, max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(cps[between(0, cps.length - 1)]);
        }
        return sb.toString();
    }

    static Choices of(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int between(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public boolean bool() {
                return data.consumeBoolean();
            }
        };
    }

    static Choices seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Choices() {
            @Override
            public int between(int min, int max) {
                return random.nextInt(min, max + 1);
            }

            @Override
            public boolean bool() {
                return random.nextBoolean();
            }
        };
    }
}
