package sip.fuzz.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderName;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipResponse;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;

/**
 * Property 3: {@code sip.reply(status, reason, headers)} with fuzzed arguments. A status that is
 * not an integer in 100..699, a CR or LF in the reason or a header value, a header the
 * transaction layer manages or a name that is no token is a TypeError (and nothing is sent);
 * anything else is either a TypeError too or a response that parses strictly and carries the
 * status, the reason and every header value given. Never another kind of error.
 */
class ReplyFuzzTest {

    static final String SCRIPT = """
            export function onRequest(req, sip) {
              const lines = req.body.split('\\n');
              const status = Number(decodeURIComponent(lines[0]));
              const reason = lines[1] === '-' ? undefined : decodeURIComponent(lines[1]);
              const headers = {};
              for (const l of lines.slice(2)) {
                if (l === '') continue;
                const [n, v] = l.split('\\u0001').map(s => decodeURIComponent(s));
                (headers[n] ??= []).push(v);
              }
              let result;
              try {
                sip.reply(status, reason, headers);
                result = 'ok';
              } catch (e) {
                result = (e instanceof TypeError ? 'TypeError: ' : 'OTHER ' + String(e) + ': ') + e.message;
              }
              sip.log.info('result:' + JSON.stringify([result]));
              if (result !== 'ok' || status < 200) sip.reply(299, 'Fallback');
            }
            """;

    private static final Set<String> MANAGED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq",
            "content-length", "l");
    private static final String[] STATUSES = {"100", "180", "199", "200", "299", "404", "699", "99", "700", "0",
        "-200", "200.5", "NaN", "Infinity", "1e3", "2e2", "4294967496", "-0"};
    private static final String[] NAMES = {"X-A", "X-B", "x-a", "Subject", "Via", "v", "From", "To", "t", "Call-ID",
        "i", "CSeq", "Content-Length", "l", "Max-Forwards", "Retry-After", "Contact", "Warning", "", " ", "X A",
        "X:A", "X\r\nA", "X\u00e9", " X-A", "1", "Content-Type"};
    private static final String CHARS = "abc XYZ09<>@:;=,\"\\\t\r\n\u0000\u007f\u00e9\u2028";

    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 150);

    record Reply(String status, String reason, List<String[]> headers) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("reply(" + status + ", " + (reason == null ? "undefined" : quote(reason)) + ", {");
            for (String[] h : headers) {
                s.append(quote(h[0])).append(": ").append(quote(h[1])).append(", ");
            }
            return s.append("})").toString();
        }
    }

    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void replyArguments(FuzzedDataProvider data) {
        check(reply(Picks.of(data)));
    }

    @Test
    void replyArgumentsSeeded() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            check(reply(Picks.seeded(seed)));
        }
    }

    static Reply reply(Picks p) {
        String status = p.percent(60) ? p.pick(STATUSES) : Integer.toString(p.between(-1000, 1000));
        String reason = p.percent(20) ? null : p.percent(40) ? p.pick("OK", "", "Not Here", "a\r\nVia: x", " ")
                : p.text(CHARS, 0, 16);
        List<String[]> headers = new ArrayList<>();
        int n = p.between(0, 4);
        for (int i = 0; i < n; i++) {
            String name = p.percent(80) ? p.pick(NAMES) : p.text("abXY-09 :\r\n\u00e9", 0, 6);
            String value = p.percent(30) ? p.pick("1", "", "<sip:a@b>", "x\r\nVia: evil", "120") : p.text(CHARS, 0, 16);
            headers.add(new String[] {name, value});
        }
        return new Reply(status, reason, headers);
    }

    static void check(Reply reply) {
        ScriptTester t = ScriptBed.tester("reply.js", SCRIPT);
        StringBuilder body = new StringBuilder(enc(reply.status())).append('\n')
                .append(reply.reason() == null ? "-" : enc(reply.reason())).append('\n');
        for (String[] h : reply.headers()) {
            body.append(enc(h[0])).append('\u0001').append(enc(h[1])).append('\n');
        }
        Outcome o = t.send(t.request("OPTIONS", "sip:bob@example.test").body("text/plain", body.toString()));
        Reply r = reply;
        String where = r + "\n" + o;
        ScriptBed.assertLocated(o, "reply.js");
        assertTrue(o.error().isEmpty(), () -> "script error: " + where);
        String result = HeaderEditFuzzTest.parseResults(ScriptBed.logged(o, "result:")).getFirst();
        assertTrue(result.equals("ok") || result.startsWith("TypeError: "), () -> "not a TypeError: " + result + "\n" + where);

        double number = Double.parseDouble(reply.status());
        boolean integer = number == Math.rint(number) && !Double.isInfinite(number);
        boolean refused = !integer || number < 100 || number > 699
                || reply.reason() != null && (reply.reason().indexOf('\r') >= 0 || reply.reason().indexOf('\n') >= 0);
        // JS objects collect equal keys: the script sends each name's values together.
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String[] h : r.headers()) {
            byName.computeIfAbsent(h[0], k -> new ArrayList<>()).add(h[1]);
            refused |= h[1].indexOf('\r') >= 0 || h[1].indexOf('\n') >= 0 || MANAGED.contains(h[0].strip().toLowerCase(Locale.ROOT))
                    || headerName(h[0]) == null;
        }
        if (refused) {
            assertTrue(!result.equals("ok"), () -> "refused input accepted: " + where);
        }
        SipResponse fallbackOrFinal = o.finalResponse().orElseThrow(() -> new AssertionError("no final response: " + where));
        if (!result.equals("ok")) {
            assertTrue(!result.contains("sip.script.internal") && !result.contains("java."),
                    () -> "internal names in the error: " + where);
            assertEquals(List.of(299), o.responses().stream().map(SipResponse::statusCode).toList(), () -> "a refused reply was sent: " + where);
            for (String[] h : r.headers()) {
                HeaderName n = headerName(h[0]);
                if (n != null && n.canonical().toLowerCase(Locale.ROOT).startsWith("x-")) {
                    assertTrue(fallbackOrFinal.headerValues(n).isEmpty(), () -> "the refused reply's " + h[0] + " went out with the fallback: " + where);
                }
            }
            return;
        }
        int status = (int) number;
        SipResponse sent = o.responses().getFirst();
        assertEquals(status >= 200 ? List.of(status) : List.of(status, 299),
                o.responses().stream().map(SipResponse::statusCode).toList(), where);
        assertEquals(status >= 200 ? status : 299, fallbackOrFinal.statusCode(), where);
        byte[] wire = sent.toBytes();
        ParseResult parsed = SipParser.strict().parse(wire);
        assertTrue(parsed instanceof ParseResult.Parsed, () -> "the reply does not parse strictly: " + parsed
                + "\n" + new String(wire, StandardCharsets.UTF_8) + "\n" + where);
        SipResponse again = (SipResponse) ((ParseResult.Parsed) parsed).message();
        assertEquals(status, again.statusCode(), where);
        if (reply.reason() != null && !reply.reason().isBlank()) {
            assertEquals(reply.reason().strip(), again.status().reason().strip(), () -> "reason: " + where);
        }
        // One header under several spellings ('x-a', 'X-A'): the values of each spelling, in the
        // order the spellings first appear (a JS object's key order for non-index keys).
        Map<String, List<String>> byHeader = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : byName.entrySet()) {
            byHeader.computeIfAbsent(HeaderName.of(h.getKey()).canonical().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(h.getValue());
        }
        for (Map.Entry<String, List<String>> h : byHeader.entrySet()) {
            HeaderName name = HeaderName.of(h.getKey());
            if (h.getKey().startsWith("x-")) {
                assertEquals(h.getValue().stream().map(String::strip).toList(),
                        again.headerValues(name).stream().map(String::strip).toList(), () -> "header " + h.getKey() + ": " + where);
            } else {
                assertTrue(!again.headerValues(name).isEmpty(), () -> "header " + h.getKey() + " missing: " + where);
            }
        }
    }

    private static HeaderName headerName(String name) {
        try {
            return HeaderName.of(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0").replace("'", "\\'") + "'";
    }
}
