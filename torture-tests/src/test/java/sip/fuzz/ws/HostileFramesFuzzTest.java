package sip.fuzz.ws;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile frames after a valid handshake ({@link FrameScript} with {@code hostile}: mutations of
 * well-formed masked frames, bad close frames, text that is not UTF-8, frames and messages over
 * the limits, raw bytes), written in fuzzer-chosen chunks, against the {@link Rfc6455Model}: the
 * checks of {@link FrameExchange} (every SIP message delivered once and in order, pongs, the close
 * code, the connection open exactly when the model says, counts back to zero, no handler error).
 *
 * <p>Without {@code JAZZER_FUZZ} this replays
 * {@code src/test/resources/sip/fuzz/ws/HostileFramesFuzzTestInputs/hostileFrames/}. See FUZZING.md.
 */
class HostileFramesFuzzTest {

    @RegisterExtension
    static final WsBed bed = new WsBed();

    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "60s")
    void hostileFrames(FuzzedDataProvider data) throws IOException {
        try (SilentCloseable loopback = WsBed.loopbackOnly(true)) {
            WsBed.warmUp();
            String tag = FrameExchange.newTag();
            byte[] stream = new FrameScript(data, true, tag).build();
            boolean tiny = data.consumeBoolean();
            FrameExchange.run(bed, stream, tag,
                    left -> data.remainingBytes() == 0 ? left : data.consumeInt(1, tiny ? 8 : left), false);
        }
    }
}
