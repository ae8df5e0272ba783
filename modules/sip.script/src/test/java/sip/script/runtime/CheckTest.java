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

    /** One location per error, 1-based: GraalJS's own (0-based) "file:line:col" prefix is not repeated in the message. */
    @Test
    void syntaxErrorNamesItsLocationOnceWithA1BasedColumn() {
        Path s = FakeHosts.script(dir, "proxy.js", "export function onRequest(req, sip) {\n  let a = [1, 2;\n}\n");
        ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(s)).error();
        assertEquals(2, e.line(), e::toString);
        assertEquals(16, e.column(), "the ';' is the 16th character of line 2: " + e);
        assertTrue(e.message().startsWith("SyntaxError: "), e::toString);
        assertTrue(!e.message().contains("proxy.js") && !e.message().matches(".*\\d+:\\d+.*"),
                "the message repeats a location: " + e);
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

        ScriptError alg = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(FakeHosts.script(dir, "alg.js",
                "export const config = { auth: { realm: 'r', algorithms: ['SHA-1'] } };\nexport function onRequest(req, sip) { }\n"))).error();
        assertEquals(ScriptError.Kind.BAD_CONFIG, alg.kind());
        assertTrue(alg.message().contains("config.auth.algorithms"), alg::toString);
        ScriptCheck.Valid md5 = assertInstanceOf(ScriptCheck.Valid.class, Scripts.check(FakeHosts.script(dir, "md5.js",
                "export const config = { auth: { realm: 'r', algorithms: ['md5'] } };\nexport function onRequest(req, sip) { }\n")));
        assertEquals(List.of(sip.router.auth.DigestAlgorithm.MD5), md5.config().auth().orElseThrow().algorithms());

        ScriptError io = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(dir.resolve("nope.js"))).error();
        assertEquals(ScriptError.Kind.IO, io.kind());
        assertTrue(io.toString().endsWith("nope.js: no such file"), io::toString);

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
