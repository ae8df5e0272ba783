package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import sip.script.ReloadResult;
import sip.script.ScriptCheck;
import sip.script.ScriptError;
import sip.script.Scripts;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Regressions of review findings on the API's edges: console at the module's top level, relay
 * option types, config.workers' bound, and config keys a reload cannot apply.
 */
class ApiEdgesTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void consoleLogAtTheTopLevelGoesToTheScriptLog() throws Exception {
        Path s = fx.script("top.js", """
                console.log('module loading', 42);
                export function onRequest(req, sip) { sip.reply(200); }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "t1"));
        executor.handle(r).get();
        assertEquals(200, r.response().statusCode());
        assertTrue(fx.host.logs.stream().anyMatch(l -> l.level() == Level.INFO && l.location().equals("top.js:1")
                && l.message().equals("module loading 42")), fx.host.logs::toString);
    }

    @Test
    void relayOptionsOfTheWrongTypeAreTypeErrorsNamingTheOption() throws Exception {
        Path s = fx.script("opt.js", """
                export function onRequest(req, sip) {
                  const out = [];
                  for (const o of [{ maxBranches: 2.5 }, { recordRoute: 'false' }, { branchTimeout: '100' },
                                   { forking: 1 }, { maxBranches: 0 }, { responseTimeout: true }, { responseTimeout: 0 }]) {
                    try { sip.relay(req, 'sip:a@10.0.0.1', o); out.push('relayed'); } catch (e) { out.push(e.constructor.name + ' ' + e.message); }
                  }
                  sip.reply(400, 'x', { 'X-Out': out.join(' | ') });
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "o1"));
        executor.handle(r).get();
        var resp = r.response();
        assertEquals(400, resp.statusCode(), resp::toString);
        assertEquals("TypeError relay option maxBranches must be a positive integer, not 2.5"
                + " | TypeError relay option recordRoute must be a boolean, not 'false'"
                + " | TypeError relay option branchTimeout must be a number of milliseconds, not '100'"
                + " | TypeError relay option forking must be 'parallel' or 'serial', not 1"
                + " | TypeError relay option maxBranches must be a positive integer, not 0"
                + " | TypeError relay option responseTimeout must be a number of milliseconds, not true"
                + " | TypeError bad relay options: responseTimeout must be at least 1 ms, not 0.0",
                resp.header(sip.message.HeaderName.of("X-Out")).orElseThrow());
        assertFalse(r.relayed.isDone(), "nothing was relayed");
    }

    @Test
    void configWorkersIsBounded() {
        Path s = fx.script("w.js", """
                export const config = { workers: 100000 };
                export function onRequest(req, sip) { sip.reply(200); }
                """);
        ScriptCheck.Invalid invalid = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(s));
        assertEquals(ScriptError.Kind.BAD_CONFIG, invalid.error().kind());
        assertEquals("config.workers must be an integer from 1 to 256", invalid.error().message());
        fx.script("w.js", """
                export const config = { workers: 256 };
                export function onRequest(req, sip) { sip.reply(200); }
                """);
        assertInstanceOf(ScriptCheck.Valid.class, Scripts.check(s));
    }

    @Test
    void aReloadChangingListenOrWorkersWarnsThatOnlyARestartAppliesThem() throws Exception {
        String handler = "export function onRequest(req, sip) { sip.reply(200); }\n";
        Path s = fx.script("cfg.js", "export const config = { listen: ['udp:127.0.0.1:5060'], workers: 2 };\n" + handler);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        fx.script("cfg.js", "export const config = { listen: ['udp:127.0.0.1:5060'], workers: 2 };\n// edited\n" + handler);
        assertInstanceOf(ReloadResult.Loaded.class, executor.reload());
        assertFalse(fx.host.logged("a restart does"), fx.host.logs::toString);
        fx.script("cfg.js", "export const config = { listen: ['udp:127.0.0.1:5070'], workers: 3 };\n" + handler);
        assertInstanceOf(ReloadResult.Loaded.class, executor.reload());
        assertTrue(fx.host.logs.stream().anyMatch(l -> l.level() == Level.WARN && l.location().equals("cfg.js")
                && l.message().equals("version 3 changes config.listen and config.workers: a reload does not apply them,"
                        + " a restart does (still using the values of the start)")), fx.host.logs::toString);
    }
}
