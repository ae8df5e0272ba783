package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code req.toString()} is, as documented: the request as received with the script's edits
 * so far, not the relayed copy (no decremented Max-Forwards, no proxy Via or Record-Route).
 */
class RequestTextTest {

    @TempDir
    Path dir;

    @Test
    void showsTheReceivedRequestWithTheScriptsEditsNotTheRelayedCopy() throws IOException {
        Path script = dir.resolve("t.js");
        Files.writeString(script, """
                export function onRequest(req, sip) {
                  req.setHeader('X-Edited', 'yes');
                  req.setUri('sip:bob@10.0.0.2');
                  sip.relay(req, 'sip:bob@10.0.0.2', { recordRoute: true });
                  sip.log.info(req.toString());
                }
                """);
        try (ScriptTester t = ScriptTester.load(script)) {
            Outcome o = t.send(t.invite("sip:bob@example.test"));
            String text = o.logs().stream().filter(l -> l.level().equals("INFO")).findFirst().orElseThrow().message();
            assertTrue(text.startsWith("INVITE sip:bob@10.0.0.2 SIP/2.0"), text);
            assertTrue(text.contains("X-Edited: yes"), text);
            assertTrue(text.contains("Max-Forwards: 70"), text);
            assertEquals(1, text.lines().filter(l -> l.startsWith("Via:") || l.startsWith("v:")).count(), text);
            assertFalse(text.contains("Record-Route"), text);
        }
    }
}
