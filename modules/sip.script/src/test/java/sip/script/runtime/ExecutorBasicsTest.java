package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;

class ExecutorBasicsTest {

    @TempDir
    Path dir;

    @Test
    void replyAsWritten() throws Exception {
        Path s = FakeHosts.script(dir, "s.js", "export function onRequest(req, sip) { sip.reply(200); }\n");
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, FakeHosts.SETTINGS, host)) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "c1"));
            HandlerReport rep = x.handle(r).get();
            assertEquals(HandlerReport.Outcome.ANSWERED, rep.outcome(), () -> rep + " " + host.logs);
            assertEquals(200, r.response().statusCode());
            assertTrue(host.logs.isEmpty(), host.logs::toString);
        }
    }
}
