package sip.fuzz.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The part the DNS properties share around their {@code run(Draws)}: one fuzzer input against
 * the class's {@link HostileResponder}, and the seeded runs over {@code firstSeed .. firstSeed +
 * seeds} that must reach the expected outcomes ({@link LocatorContract#label}s).
 */
final class SeededRuns {
    /** The default number of seeds; fewer runs need not reach every outcome. */
    private static final int DEFAULT_SEEDS = 150;

    private SeededRuns() {
    }

    /** One fuzzer input: {@code run} over {@code data}, the responder's loopback address allowed. */
    static void fuzz(ClassResponder responder, FuzzedDataProvider data, Function<Draws, String> run) {
        try (SilentCloseable allowed = LoopbackOnly.allowInFuzzTest(responder.address())) {
            run.apply(Draws.of(data));
        }
    }

    /**
     * {@code run} over each seed (an {@link AssertionError} rethrown with its seed); with the default
     * number of seeds or more, the outcomes reached must include {@code expected}.
     */
    static void seeded(ClassResponder responder, long firstSeed, int seeds, Function<Draws, String> run,
                       Set<String> expected) {
        try (SilentCloseable allowed = LoopbackOnly.allowInPlainTest(responder.address())) {
            Set<String> reached = reached(firstSeed, seeds, run);
            if (seeds >= DEFAULT_SEEDS) {   // the default runs must reach every outcome, or the property tests little
                assertTrue(reached.containsAll(expected), "outcomes the seeded runs reached: " + reached);
            }
        }
    }

    /** The outcomes {@code run} reaches over the seeds, sorted; an {@link AssertionError} names its seed. */
    static Set<String> reached(long firstSeed, int seeds, Function<Draws, String> run) {
        Set<String> reached = new TreeSet<>();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            try {
                reached.add(run.apply(Draws.seeded(seed)));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        return reached;
    }
}
