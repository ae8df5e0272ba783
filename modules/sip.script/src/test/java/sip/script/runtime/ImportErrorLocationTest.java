package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sip.script.ReloadResult;
import sip.script.ScriptCheck;
import sip.script.ScriptError;
import sip.script.Scripts;

/**
 * An import that cannot be resolved is located at its {@code import} statement in the importing
 * source (GraalJS gives no location for it); an IO error with no location prints
 * {@code file: message}, never a made-up {@code :0:0}.
 */
class ImportErrorLocationTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void missingImportNamesTheImportStatement() {
        Path s = FakeHosts.script(dir, "imp.js", """
                // a comment line
                import { a } from './missing.js';
                export function onRequest(req, sip) { sip.reply(200); }
                """);
        ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(s)).error();
        assertEquals("imp.js", e.file(), e::toString);
        assertEquals(2, e.line(), e::toString);
        assertEquals(1, e.column(), e::toString);
        assertTrue(e.toString().startsWith("imp.js:2:1: "), e::toString);
    }

    @Test
    void importOutsideTheDirectoryNamesTheImportStatement() {
        Path s = FakeHosts.script(dir, "out.js", """
                export function onRequest(req, sip) { sip.reply(200); }
                  import { a } from '../elsewhere.js';
                """);
        ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(s)).error();
        assertEquals(2, e.line(), e::toString);
        assertEquals(3, e.column(), e::toString);
    }

    @Test
    void aMissingImportOfAnImportedModuleNamesThatModule() throws Exception {
        Files.writeString(dir.resolve("lib.js"), "export const x = 1;\nimport { y } from './gone.js';\n");
        Path s = FakeHosts.script(dir, "main.js", """
                import { x } from './lib.js';
                export function onRequest(req, sip) { sip.reply(200); }
                """);
        ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(s)).error();
        assertTrue(e.toString().startsWith("lib.js:2:1: "), e::toString);
    }

    @Test
    void aMissingFileHasNoLocation() {
        ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(dir.resolve("gone.js"))).error();
        assertEquals(ScriptError.Kind.IO, e.kind());
        assertEquals(dir.resolve("gone.js") + ": no such file", e.toString());
    }

    @Test
    void aDeletedScriptIsRejectedWithoutAMadeUpLocation() throws Exception {
        Path s = fx.script("h.js", "export function onRequest(req, sip) { sip.reply(200); }\n");
        var executor = fx.open(s, FakeHosts.SETTINGS);
        Files.delete(s);
        ReloadResult.Rejected r = assertInstanceOf(ReloadResult.Rejected.class, executor.reload());
        assertEquals(s + ": no such file", r.error().toString());
        assertTrue(fx.host.logs.stream().anyMatch(l -> l.location().equals(s.toString())
                && l.message().startsWith("reload rejected: no such file")), fx.host.logs::toString);
    }
}
