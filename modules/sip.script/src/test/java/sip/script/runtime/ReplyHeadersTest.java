package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.message.HeaderName;
import sip.message.SipResponse;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Regression of a review finding — sip.reply's headers are not checked against the headers the transaction layer
 * manages (Via, From, To, Call-ID, CSeq, Content-Length), unlike req.setHeader: a script can
 * send a response with two Call-IDs, an extra Via or a lying Content-Length.
 */
class ReplyHeadersTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void managedHeadersInReplyAreRefused() throws Exception {
        Path s = fx.script("r.js", """
                export function onRequest(req, sip) {
                  try {
                    sip.reply(200, 'OK', { 'Call-ID': 'other', 'Via': 'SIP/2.0/UDP 203.0.113.9;branch=z9hG4bKx',
                      'Content-Length': '120', 'CSeq': '9 BYE' });
                  } catch (e) {
                    sip.reply(500, 'refused ' + e.message.substring(0, 35));
                  }
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "c1"));
        executor.handle(r).get();
        SipResponse resp = r.response();
        String text = resp.toString();
        // Observed: Call-ID "other", CSeq "9 BYE" and a second Via went upstream.
        assertEquals("c1", resp.callId(), text);
        assertEquals("1 INVITE", resp.header(HeaderName.of("CSeq")).orElseThrow(), text);
        assertEquals(1, resp.headerValues(HeaderName.of("Via")).size(), text);
        assertEquals(500, resp.statusCode(), text);
        assertEquals("refused the Call-ID header cannot be set in", resp.status().reason(), text);
    }

    @Test
    void compactFormsAreRefusedAndOtherHeadersPass() throws Exception {
        Path s = fx.script("r2.js", """
                export function onRequest(req, sip) {
                  try { sip.reply(200, 'OK', { i: 'x' }); } catch (e) { sip.reply(200, e.constructor.name, { 'X-Ok': 'yes' }); }
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "c2"));
        executor.handle(r).get();
        SipResponse resp = r.response();
        assertEquals("TypeError", resp.status().reason(), resp::toString);
        assertEquals("yes", resp.header(HeaderName.of("X-Ok")).orElseThrow());
        assertEquals("c2", resp.callId());
    }
}
