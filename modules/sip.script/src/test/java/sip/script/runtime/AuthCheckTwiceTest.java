package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.auth.Credentials;
import sip.router.auth.DigestClient;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Regression of a review finding — sip.auth.check is not idempotent within one request. The second call on the
 * same (valid) credentials is seen by the replay table as a reused nonce-count and sends a stale
 * 407 — although the first call returned the user. Scripts that check in a helper and again in
 * onRequest answer 407 to an authenticated request.
 */
class AuthCheckTwiceTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void secondCheckOfTheSameRequestReturnsTheSameUser() throws Exception {
        Path s = fx.script("auth.js", """
                export const config = { auth: { realm: 'example.test', users: { alice: 'secret' } } };
                export function onRequest(req, sip) {
                  const first = sip.auth.check(req);
                  if (first === null) return;
                  const second = sip.auth.check(req);
                  if (second === null) return;
                  sip.reply(200, 'OK ' + first + ' ' + second);
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        SipRequest message = FakeHosts.request("MESSAGE", "sip:bob@example.test", "t1", "");
        FakeHosts.Request first = new FakeHosts.Request(message);
        executor.handle(first).get();
        SipResponse challenge = first.response();
        assertEquals(407, challenge.statusCode());
        FakeHosts.Request second = new FakeHosts.Request(
                DigestClient.authorize(message, challenge, new Credentials("alice", "secret"), 1, DigestClient.newCnonce()));
        executor.handle(second).get();
        SipResponse r = second.response();
        assertEquals(200, r.statusCode(), r::toString);
        assertEquals("OK alice alice", r.status().reason());
    }
}
