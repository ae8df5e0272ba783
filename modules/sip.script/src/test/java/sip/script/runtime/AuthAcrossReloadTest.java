package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.auth.Credentials;
import sip.router.auth.DigestClient;
import sip.script.ReloadResult;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Regression of a review finding — VersionBinding says "a nonce issued by a version's authenticator stays valid
 * after a reload", but each version builds new DigestAuthenticators, whose replay table treats
 * every nonce issued before it was built as used: after each hot reload every client's next
 * authenticated request is challenged again (stale=true).
 */
class AuthAcrossReloadTest {

    private static final String SCRIPT = """
            export const config = { auth: { realm: 'example.test', users: { alice: 'secret' } } };
            export function onRequest(req, sip) {
              const user = sip.auth.check(req);
              if (user !== null) sip.reply(200, 'OK ' + user);
            }
            """;

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void controlWithoutReloadTheSecondUseOfTheNonceIsAccepted() throws Exception {
        run(false);
    }

    @Test
    void aNonceIssuedBeforeAReloadIsStillAccepted() throws Exception {
        run(true);
    }

    private void run(boolean reload) throws Exception {
        Path s = fx.script("auth.js", SCRIPT);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        SipRequest invite = FakeHosts.request("MESSAGE", "sip:bob@example.test", "n1", "");
        FakeHosts.Request first = new FakeHosts.Request(invite);
        executor.handle(first).get();
        SipResponse challenge = first.response();
        assertEquals(407, challenge.statusCode());

        Credentials alice = new Credentials("alice", "secret");
        String cnonce = DigestClient.newCnonce();
        FakeHosts.Request second = new FakeHosts.Request(DigestClient.authorize(invite, challenge, alice, 1, cnonce));
        executor.handle(second).get();
        assertEquals(200, second.response().statusCode());

        if (reload) {
            fx.script("auth.js", SCRIPT + "// edited\n");
            assertInstanceOf(ReloadResult.Loaded.class, executor.reload());
        }

        FakeHosts.Request third = new FakeHosts.Request(DigestClient.authorize(invite, challenge, alice, 2, cnonce));
        executor.handle(third).get();
        SipResponse r = third.response();
        assertEquals(200, r.statusCode(), r::toString);
    }
}
