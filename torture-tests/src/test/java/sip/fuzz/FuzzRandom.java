package sip.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} that reads the fuzzer's bytes, so that each choice the
 * {@link sip.testkit.SipGenerators} make is a few input bytes the fuzzer can mutate and learn
 * from (a seed drawn once from the data would hide the structure from coverage guidance). Once
 * the data runs out, {@link FuzzedDataProvider} answers the lowest legal value, so generation
 * always terminates.
 */
final class FuzzRandom implements RandomGenerator {
    private final FuzzedDataProvider data;

    FuzzRandom(FuzzedDataProvider data) {
        this.data = data;
    }

    @Override
    public long nextLong() {
        return data.consumeLong();
    }

    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return data.consumeInt(0, bound - 1);
    }

    @Override
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("origin must be below bound: " + origin + " >= " + bound);
        }
        return data.consumeInt(origin, bound - 1);
    }

    @Override
    public boolean nextBoolean() {
        return data.consumeBoolean();
    }
}
