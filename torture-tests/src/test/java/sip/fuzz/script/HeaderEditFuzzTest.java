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
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.script.testing.Outcome;
import sip.script.testing.Relay;
import sip.script.testing.ScriptTester;

/**
 * Property 2: header edits with fuzzed names and values ({@code setHeader}, {@code addHeader},
 * {@code removeHeader}, {@code setUri}) before a relay. Each edit is either refused with a
 * TypeError naming the header or URI — always so for CR/LF, an empty or non-token name, and the
 * headers the proxy manages (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length, long or
 * compact) — or applied. The relayed request re-parses strictly, its managed and unedited headers
 * are the received ones, every edited extension header holds exactly what the applied edits
 * leave, the Request-URI is the last applied {@code setUri}, and no header line appears that was
 * neither received nor edited (no injection).
 */
class HeaderEditFuzzTest {

    // The ops come in the body, one per line: op \u0001 name \u0001 value (JSON would escape
    // nothing we need, but the body must be plain text for the strict reparse).
    static final String SCRIPT = """
            export function onRequest(req, sip) {
              const results = [];
              for (const line of req.body.split('\\n')) {
                if (line === '') continue;
                const [op, a, b] = line.split('\\u0001').map(s => decodeURIComponent(s));
                try {
                  if (op === 'set') req.setHeader(a, b);
                  else if (op === 'add') req.addHeader(a, b);
                  else if (op === 'remove') req.removeHeader(a);
                  else req.setUri(a);
                  results.push('ok');
                } catch (e) {
                  results.push((e instanceof TypeError ? 'TypeError: ' : 'OTHER ' + (e && e.constructor && e.constructor.name) + ': ') + e.message);
                }
              }
              sip.log.info('results:' + JSON.stringify(results));
              sip.relay(req, 'sip:next@10.0.0.9:5070', { recordRoute: false });
            }
            """;

    private static final Set<String> MANAGED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq",
            "max-forwards", "content-length", "l");
    private static final String[] NAMES = {"X-A", "X-B", "x-a", "Subject", "s", "Via", "v", "From", "f", "To",
        "t", "Call-ID", "i", "call-id", "CSeq", "Max-Forwards", "Content-Length", "l", "Contact", "m", "Route",
        "User-Agent", "", " ", "X A", "X:A", "X\r\nA", "X-A\r\nInjected", "X\u00e9", "X-A ", "Content-Type"};
    private static final String NAME_CHARS = "abcXYZ-.!%*_+`'~09 :;\r\n\t\u0000\u00e9@<>\"";
    private static final String VALUE_CHARS = "abc XYZ09<>@:;=,\"\\\t\r\n\u0000\u00e9\u2028sip";
    private static final String[] URIS = {"sip:a@b", "sip:a@10.0.0.1:5080;transport=tcp", "sips:[::1]", "tel:+123",
        "sip:a@b\r\nX-Injected: 1", "", "nonsense", "sip:", "sip:a@b c", "http://x", "sip:a@b;lr?Subject=x"};

    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 150);

    record Edit(String op, String name, String value) {
    }

    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void editThenRelay(FuzzedDataProvider data) {
        check(edits(Picks.of(data)));
    }

    @Test
    void editThenRelaySeeded() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            check(edits(Picks.seeded(seed)));
        }
    }

    static List<Edit> edits(Picks p) {
        List<Edit> out = new ArrayList<>();
        int n = p.between(1, 8);
        for (int i = 0; i < n; i++) {
            String op = p.pick("set", "add", "remove", "uri");
            String name = op.equals("uri")
                    ? (p.percent(70) ? p.pick(URIS) : "sip:" + p.text(NAME_CHARS, 0, 12) + "@h")
                    : p.percent(70) ? p.pick(NAMES) : p.text(NAME_CHARS, 0, 10);
            String value = p.percent(30) ? p.pick("a", "", "<sip:x@y>", "1", "x\r\nVia: SIP/2.0/UDP evil")
                    : p.text(VALUE_CHARS, 0, 20);
            out.add(new Edit(op, name, value));
        }
        return out;
    }

    static void check(List<Edit> edits) {
        ScriptTester t = ScriptBed.tester("edit.js", SCRIPT);
        StringBuilder body = new StringBuilder();
        for (Edit e : edits) {
            body.append(e.op()).append('\u0001').append(enc(e.name())).append('\u0001').append(enc(e.value())).append('\n');
        }
        SipRequest sent = t.invite("sip:bob@example.test").header("X-A", "original-a").header("Subject", "kept")
                .body("text/plain", body.toString()).build();
        Outcome o = t.send(sent);
        String where = "edits " + edits + "\n" + o;
        ScriptBed.assertLocated(o, "edit.js");
        assertTrue(o.error().isEmpty(), () -> "script error: " + where);
        List<String> results = parseResults(ScriptBed.logged(o, "results:"));
        assertEquals(edits.size(), results.size(), where);

        // The model: the values of each edited header name (lower-cased canonical), and the URI.
        Map<String, List<String>> model = new LinkedHashMap<>();
        String uri = sent.requestUri().toString();
        for (int i = 0; i < edits.size(); i++) {
            Edit e = edits.get(i);
            String r = results.get(i);
            String w = "edit " + e + " -> " + r + "\n" + where;
            assertTrue(r.equals("ok") || r.startsWith("TypeError: "), () -> "not a TypeError: " + w);
            boolean crlf = e.name().indexOf('\r') >= 0 || e.name().indexOf('\n') >= 0
                    || (!e.op().equals("uri") && !e.op().equals("remove") && (e.value().indexOf('\r') >= 0 || e.value().indexOf('\n') >= 0));
            if (e.op().equals("uri")) {
                if (crlf) {
                    assertTrue(!r.equals("ok"), () -> "a URI with CR/LF was accepted: " + w);
                }
                if (r.equals("ok")) {
                    Uri accepted = Uri.parse(e.name());
                    assertTrue(!(accepted instanceof SipUri s) || s.headers().isEmpty(),
                            () -> "a Request-URI with URI headers was accepted (RFC 3261 §19.1.5): " + w);
                    uri = accepted.toString();
                } else {
                    assertTrue(r.contains(e.name()) || r.contains("URI"), () -> "the TypeError names no URI: " + w);
                }
                continue;
            }
            HeaderName h = headerName(e.name());
            if (crlf || h == null || MANAGED.contains(e.name().toLowerCase(Locale.ROOT).strip())
                    || MANAGED.contains(h.canonical().toLowerCase(Locale.ROOT))) {
                assertTrue(!r.equals("ok"), () -> "refused input accepted: " + w);
            }
            if (!r.equals("ok")) {
                assertTrue(r.contains(e.name()) || (h != null && r.contains(h.canonical())) || r.contains("header"),
                        () -> "the TypeError names no header: " + w);
                continue;
            }
            String key = h.canonical().toLowerCase(Locale.ROOT);
            List<String> values = model.computeIfAbsent(key, k -> new ArrayList<>(sent.headerValues(h)));
            switch (e.op()) {
                case "set" -> {
                    values.clear();
                    values.add(e.value());
                }
                case "add" -> values.add(e.value());
                default -> values.clear();
            }
        }

        assertEquals(1, o.relays().size(), () -> "not relayed: " + where);
        Relay relay = o.relays().getFirst();
        SipRequest relayed = relay.request();
        for (Relay.Branch b : relay.branches()) {
            ParseResult branch = SipParser.strict().parse(b.request().toBytes());
            assertTrue(branch instanceof ParseResult.Parsed,
                    () -> "branch " + b + " does not parse strictly: " + branch + "\n" + where);
        }
        byte[] wire = relayed.toBytes();
        ParseResult reparsed = SipParser.strict().parse(wire);
        assertTrue(reparsed instanceof ParseResult.Parsed, () -> "the relayed request does not parse strictly: " + reparsed
                + "\n" + new String(wire, StandardCharsets.UTF_8) + "\n" + where);
        SipRequest again = (SipRequest) ((ParseResult.Parsed) reparsed).message();
        for (HeaderField f : again.headers()) {
            String key = f.name().canonical().toLowerCase(Locale.ROOT);
            boolean known = !sent.headerValues(f.name()).isEmpty() || model.containsKey(key);
            assertTrue(known, () -> "header line neither received nor edited: " + f + "\n" + where);
        }
        assertEquals(uri, again.requestUri().toString(), where);
        for (HeaderField f : sent.headers()) {
            String key = f.name().canonical().toLowerCase(Locale.ROOT);
            if (!model.containsKey(key)) {
                assertEquals(sent.headerValues(f.name()), again.headerValues(f.name()), () -> "unedited " + f.name() + " changed\n" + where);
            }
        }
        for (Map.Entry<String, List<String>> m : model.entrySet()) {
            if (m.getKey().startsWith("x-")) {
                assertEquals(m.getValue().stream().map(String::strip).toList(),
                        again.headerValues(HeaderName.of(m.getKey())).stream().map(String::strip).toList(),
                        () -> "edited " + m.getKey() + "\n" + where);
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

    /** The JSON array of strings the script logged. */
    static List<String> parseResults(String json) {
        List<String> out = new ArrayList<>();
        int i = json.indexOf('[') + 1;
        while (i < json.length() && json.charAt(i) != ']') {
            if (json.charAt(i) == ',') {
                i++;
                continue;
            }
            StringBuilder s = new StringBuilder();
            i++; // opening quote
            while (json.charAt(i) != '"') {
                char c = json.charAt(i++);
                if (c == '\\') {
                    char n = json.charAt(i++);
                    switch (n) {
                        case 'n' -> s.append('\n');
                        case 'r' -> s.append('\r');
                        case 't' -> s.append('\t');
                        case 'b' -> s.append('\b');
                        case 'f' -> s.append('\f');
                        case 'u' -> {
                            s.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> s.append(n);
                    }
                } else {
                    s.append(c);
                }
            }
            i++; // closing quote
            out.add(s.toString());
        }
        return out;
    }
}
