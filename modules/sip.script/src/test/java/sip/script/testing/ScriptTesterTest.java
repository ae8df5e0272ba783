package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.message.SipRequest;
import sip.script.ScriptError;

/**
 * ScriptTester against small scripts written for each test: what it records of replies, relays,
 * logs and errors, how simulated branches drive onFailure, the registrar on the virtual clock,
 * and answering Digest challenges.
 */
class ScriptTesterTest {

    @TempDir
    Path dir;

    private ScriptTester load(String source) throws IOException {
        Path script = dir.resolve("test.js");
        Files.writeString(script, source);
        return ScriptTester.load(script);
    }

    @Test
    void aReplyIsRecordedWithItsReasonAndHeaders() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.reply(486, 'Busy Here', { 'X-Why': 'test' });
                }
                """)) {
            Outcome o = t.send(t.invite("sip:bob@example.test")).assertReplied(486, "Busy Here").assertNoError();
            assertEquals("test", o.replied().orElseThrow().header("X-Why").orElseThrow());
            assertTrue(o.relays().isEmpty());
        }
    }

    @Test
    void aRelayIsRecordedWithTargetsOptionsAndHeaderEdits() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  req.setHeader('X-Tenant', 'blue');
                  req.removeHeader('X-Secret');
                  req.setUri('sip:bob@10.0.0.7:5070');
                  sip.relay(req, ['sip:bob@10.0.0.7:5070', 'sip:bob@10.0.0.8'],
                            { recordRoute: false, forking: 'serial', branchTimeout: 1500 });
                }
                """)) {
            Outcome o = t.send(t.invite("sip:bob@example.test").header("X-Secret", "s3cr3t"));
            o.assertRelayed().to("sip:bob@10.0.0.7:5070", "sip:bob@10.0.0.8")
                    .withoutRecordRoute().forking("serial").withBranchTimeout(Duration.ofMillis(1500))
                    .withHeader("X-Tenant", "blue").withoutHeader("X-Secret")
                    .withRequestUri("sip:bob@10.0.0.7:5070")
                    .branches("sip:bob@10.0.0.7:5070").answered(200);
            assertEquals(200, o.finalResponse().orElseThrow().statusCode());
            assertTrue(o.replied().isEmpty(), "a relayed request was not replied to here");
        }
    }

    @Test
    void simulatedBranchAnswersDriveOnFailureAndOnResponse() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.relay(req, 'sip:a@10.0.0.1');
                }
                export function onResponse(res, branch, sip) {
                  sip.log.info('branch', branch.index, branch.target, 'answered', res.status);
                }
                export function onFailure(res, branch, req, sip) {
                  return res.status === 503 ? 'sip:b@10.0.0.2' : undefined;
                }
                """)) {
            t.onRelay(target -> target.equals("sip:a@10.0.0.1") ? 503 : 200);
            Outcome o = t.send(t.invite("sip:x@example.test"));
            o.assertRelayed().to("sip:a@10.0.0.1").branches("sip:a@10.0.0.1", "sip:b@10.0.0.2").answered(200);
            o.assertLogged("branch 0 sip:a@10.0.0.1 answered 503").assertLogged("branch 1 sip:b@10.0.0.2 answered 200");

            t.onRelay(target -> 486);
            t.send(t.invite("sip:x@example.test")).assertRelayed().branches("sip:a@10.0.0.1").answered(486);
        }
    }

    @Test
    void anAsyncHandlerSeesTheRelayResult() throws IOException {
        try (ScriptTester t = load("""
                export async function onRequest(req, sip) {
                  const r = await sip.relay(req, 'sip:a@10.0.0.1');
                  sip.log.info('upstream', r.status, r.outcome);
                }
                """)) {
            t.onRelay(target -> 404);
            t.send(t.invite("sip:x@example.test")).assertRelayed().answered(404).outcome().assertLogged("upstream 404 forwarded");
        }
    }

    @Test
    void anExceptionIsAScriptErrorAnswered500() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  const n = null;
                  return n.boom;
                }
                """)) {
            Outcome o = t.send(t.invite("sip:x@example.test")).assertReplied(500).assertError("test.js:3");
            ScriptError e = o.error().orElseThrow();
            assertEquals(ScriptError.Kind.RUNTIME, e.kind());
            assertEquals(3, e.line());
            assertTrue(e.message().contains("TypeError"), e.message());
        }
    }

    @Test
    void aHandlerThatDoesNotAnswerGets500() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.log.info('thinking');
                }
                """)) {
            t.send(t.invite("sip:x@example.test")).assertReplied(500, "Script Did Not Answer").assertLogged("thinking");
        }
    }

    @Test
    void aSecondFinalReplyIsATypeError() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.reply(200);
                  sip.reply(404);
                }
                """)) {
            t.send(t.invite("sip:x@example.test")).assertReplied(200).assertError("TypeError");
        }
    }

    @Test
    void logsCarryLevelAndLocation() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.log.warn('from', req.from.uri.user, 42);
                  sip.reply(200);
                }
                """)) {
            Outcome o = t.send(t.invite("sip:x@example.test"));
            assertEquals(List.of(new LogLine("WARN", "test.js:2", "from caller 42")), o.logs());
            assertTrue(t.logs().containsAll(o.logs()));
        }
    }

    @Test
    void theRequestViewShowsSourceTransportAndDialogState() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.reply(200, 'OK', { 'X-Seen': [req.source.address, req.transport, String(req.inDialog)].join(' ') });
                }
                """)) {
            Outcome o = t.send(t.request("BYE", "sip:x@example.test").source("10.1.2.3:5090").transport("tcp").toTag("abc"));
            assertEquals("10.1.2.3:5090 tcp true", o.replied().orElseThrow().header("X-Seen").orElseThrow());
        }
    }

    @Test
    void theStoreKeepsStateAcrossRequestsAndItsTtlRunsOnVirtualTime() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  const n = sip.store.incr('count');
                  if (n === 1) sip.store.set('first', req.callId, 30);
                  sip.reply(200, 'OK', { 'X-Count': String(n), 'X-First': String(sip.store.has('first')) });
                }
                """)) {
            t.send(t.invite("sip:x@example.test"));
            Outcome second = t.send(t.invite("sip:x@example.test"));
            assertEquals("2", second.replied().orElseThrow().header("X-Count").orElseThrow());
            assertEquals(2.0, ((Number) t.stored("count").orElseThrow()).doubleValue());
            assertTrue(t.stored("first").isPresent());
            t.advance(Duration.ofSeconds(31));
            assertTrue(t.stored("first").isEmpty(), "expired on the virtual clock");
            assertEquals("false", t.send(t.invite("sip:x@example.test")).replied().orElseThrow().header("X-First").orElseThrow());
        }
    }

    @Test
    void theRealRegistrarOnTheVirtualClock() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  if (req.method === 'REGISTER') { sip.registrar.save(req); return; }
                  const c = sip.location.lookup(req.uri);
                  if (c.length === 0) { sip.reply(404); return; }
                  sip.relay(req, c);
                }
                """)) {
            Outcome reg = t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060").expires(60));
            reg.assertReplied(200);
            assertEquals(t.now(), ScriptTester.START);
            assertEquals(List.of("sip:alice@10.0.0.2:5060"), t.contacts("sip:alice@example.test"));
            t.send(t.invite("sip:alice@example.test")).assertRelayed().to("sip:alice@10.0.0.2:5060");
            t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060").expires(10)).assertReplied(423);
            t.advance(Duration.ofSeconds(61));
            assertEquals(List.of(), t.contacts("sip:alice@example.test"));
            t.send(t.invite("sip:alice@example.test")).assertReplied(404);
        }
    }

    @Test
    void credentialsAnswerChallenges() throws IOException {
        try (ScriptTester t = load("""
                export const config = { auth: { realm: 'test.realm', users: { alice: 'pw' } } };
                export function onRequest(req, sip) {
                  const user = sip.auth.check(req);
                  if (user === null) return;
                  sip.reply(200, 'OK', { 'X-User': user });
                }
                """)) {
            Outcome challenged = t.send(t.register("sip:alice@example.test")).assertReplied(401);
            assertTrue(challenged.replied().orElseThrow().header("WWW-Authenticate").orElseThrow().contains("realm=\"test.realm\""));
            t.send(t.invite("sip:bob@example.test")).assertReplied(407);

            t.withCredentials("alice", "pw");
            Outcome in = t.send(t.register("sip:alice@example.test")).assertReplied(200);
            assertEquals("alice", in.replied().orElseThrow().header("X-User").orElseThrow());
            assertEquals(1, in.challenges().size());
            assertEquals(401, in.challenges().getFirst().statusCode());
            assertTrue(in.request().header("Authorization").isPresent(), "the outcome is the answered request's");
            t.send(t.invite("sip:bob@example.test")).assertReplied(200);

            t.withCredentials("alice", "wrong");
            Outcome refused = t.send(t.register("sip:alice@example.test")).assertReplied(401);
            assertEquals(1, refused.challenges().size(), "a refused password is not tried again");
        }
    }

    @Test
    void rawTextAndBuiltRequestsAreSentToo() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) { sip.reply(200, 'OK', { 'X-Source': req.source.address }); }
                """)) {
            Outcome o = t.send("""
                    OPTIONS sip:example.test SIP/2.0
                    Via: SIP/2.0/UDP 10.9.8.7:5066;branch=z9hG4bK-raw-1
                    From: <sip:probe@example.test>;tag=1
                    To: <sip:example.test>
                    Call-ID: raw-1@test
                    CSeq: 1 OPTIONS
                    Max-Forwards: 70
                    Content-Length: 0

                    """);
            assertEquals("10.9.8.7:5066", o.assertReplied(200).replied().orElseThrow().header("X-Source").orElseThrow());
            SipRequest built = t.request("MESSAGE", "sip:bob@example.test").body("text/plain", "hi").build();
            t.send(built).assertReplied(200);
            assertThrows(IllegalArgumentException.class, () -> t.send("not sip at all\n\n"));
            IllegalArgumentException ack = assertThrows(IllegalArgumentException.class,
                    () -> t.send(t.request("ACK", "sip:bob@example.test").toTag("x")));
            assertEquals("ACK never reaches a script: the proxy handles it", ack.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.send(t.request("CANCEL", "sip:bob@example.test")));
        }
    }

    @Test
    void aFailedAssertionOnARealScriptSaysWhatItDid() throws IOException {
        try (ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.log.info('no route for', req.uri.user);
                  sip.reply(404);
                }
                """)) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> t.send(t.invite("sip:nobody@example.test")).assertRelayed());
            assertEquals("expected a relay, but for INVITE sip:nobody@example.test the script replied 404 Not Found\n"
                    + "  log:\n    INFO test.js:2: no route for nobody", e.getMessage());
        }
    }

    @Test
    void aRunawayLoopIsStoppedByTheStatementLimitAndTheNextRequestIsServed() throws IOException {
        Path script = dir.resolve("loop.js");
        Files.writeString(script, """
                export function onRequest(req, sip) {
                  if (req.uri.user === 'loop') { for (;;) {} }
                  sip.reply(200);
                }
                """);
        try (ScriptTester t = ScriptTester.newBuilder(script).statementLimit(50_000).build()) {
            Outcome o = t.send(t.invite("sip:loop@example.test")).assertReplied(500);
            assertEquals(ScriptError.Kind.STATEMENT_LIMIT, o.error().orElseThrow().kind(), o.describe());
            t.send(t.invite("sip:fine@example.test")).assertReplied(200).assertNoError();
        }
    }

    @Test
    void aScriptMayImportModulesBesideIt() throws IOException {
        Files.writeString(dir.resolve("routes.js"), """
                export const ROUTES = { support: 'sip:desk@10.0.0.50' };
                """);
        try (ScriptTester t = load("""
                import { ROUTES } from './routes.js';
                export function onRequest(req, sip) {
                  const to = ROUTES[req.uri.user];
                  if (to === undefined) { sip.reply(404); return; }
                  sip.relay(req, to);
                }
                """)) {
            t.send(t.invite("sip:support@example.test")).assertRelayed().to("sip:desk@10.0.0.50");
            t.send(t.invite("sip:sales@example.test")).assertReplied(404);
        }
    }

    @Test
    void liveCountsReturnToZero() throws IOException {
        ScriptTester t = load("""
                export function onRequest(req, sip) {
                  sip.store.set('k', 1);
                  sip.relay(req, 'sip:a@10.0.0.1');
                }
                """);
        try (t) {
            t.send(t.invite("sip:x@example.test")).assertRelayed();
            assertEquals(0, t.stats().inFlight(), "the handler finished when send returned");
            assertEquals(1, t.stats().storeEntries());
            assertEquals(1, t.stats().liveContexts());
        }
        assertEquals(0, t.stats().liveContexts());
        assertEquals(0, t.stats().inFlight());
        assertEquals(0, t.stats().storeEntries());
        t.close(); // idempotent
    }

    @Test
    void aScriptThatDoesNotLoadFailsWithItsLocation() throws IOException {
        Path broken = dir.resolve("broken.js");
        Files.writeString(broken, "export function onRequest(req, sip) {\n  sip.reply(200\n}\n");
        AssertionError e = assertThrows(AssertionError.class, () -> ScriptTester.load(broken));
        assertTrue(e.getMessage().startsWith("the script does not load: broken.js:"), e.getMessage());
        assertTrue(e.getMessage().contains("SyntaxError"), e.getMessage());

        Path noHandler = dir.resolve("nohandler.js");
        Files.writeString(noHandler, "export const config = {};\n");
        AssertionError missing = assertThrows(AssertionError.class, () -> ScriptTester.load(noHandler));
        assertTrue(missing.getMessage().contains("onRequest"), missing.getMessage());
    }
}
