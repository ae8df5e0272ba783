package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script mistake SIP answers for it is logged once, at WARN, with the script's {@code file:line}:
 * a relay to an empty target list (480) and {@code sip.auth.check} without {@code config.auth}
 * (403). The binding is the runtime's, so this holds under {@code parley run} too.
 */
class AnsweredMistakeWarningTest {

    @TempDir
    Path dir;

    private ScriptTester load(String source) throws IOException {
        Path script = dir.resolve("w.js");
        Files.writeString(script, source);
        return ScriptTester.load(script);
    }

    @Test
    void relayWithNoTargetsIsA480AndOneWarningAtTheRelayLine() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  const targets = [];
                  sip.relay(req, targets);
                }
                """)) {
            Outcome o = t.send(t.invite("sip:bob@example.test")).assertFinal(480);
            assertEquals(1, o.logs().stream().filter(l -> l.level().equals("WARN")).count(), o.logs()::toString);
            o.assertLogged("WARN w.js:3: relay with no targets: 480");
        }
    }

    @Test
    void authCheckWithoutConfigAuthIsA403AndOneWarningAtTheCheckLine() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  if (sip.auth.check(req) === null) return;
                  sip.reply(200);
                }
                """)) {
            Outcome o = t.send(t.invite("sip:bob@example.test")).assertReplied(403);
            assertEquals(1, o.logs().stream().filter(l -> l.level().equals("WARN")).count(), o.logs()::toString);
            o.assertLogged("WARN w.js:2: sip.auth.check without config.auth: 403");
        }
    }

    @Test
    void aRelayWithTargetsWarnsNothing() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) { sip.relay(req, 'sip:bob@10.0.0.2'); }
                """)) {
            Outcome o = t.send(t.invite("sip:bob@example.test"));
            assertEquals(0, o.logs().stream().filter(l -> l.level().equals("WARN")).count(), o.logs()::toString);
        }
    }
}
