package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.ScriptCheck;
import sip.script.ScriptError;
import sip.script.Scripts;

class CheckTest {

    @TempDir
    Path dir;

    @Test
    void validScriptWithConfig() {
        Path s = FakeHosts.script(dir, "ok.js", """
                export const config = {
                  listen: ['udp:127.0.0.1:5060'],
                  domains: ['example.test'],
                  auth: { realm: 'example.test', users: { alice: 'secret' } },
                };
                export function onRequest(req, sip) { sip.reply(200); }
                export function onFailure(res, branch, req, sip) { }
                """);
        ScriptCheck.Valid v = assertInstanceOf(ScriptCheck.Valid.class, Scripts.check(s));
        assertEquals(List.of("udp:127.0.0.1:5060"), v.config().listen());
        assertEquals(List.of("example.test"), v.config().domains());
        assertEquals(Map.of("alice", "secret"), v.config().auth().orElseThrow().users());
        assertEquals(Set.of("config", "onRequest", "onFailure"), v.exports());
    }

    @Test
    void syntaxErrorHasFileLineColumn() {
        Path s = FakeHosts.script(dir, "bad.js", "export function onRequest(req, sip) {\n  sip.reply(200;\n}\n");
        ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(s)).error();
        assertEquals(ScriptError.Kind.SYNTAX, e.kind());
        assertEquals("bad.js", e.file());
        assertEquals(2, e.line());
        assertTrue(e.column() > 0);
        assertTrue(e.toString().startsWith("bad.js:2:" + e.column() + ": SyntaxError"), e::toString);
    }

    @Test
    void missingOnRequestBadConfigMissingFileAndRuntimeErrorAtTopLevel() {
        ScriptError missing = assertInstanceOf(ScriptCheck.Invalid.class,
                Scripts.check(FakeHosts.script(dir, "none.js", "export function onRequets(req, sip) { }\n"))).error();
        assertEquals(ScriptError.Kind.MISSING_EXPORT, missing.kind());
        assertTrue(missing.message().contains("onRequest"));

        ScriptError config = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(FakeHosts.script(dir, "cfg.js",
                "\nexport const config = { listen: ['udp:nowhere'] };\nexport function onRequest(req, sip) { }\n"))).error();
        assertEquals(ScriptError.Kind.BAD_CONFIG, config.kind());
        assertEquals(2, config.line());

        ScriptError io = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(dir.resolve("nope.js"))).error();
        assertEquals(ScriptError.Kind.IO, io.kind());
        assertTrue(io.toString().endsWith("nope.js:0:0: no such file"), io::toString);

        ScriptError top = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(FakeHosts.script(dir, "top.js",
                "export function onRequest(req, sip) { }\nundefinedThing();\n"))).error();
        assertEquals(ScriptError.Kind.RUNTIME, top.kind());
        assertEquals(2, top.line());
    }

    @Test
    void sandboxRefusesHostClassesPolyglotAndLoad() {
        for (String probe : List.of("Java.type('java.lang.System')", "Polyglot.eval('js', '1')", "load('x.js')")) {
            ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(FakeHosts.script(dir, "p.js",
                    "export function onRequest(req, sip) { }\n" + probe + ";\n")), probe).error();
            assertEquals(ScriptError.Kind.RUNTIME, e.kind(), probe);
            assertEquals(2, e.line(), probe);
        }
    }
}
