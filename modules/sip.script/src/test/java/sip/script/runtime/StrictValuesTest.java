package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.HeaderName;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.proxy.RelayOutcome;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * What a script hands Parley to send must pass Parley's strict parser, and a refusal is a
 * TypeError with Parley's message that changes nothing (fuzz findings S1–S5, see
 * torture-tests ScriptFindingsTest).
 */
class StrictValuesTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void requestUriKeepsTelAndRefusesUriHeadersAndEditsSurviveRefusals() throws Exception {
        ScriptExecutor executor = fx.open("u.js", """
                export function onRequest(req, sip) {
                  const seen = [];
                  const tryIt = (f) => { try { f(); seen.push('ok'); } catch (e) { seen.push(e instanceof TypeError ? 'TypeError' : 'OTHER ' + e); } };
                  tryIt(() => req.setHeader('X-Kept', 'yes'));
                  tryIt(() => req.setUri('sip:carol@example.test;lr?Subject=x'));
                  tryIt(() => req.setUri('tel:+12025550100'));
                  tryIt(() => req.addHeader('Contact', 'Y;<sip:a@b>'));
                  tryIt(() => req.addHeader('Route', 'a'));
                  req.setHeader('X-Seen', seen.join(','));
                  sip.relay(req, 'sip:gw@10.0.0.9:5060');
                }
                """);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "u1"));
        executor.handle(r).get();
        SipRequest relayed = r.relay().request();
        r.relay().outcome().complete(new RelayOutcome.NotSent("test"));
        assertEquals("ok,TypeError,ok,TypeError,TypeError", relayed.header(HeaderName.of("X-Seen")).orElseThrow(), relayed::toString);
        assertEquals("tel:+12025550100", relayed.requestUri().toString());
        assertEquals("yes", relayed.header(HeaderName.of("X-Kept")).orElseThrow());
        assertInstanceOf(ParseResult.Parsed.class, SipParser.strict().parse(relayed.toBytes()), relayed::toString);
    }

    @Test
    void refusedRepliesAreTypeErrorsAndLeaveNoStagedHeaders() throws Exception {
        ScriptExecutor executor = fx.open("r.js", """
                export function onRequest(req, sip) {
                  const seen = [];
                  const tryIt = (f) => { try { f(); seen.push('ok'); } catch (e) { seen.push(e instanceof TypeError ? e.message.replace(/[\\u0000-\\u001f\\u007f]/g, '?').substring(0, 24) : 'OTHER ' + e); } };
                  tryIt(() => sip.reply(2 ** 32 + 200, 'Big', { 'X-Leak': 'a' }));
                  tryIt(() => sip.reply(-0, 'Zero', { 'X-Leak': 'b' }));
                  tryIt(() => sip.reply(486, 'Busy\\u007fHere', { 'X-Leak': 'c' }));
                  tryIt(() => sip.reply(486, 'Busy', { 'X-Leak': 'd', Contact: 'Y;<sip:a@b>' }));
                  sip.reply(299, 'Done', { 'X-Seen': seen.join('|') });
                }
                """);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "r1"));
        executor.handle(r).get();
        SipResponse resp = r.response();
        assertEquals(299, resp.statusCode(), resp::toString);
        assertTrue(resp.headerValues(HeaderName.of("X-Leak")).isEmpty(), resp::toString);
        String seen = resp.header(HeaderName.of("X-Seen")).orElseThrow();
        String expected = java.util.stream.Stream.of("reply status must be an integer 100..699",
                "reply status must be an integer 100..699", "bad reply reason 'Busy?Here'", "bad reply header Contact: ...")
                .map(m -> m.substring(0, 24)).collect(java.util.stream.Collectors.joining("|"));
        assertEquals(expected, seen);
    }
}
