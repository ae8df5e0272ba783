package sip.fuzz.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;
import sip.testkit.SipGenerators;

/**
 * Property 1: any request the lenient parser accepts (fuzzed bytes, or {@link SipGenerators}
 * requests), sent through {@link ScriptTester} to a script that reads every view of {@code req}
 * (each in its own try/catch) and replies: the outcome is that reply, no view throws, no script
 * error, {@code send} returns (no hang past the deadline), and the views agree with the parsed
 * request.
 */
class ReadViewsFuzzTest {

    static final String SCRIPT = """
            const FIXED = ['Subject', 's', 'Via', 'v', 'From', 'f', 'To', 't', 'CSeq', 'Call-ID', 'i', 'Contact', 'm',
              'Max-Forwards', 'Content-Type', 'c', 'Content-Length', 'l', 'Route', 'Record-Route', 'X-Nope', '', ' ',
              ':', 'a b', '\\u00e9', 'x\\r\\ny', 'Via:', '%', 'X-Probe'];
            const na = (a) => a === null ? 'null' : [a.displayName, a.tag, a.param('tag'), a.param('expires'),
              a.uri === null ? null : String(a.uri), a.uri === null ? null : a.uri.host, String(a), JSON.stringify(a)].join('|');
            const uri = (u) => u === null ? 'null' : [u.scheme, u.user, u.host, u.port, JSON.stringify(u.params),
              u.param('transport'), u.param('lr'), String(u), JSON.stringify(u)].join('|');
            const via = (v) => [v.transport, v.host, v.port, v.branch, v.received, v.rport, v.param('maddr'),
              String(v), JSON.stringify(v)].join('|');
            export function onRequest(req, sip) {
              const failed = [];
              const read = (name, f) => { try { f(); } catch (e) { failed.push(name + ': ' + e); } };
              read('method', () => req.method);
              read('uri', () => uri(req.uri));
              read('from', () => na(req.from));
              read('from.uri', () => uri(req.from.uri));
              read('to', () => na(req.to));
              read('contact', () => na(req.contact));
              read('contacts', () => req.contacts.map(na).join(','));
              read('via', () => via(req.via));
              read('vias', () => req.vias.map(via).join(','));
              read('cseq', () => req.cseq.seq + ' ' + req.cseq.method);
              read('callId', () => req.callId);
              read('maxForwards', () => req.maxForwards);
              read('body', () => req.body.length);
              read('contentType', () => req.contentType);
              read('source', () => JSON.stringify(req.source) + req.source.address);
              read('transport', () => req.transport);
              read('inDialog', () => req.inDialog);
              const names = FIXED.concat(req.headers('X-Probe'));
              for (const n of names) {
                read('header ' + n, () => req.header(n));
                read('headers ' + n, () => req.headers(n).join(','));
              }
              read('toString', () => String(req).length);
              read('json', () => JSON.stringify(req));
              sip.log.info('failed:' + JSON.stringify(failed));
              sip.log.info('method:' + req.method);
              sip.log.info('callId:' + req.callId);
              sip.log.info('cseq:' + req.cseq.seq + ' ' + req.cseq.method);
              sip.log.info('inDialog:' + req.inDialog);
              sip.reply(200, 'Read');
            }
            """;

    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 150);

    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void readEveryView(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            check(data.consumeRemainingAsBytes());
        } else {
            check(generated(Picks.of(data)));
        }
    }

    /** Seeded generated requests, and seeded generator bytes as raw input. */
    @Test
    void readEveryViewSeeded() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            check(generated(Picks.seeded(seed)));
        }
    }

    private static byte[] generated(Picks p) {
        SipGenerators g = new SipGenerators(p);
        return g.requestBytes();
    }

    static void check(byte[] bytes) {
        ParseResult parsed = SipParser.lenient().parse(bytes);
        if (!(parsed instanceof ParseResult.Parsed(SipMessage m)) || !(m instanceof SipRequest request)) {
            return;
        }
        String method = request.method().toString();
        if (method.equals("ACK") || method.equals("CANCEL")) {
            return; // the proxy handles these; they never reach a script
        }
        ScriptTester t = ScriptBed.tester("read.js", SCRIPT);
        Outcome o = t.send(request);
        ScriptBed.assertLocated(o, "read.js");
        assertTrue(o.error().isEmpty(), () -> "script error for\n" + request + "\n" + o);
        assertEquals("[]", ScriptBed.logged(o, "failed:"), () -> "views threw for\n" + request + "\n" + o);
        assertEquals(200, o.replied().map(r -> r.statusCode()).orElse(0), () -> "for\n" + request + "\n" + o);
        assertEquals("Read", o.replied().get().status().reason());
        assertEquals(method, ScriptBed.logged(o, "method:"));
        assertEquals(request.callId(), ScriptBed.logged(o, "callId:"));
        assertEquals(request.cseq().sequence() + " " + request.cseq().method(), ScriptBed.logged(o, "cseq:"));
        assertEquals(String.valueOf(request.toTag() != null), ScriptBed.logged(o, "inDialog:"), () -> "for\n" + request + "\n" + o);
    }
}
