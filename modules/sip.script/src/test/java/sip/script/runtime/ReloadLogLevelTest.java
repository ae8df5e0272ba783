package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.router.UserAgent;
import sip.script.ReloadResult;
import sip.script.ScriptRuntime;

/**
 * A reload is told once: when an {@code onReload} listener reports it (what {@code parley run}
 * prints on stdout), the runtime's own log lines about it are DEBUG (not shown by the default
 * slf4j-simple level, INFO); with nobody reporting, loaded is INFO and rejected ERROR. The log is
 * observed on System.err, where slf4j-simple writes (it looks the stream up per line).
 */
class ReloadLogLevelTest {

    private static final String V1 = "export function onRequest(req, sip) { sip.reply(200); }\n";
    private static final String V2 = "export function onRequest(req, sip) { sip.reply(202); }\n";
    private static final String BROKEN = "export function onRequest(req, sip) {\n  sip.reply(200;\n}\n";

    @TempDir
    Path dir;

    @Test
    void withAListenerReloadsAreNotLoggedAgainAtInfo() throws Exception {
        List<ReloadResult> reported = new CopyOnWriteArrayList<>();
        String log = reloadTwice(reported);
        assertEquals(2, reported.size(), reported::toString);
        assertInstanceOf(ReloadResult.Loaded.class, reported.get(0));
        assertInstanceOf(ReloadResult.Rejected.class, reported.get(1));
        assertFalse(log.contains("loaded r.js version 2"), log);
        assertFalse(log.contains("reload rejected"), log);
    }

    @Test
    void withoutAListenerReloadsAreLogged() throws Exception {
        String log = reloadTwice(null);
        assertTrue(log.contains("INFO") && log.contains("loaded r.js version 2"), log);
        assertTrue(log.contains("ERROR") && log.contains("reload rejected"), log);
    }

    /** Loads version 2, then a broken edit; returns what was logged meanwhile. */
    private String reloadTwice(List<ReloadResult> listener) throws Exception {
        Path script = Files.writeString(dir.resolve("r.js"), V1);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try (UserAgent ua = UserAgent.newBuilder().name("reload-log").closeTimeout(Duration.ZERO).build()) {
            ScriptRuntime.Builder b = ScriptRuntime.newBuilder(script).userAgent(ua).workers(1);
            if (listener != null) {
                b.onReload(listener::add);
            }
            try (ScriptRuntime rt = b.build()) {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try {
                    Files.writeString(script, V2);
                    assertInstanceOf(ReloadResult.Loaded.class, rt.reload());
                    Files.writeString(script, BROKEN);
                    assertInstanceOf(ReloadResult.Rejected.class, rt.reload());
                } finally {
                    System.setErr(original);
                }
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
