package sip.script.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * REVIEW-R findings on the script wiring of SIP over WebSocket. Here, not in sip.script, because
 * {@link RunningParley} is package-private.
 */
@Timeout(60)
class ReviewWsFindingsTest {

    private static final String MARKER = "review-r-top-level-ran";
    private static final String SCRIPT = "console.log('" + MARKER + "');\n"
            + "export function onRequest(req, sip) { sip.reply(200); }\n";

    @TempDir
    Path dir;

    @Test
    void configWebsocketDoesNotRunTheScriptsTopLevelAgain() throws Exception {
        long without = topLevelRuns("plain.js", SCRIPT);
        long with = topLevelRuns("ws.js", "export const config = { websocket: { path: '/sip' } };\n" + SCRIPT);
        assertEquals(without, with, "top-level code ran " + with + " times with config.websocket, " + without + " without");
    }

    private long topLevelRuns(String name, String source) throws Exception {
        Path script = Files.writeString(dir.resolve(name), source);
        // Script logs go through slf4j-simple to System.err, not to parley's own streams: tee it.
        PrintStream original = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeOutputStream(original, logged), true, StandardCharsets.UTF_8));
        try (RunningParley parley = new RunningParley("run", script.toString(), "--no-watch", "--workers", "1",
                "--listen", "ws:127.0.0.1:0").awaitReady()) {
            assertEquals(0, parley.stop());
        } finally {
            System.setErr(original);
        }
        return logged.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(MARKER)).count();
    }

    /** Writes to both. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
