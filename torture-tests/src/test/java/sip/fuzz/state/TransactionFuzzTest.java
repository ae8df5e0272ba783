package sip.fuzz.state;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transaction layer (and the server/client core above it) against an adversarial peer: a
 * fuzzer-chosen sequence of well-formed messages for a few Call-IDs (new requests, exact
 * retransmissions, branch collisions, CANCEL right or wrong, before or after the final response,
 * ACK with the right or a wrong branch and tag, in-dialog requests with old CSeqs, responses to
 * the UA's own requests, to nothing, with our Via but an unknown branch or the wrong CSeq
 * method), while the UA's handlers answer, return or throw as the fuzzer says and the UA's
 * client sends, cancels and ACKs requests of its own; time moves by fuzzer-chosen amounts.
 * Then {@link TransactionRules} checks every message on the wire and that, once time has run
 * on, every live count is back to zero, every client transaction has its final response and no
 * message broke a layer.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code TransactionFuzzTestInputs/} and a few
 * hundred seeded scenarios (see FUZZING.md).
 */
class TransactionFuzzTest {

    /**
     * Seeded scenarios a plain build runs; {@code -Dparley.fuzz.seeds=N -Dparley.fuzz.firstSeed=S}
     * runs others, more or fewer (a cheap search beside the fuzzer).
     */
    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 250);

    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "60s")
    void adversarialPeer(FuzzedDataProvider data) throws Exception {
        run(Choices.of(data), 40);
    }

    /** Seeded scenarios, so that a plain build covers the property beyond the corpus. */
    @Test
    void adversarialPeerSeeded() throws Exception {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            run(Choices.seeded(seed), 30);
        }
    }

    static void run(Choices c, int maxSteps) throws Exception {
        try (PeerBed bed = new PeerBed(b -> b.inviteHandlerTimeout(Duration.ofSeconds(c.between(1, 90))))) {
            PeerScenario s = new PeerScenario(c, bed);
            int steps = c.between(1, maxSteps);
            for (int i = 0; i < steps; i++) {
                s.step();
            }
            // Every handler returns, the peer falls silent and time runs on: every transaction
            // ends by a timer, however the run left it.
            for (PeerBed.Handled h : bed.handled) {
                bed.finish(h, false);
            }
            bed.advance(Duration.ofMinutes(6));
            TransactionRules.check(bed);
        }
    }
}
