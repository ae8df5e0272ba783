package sip.fuzz.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Split invariance at the socket level: a valid client stream ({@link FrameScript} without
 * {@code hostile}: SIP messages whole and fragmented, control frames between fragments,
 * keep-alives, lengths in every encoding) written once whole and once in fuzzer-chosen chunks
 * (down to single bytes, the upgrade request sometimes in the same writes as the first frames)
 * gives the same delivered messages both times, which are the {@link Rfc6455Model}'s, and the
 * connection stays open until the client's close ({@link FrameExchange}'s checks).
 *
 * <p>Without {@code JAZZER_FUZZ} this replays
 * {@code src/test/resources/sip/fuzz/ws/SplitInvarianceFuzzTestInputs/splitInvariance/}.
 */
class SplitInvarianceFuzzTest {

    @RegisterExtension
    static final WsBed bed = new WsBed();

    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "60s")
    void splitInvariance(FuzzedDataProvider data) throws IOException {
        try (SilentCloseable loopback = WsBed.loopbackOnly(true)) {
            WsBed.warmUp();
            String tag = FrameExchange.newTag();
            byte[] stream = new FrameScript(data, false, tag).build();
            assertEquals(new Rfc6455Model.End.Open(true),
                    Rfc6455Model.decode(stream, WsBed.MAX_FRAME, WsBed.MAX_MESSAGE).end(), "the script made an invalid stream");
            List<String> whole = FrameExchange.run(bed, stream, tag, left -> left, false);
            int maxChunk = data.consumeInt(1, 64);
            boolean coalesce = data.consumeBoolean();
            List<String> chunked = FrameExchange.run(bed, stream, tag, left -> data.remainingBytes() == 0
                    ? 1 + left / 2 : data.consumeInt(1, maxChunk), coalesce);
            assertEquals(whole, chunked, "the messages depend on how the stream was cut");
        }
    }
}
