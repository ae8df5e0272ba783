package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression of a review finding — the real proxy never record-routes a REGISTER (ProxyImpl:
 * recordRoute && !REGISTER), but RelaySimulation record-routed whatever it relayed, so a test of
 * a script forwarding REGISTERs asserted a Record-Route that never goes out.
 */
class TesterRegisterRecordRouteTest {

    @TempDir
    Path dir;

    @Test
    void relayedRegisterIsNotRecordRoutedOfflineEither() throws Exception {
        Path s = Files.writeString(dir.resolve("fwd.js"), """
                export function onRequest(req, sip) {
                  sip.relay(req, 'sip:registrar.example.test', req.method === 'REGISTER' ? { recordRoute: true } : {});
                }
                """);
        try (ScriptTester t = ScriptTester.load(s)) {
            Outcome o = t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060"));
            assertFalse(o.relays().getFirst().recordRoute(), o::toString);
            assertFalse(o.relays().getFirst().branches().getFirst().request().toString().contains("Record-Route"), o::toString);
            Outcome invite = t.send(t.invite("sip:alice@example.test"));
            assertTrue(invite.relays().getFirst().recordRoute(), invite::toString);
        }
    }
}
