package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.SipResponse;
import sip.router.proxy.Branch;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.HandlerReport.Outcome;
import sip.script.internal.runtime.ScriptExecutor;

/** The JS contract through the executor seam, with in-memory hosts. */
class BindingTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();
    private ScriptExecutor executor;

    private ScriptExecutor open(String js) throws Exception {
        executor = fx.open("s.js", js);
        return executor;
    }

    private FakeHosts.Request send(String method, String uri, String extra) {
        return new FakeHosts.Request(FakeHosts.request(method, uri, "c" + System.nanoTime(), extra));
    }

    @Test
    void relayAsWrittenResolvesItsPromiseWithTheOutcome() throws Exception {
        open("""
                export async function onRequest(req, sip) {
                  const r = await sip.relay(req, 'sip:127.0.0.1:5090');
                  sip.store.set('outcome', r.outcome + ' ' + r.status + ' ' + r.reason);
                }
                """);
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        var report = executor.handle(r);
        FakeHosts.Relay relay = r.relay();
        assertEquals(List.of(Target.parse("sip:127.0.0.1:5090")), relay.targets());
        assertFalse(report.isDone(), "an awaiting handler is pending until its relay completes");
        SipResponse ok = SipResponse.builder(r.request, 200).toTag("x").build();
        relay.outcome().complete(new RelayOutcome.Forwarded(ok, new Branch(0, relay.targets().get(0))));
        assertEquals(Outcome.ANSWERED, report.get().outcome());
        assertEquals("forwarded 200 OK", executor.store().get("outcome"));
    }

    @Test
    void requestViewsReadTheRequest() throws Exception {
        open("""
                export function onRequest(req, sip) {
                  const v = [req.method, req.uri.user, req.uri.host, req.uri.port, req.from.uri.toString(),
                    req.from.tag, req.to.tag, req.contact.uri.host, req.contacts.length, req.via.branch,
                    req.vias.length, req.cseq.seq, req.cseq.method, req.maxForwards, req.source.address,
                    req.transport, req.inDialog, req.header('X-Foo'), req.headers('X-Foo').length, req.body];
                  sip.reply(200, 'OK', {'X-Seen': v.join('|')});
                }
                """);
        FakeHosts.Request r = send("OPTIONS", "sip:bob@example.test:5070", "X-Foo: a\nX-Foo: b\n");
        assertEquals(Outcome.ANSWERED, executor.handle(r).get().outcome(), fx.host.logs::toString);
        String seen = r.response().header(sip.message.HeaderName.of("X-Seen")).orElseThrow();
        assertTrue(seen.startsWith("OPTIONS|bob|example.test|5070|sip:alice@example.test|f1||198.51.100.7|1|z9hG4bK-"), seen);
        assertTrue(seen.endsWith("|1|1|OPTIONS|70|198.51.100.7:40000|udp|false|a|2|"), seen);
    }

    @Test
    void headerEditsAndUriRewriteReachTheRelayedRequest() throws Exception {
        open("""
                export function onRequest(req, sip) {
                  req.setHeader('X-Route-Set', 'yes');
                  req.addHeader('X-Multi', '1');
                  req.addHeader('X-Multi', '2');
                  req.removeHeader('X-Drop');
                  req.setUri('sip:carol@10.0.0.9:5060');
                  if (req.uri.user !== 'carol' || req.header('X-Route-Set') !== 'yes') throw new Error('edit not visible');
                  sip.relay(req, 'sip:10.0.0.9:5060');
                }
                """);
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "X-Drop: x\n");
        executor.handle(r).get();
        var relayed = r.relay().request();
        assertEquals("sip:carol@10.0.0.9:5060", relayed.requestUri().toString());
        assertEquals(List.of("yes"), relayed.headerValues(sip.message.HeaderName.of("X-Route-Set")));
        assertEquals(List.of("1", "2"), relayed.headerValues(sip.message.HeaderName.of("X-Multi")));
        assertTrue(relayed.headerValues(sip.message.HeaderName.of("X-Drop")).isEmpty());
        assertEquals(r.request.callId(), relayed.callId());
        r.relay().outcome().complete(new RelayOutcome.NotSent("test"));
    }

    @Test
    void editsOfProxyManagedHeadersAreTypeErrorsNamingTheHeader() throws Exception {
        open("""
                export function onRequest(req, sip) {
                  const refused = [];
                  for (const h of ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'i']) {
                    try { req.setHeader(h, 'x'); } catch (e) { if (e instanceof TypeError && e.message.includes(h)) refused.push(h); }
                  }
                  sip.reply(200, 'OK', {'X-Refused': refused.join(',')});
                }
                """);
        FakeHosts.Request r = send("OPTIONS", "sip:bob@example.test", "");
        executor.handle(r).get();
        assertEquals("Via,From,To,Call-ID,CSeq,Max-Forwards,i",
                r.response().header(sip.message.HeaderName.of("X-Refused")).orElseThrow());
    }

    @Test
    void provisionalThenFinalAndASecondFinalIsATypeError() throws Exception {
        open("""
                export function onRequest(req, sip) {
                  sip.reply(180);
                  sip.reply(486, 'Busy Here', {'Retry-After': 30});
                  sip.reply(200);
                }
                """);
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        HandlerReport rep = executor.handle(r).get();
        assertEquals(180, r.response().statusCode());
        SipResponse busy = r.response();
        assertEquals(486, busy.statusCode());
        assertEquals("30", busy.header(sip.message.HeaderName.of("Retry-After")).orElseThrow());
        assertEquals(Outcome.ERROR, rep.outcome());
        assertTrue(rep.error().orElseThrow().message().startsWith("TypeError"), rep::toString);
        assertEquals(4, rep.error().orElseThrow().line(), rep::toString);
        assertNull(r.responses.poll(), "no 500 after the 486");
    }

    @Test
    void noDispositionIs500NamingOnRequest() throws Exception {
        open("\n\nexport function onRequest(req, sip) {\n  sip.log.info('looked at', req.method);\n}\n");
        FakeHosts.Request r = send("MESSAGE", "sip:bob@example.test", "");
        assertEquals(Outcome.NO_DISPOSITION, executor.handle(r).get().outcome());
        SipResponse resp = r.response();
        assertEquals(500, resp.statusCode());
        assertEquals("Script Did Not Answer", resp.status().reason());
        assertTrue(fx.host.logged("s.js:3: onRequest returned without replying"), fx.host.logs::toString);
        assertTrue(fx.host.logged("s.js:4: looked at MESSAGE"), fx.host.logs::toString);
        assertEquals(1, executor.stats().noDisposition());
    }

    @Test
    void exceptionIs500LoggedWithFileLineColumnMethodAndCallId() throws Exception {
        open("export function onRequest(req, sip) {\n  const x = null;\n  return x.boom;\n}\n");
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.ERROR, rep.outcome());
        assertEquals(500, r.response().statusCode());
        assertTrue(fx.host.logged("s.js:3:"), fx.host.logs::toString);
        assertTrue(fx.host.logged("TypeError"), fx.host.logs::toString);
        assertTrue(fx.host.logged("INVITE Call-ID " + r.request.callId()), fx.host.logs::toString);
        // the worker lives on
        FakeHosts.Request next = send("INVITE", "sip:bob@example.test", "");
        executor.handle(next).get();
        assertEquals(500, next.response().statusCode());
        assertEquals(2, executor.stats().scriptErrors());
    }

    @Test
    void asyncRejectionIs500() throws Exception {
        open("export async function onRequest(req, sip) {\n  await null;\n  throw new RangeError('nope');\n}\n");
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.ERROR, rep.outcome());
        assertEquals(500, r.response().statusCode());
        assertTrue(fx.host.logged("s.js:3:") && fx.host.logged("RangeError: nope"), fx.host.logs::toString);
    }

    @Test
    void onFailureTargetsFeedTheRelaysBranchFailureHookAndOnResponseSeesResponses() throws Exception {
        open("""
                export function onRequest(req, sip) { sip.relay(req, ['sip:a@10.0.0.1'], {forking: 'serial', branchTimeout: 2000, responseTimeout: 500}); }
                export function onResponse(res, branch, sip) { sip.store.incr('responses'); sip.store.set('last', branch.target + ' ' + res.status); }
                export function onFailure(res, branch, req, sip) {
                  return res.status === 503 ? ['sip:b@10.0.0.2', 'sip:c@10.0.0.3'] : null;
                }
                """);
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        r.autoAnswer = relay -> {
            Branch b0 = new Branch(0, relay.targets().get(0));
            SipResponse unavailable = SipResponse.builder(r.request, 503).toTag("u").build();
            relay.options().onResponse().orElseThrow().accept(b0, unavailable);
            List<Target> more = relay.options().onBranchFailure().orElseThrow().apply(b0, unavailable);
            assertEquals(List.of(Target.parse("sip:b@10.0.0.2"), Target.parse("sip:c@10.0.0.3")), more);
            List<Target> none = relay.options().onBranchFailure().orElseThrow()
                    .apply(b0, SipResponse.builder(r.request, 404).toTag("n").build());
            assertEquals(List.of(), none);
            return new RelayOutcome.NotSent("test");
        };
        assertEquals(Outcome.ANSWERED, executor.handle(r).get().outcome(), fx.host.logs::toString);
        assertEquals(sip.router.proxy.Forking.SEQUENTIAL, r.relay().options().forking());
        assertEquals(java.time.Duration.ofSeconds(2), r.relay().options().branchTimeout().orElseThrow());
        assertEquals(java.time.Duration.ofMillis(500), r.relay().options().responseTimeout().orElseThrow());
        assertEquals(1.0, executor.store().get("responses"));
        assertEquals("sip:a@10.0.0.1 503", executor.store().get("last"));
    }

    @Test
    void hooksCalledFromAnotherThreadRunOnTheOwningWorker() throws Exception {
        open("""
                export function onRequest(req, sip) { sip.relay(req, 'sip:a@10.0.0.1'); }
                export function onFailure(res, branch, req, sip) { return 'sip:backup@10.0.0.3'; }
                """);
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        executor.handle(r).get();
        FakeHosts.Relay relay = r.relay();
        List<Target>[] got = new List[1];
        Thread t = Thread.ofVirtual().start(() -> got[0] = relay.options().onBranchFailure().orElseThrow()
                .apply(new Branch(0, relay.targets().get(0)), SipResponse.builder(r.request, 408).toTag("t").build()));
        t.join();
        assertEquals(List.of(Target.parse("sip:backup@10.0.0.3")), got[0]);
        relay.outcome().complete(new RelayOutcome.NotSent("test"));
    }

    @Test
    void registrarSaveThenLookupThenRelayToTheContact() throws Exception {
        open("""
                export function onRequest(req, sip) {
                  if (req.method === 'REGISTER') {
                    const r = sip.registrar.save(req);
                    sip.store.set('saved', r.status + ' ' + r.contacts.map(c => c.uri).join(','));
                    return;
                  }
                  const contacts = sip.location.lookup(req.uri);
                  if (contacts.length === 0) return sip.reply(404);
                  sip.store.set('expires', contacts[0].expires > 3000 && contacts[0].q === 1);
                  sip.relay(req, contacts, {recordRoute: true});
                }
                """);
        FakeHosts.Request reg = new FakeHosts.Request(FakeHosts.request("REGISTER", "sip:example.test", "r1",
                "").toBuilder().setHeader("To", "<sip:alice@example.test>").setHeader("From", "<sip:alice@example.test>;tag=a")
                .setHeader("Contact", "<sip:alice@10.0.0.2:5060>").setHeader("Expires", "3600").build());
        assertEquals(Outcome.ANSWERED, executor.handle(reg).get().outcome(), fx.host.logs::toString);
        assertEquals(200, reg.response().statusCode());
        assertEquals("200 sip:alice@10.0.0.2:5060", executor.store().get("saved"));

        FakeHosts.Request inv = send("INVITE", "sip:alice@example.test", "");
        executor.handle(inv).get();
        assertEquals(List.of(Target.parse("sip:alice@10.0.0.2:5060")), inv.relay().targets());
        assertEquals(Boolean.TRUE, inv.relay().options().recordRoute().orElseThrow());
        assertEquals(Boolean.TRUE, executor.store().get("expires"));
        inv.relay().outcome().complete(new RelayOutcome.NotSent("test"));

        FakeHosts.Request unknown = send("INVITE", "sip:nobody@example.test", "");
        executor.handle(unknown).get();
        assertEquals(404, unknown.response().statusCode());
    }

    @Test
    void consoleAndLogPrintObjectsAsJsonWithTheCallingLine() throws Exception {
        open("export function onRequest(req, sip) {\n  console.log('c', {a: 1});\n  sip.log.warn('w', [1, 2], null);\n  sip.reply(200);\n}\n");
        executor.handle(send("OPTIONS", "sip:bob@example.test", "")).get();
        assertTrue(fx.host.logged("s.js:2: c {\"a\":1}"), fx.host.logs::toString);
        assertTrue(fx.host.logs.stream().anyMatch(l -> l.level() == org.slf4j.event.Level.WARN
                && (l.location() + ": " + l.message()).equals("s.js:3: w [1,2] null")), fx.host.logs::toString);
    }

    @Test
    void authCheckWithoutConfigAnswers403AndCountsAsAnswered() throws Exception {
        open("export function onRequest(req, sip) { if (sip.auth.check(req) === null) return; sip.reply(200); }");
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        assertEquals(Outcome.ANSWERED, executor.handle(r).get().outcome());
        assertEquals(403, r.response().statusCode());
    }

    @Test
    void authCheckChallengesWith407ForNonRegister() throws Exception {
        open("export const config = {auth: {realm: 'r.test', users: {a: 'b'}}};\n"
                + "export function onRequest(req, sip) { if (sip.auth.check(req) === null) return; sip.reply(200); }");
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        assertEquals(Outcome.ANSWERED, executor.handle(r).get().outcome());
        SipResponse challenge = r.response();
        assertEquals(407, challenge.statusCode());
        assertTrue(challenge.header(sip.message.HeaderName.of("Proxy-Authenticate")).orElseThrow().contains("realm=\"r.test\""));
    }

    @Test
    void relayAcceptsAUriObjectAndAReplyAfterARelayIsATypeError() throws Exception {
        open("export function onRequest(req, sip) {\n  sip.relay(req, [req.uri]);\n  sip.reply(200);\n}\n");
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        HandlerReport rep = executor.handle(r).get();
        assertEquals(List.of(Target.parse("sip:bob@example.test")), r.relay().targets());
        assertEquals(Outcome.ERROR, rep.outcome());
        assertEquals(3, rep.error().orElseThrow().line());
        assertTrue(r.responses.isEmpty(), "no 500 after a relay");
        r.relay().outcome().complete(new RelayOutcome.NotSent("test"));
    }

    @Test
    void thenOnTheRelaysPromiseRunsWhenTheRelayCompletesAfterTheHandlerReturned() throws Exception {
        open("""
                export function onRequest(req, sip) {
                  sip.relay(req, 'sip:a@10.0.0.1').then(r => sip.store.set('then', r.outcome + ' ' + r.status));
                  sip.relay(req, 'sip:b@10.0.0.1').catch(() => {}).finally(() => {});
                }
                """);
        FakeHosts.Request r = send("INVITE", "sip:bob@example.test", "");
        HandlerReport rep = executor.handle(r).get();
        assertEquals(Outcome.ERROR, rep.outcome(), "the second relay is a TypeError");
        FakeHosts.Relay relay = r.relay();
        relay.outcome().complete(new RelayOutcome.Forwarded(SipResponse.builder(r.request, 180).toTag("x").build(),
                new Branch(0, relay.targets().get(0))));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (executor.store().get("then") == null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        assertEquals("forwarded 180", executor.store().get("then"));
    }
}
