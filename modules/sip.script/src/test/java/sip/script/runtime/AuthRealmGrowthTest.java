package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Regression of a review finding — one DigestAuthenticator (with its replay table of up to
 * 100,000 nonces) was kept per realm string a script passed to sip.auth.check, forever; a script
 * deriving the realm from the request let any sender grow it. Only the configured realm is
 * accepted now: another one is a TypeError naming it.
 */
class AuthRealmGrowthTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void aRealmOtherThanTheConfiguredOneIsATypeErrorNamingIt() throws Exception {
        Path s = fx.script("a.js", """
                export const config = { auth: { realm: 'example.test', users: { alice: 'secret' } } };
                export function onRequest(req, sip) {
                  try {
                    const user = sip.auth.check(req, req.uri.host);
                    if (user !== null) sip.reply(200);
                  } catch (e) {
                    sip.reply(500, e.constructor.name + ' ' + e.message);
                  }
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        for (int i = 0; i < 3; i++) {
            FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@d" + i + ".example", "c" + i));
            executor.handle(r).get();
            String reason = r.response().status().reason();
            assertEquals("TypeError sip.auth.check realm 'd" + i + ".example' is not configured"
                    + " (config.auth.realm is 'example.test')", reason);
        }
        FakeHosts.Request ok = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "ok"));
        executor.handle(ok).get();
        var challenge = ok.response();
        assertEquals(407, challenge.statusCode(), challenge::toString);
        assertTrue(challenge.toString().contains("realm=\"example.test\""), challenge::toString);
    }
}
