package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.ScriptError;
import sip.script.ScriptException;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.HandlerReport.Outcome;
import sip.script.internal.runtime.ScriptExecutor;

/** Imports: the script's own directory only. */
class SandboxImportTest {

    @TempDir
    Path dir;

    @Test
    void importFromTheScriptsDirectoryWorks() throws Exception {
        FakeHosts.script(dir, "lib.js", "export const answer = 201;\nexport function reason() { return 'From Lib'; }\n");
        Path s = FakeHosts.script(dir, "main.js",
                "import { answer, reason } from './lib.js';\nexport function onRequest(req, sip) { sip.reply(answer, reason()); }\n");
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, FakeHosts.SETTINGS, host)) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "imp1"));
            assertEquals(Outcome.ANSWERED, x.handle(r).get().outcome(), host.logs::toString);
            var resp = r.response();
            assertEquals(201, resp.statusCode());
            assertEquals("From Lib", resp.status().reason());
        }
    }

    @Test
    void importFromOutsideIsRefused() throws Exception {
        Files.writeString(dir.resolve("secret.js"), "export const secret = 'x';\n");
        Path sub = Files.createDirectory(dir.resolve("scripts"));
        Path s = FakeHosts.script(sub, "main.js",
                "import { secret } from '../secret.js';\nexport function onRequest(req, sip) { sip.reply(200, secret); }\n");
        try (FakeHosts.Host host = new FakeHosts.Host()) {
            ScriptException e = assertThrows(ScriptException.class, () -> ScriptExecutor.open(s, FakeHosts.SETTINGS, host));
            assertTrue(e.error().kind() == ScriptError.Kind.RUNTIME || e.error().kind() == ScriptError.Kind.IO, e::toString);
            assertTrue(e.getMessage().contains("secret.js"), e::getMessage);
        }
    }

    @Test
    void dynamicImportOfAnAbsolutePathFailsTheHandlerNotTheWorker() throws Exception {
        Path s = FakeHosts.script(dir, "main.js", """
                export async function onRequest(req, sip) {
                  try { await import('/etc/passwd'); sip.reply(200, 'read it'); }
                  catch (e) { sip.reply(403, 'refused'); }
                }
                """);
        try (FakeHosts.Host host = new FakeHosts.Host();
             ScriptExecutor x = ScriptExecutor.open(s, FakeHosts.SETTINGS, host)) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "imp2"));
            x.handle(r).get();
            assertEquals(403, r.response().statusCode());
        }
    }
}
