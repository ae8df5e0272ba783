package sip.fuzz.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;

/**
 * Property 4: {@code sip.store} driven by fuzzed sequences of {@code get/set/delete/has/incr}
 * with fuzzed keys (including the 1,024-character bound), values (strings up to and past the
 * 65,536-character bound, numbers with NaN/Infinity/-0, booleans, objects, null, undefined) and
 * TTLs (none, 0, negative, sub-millisecond, NaN, Infinity, huge), over several requests with the
 * virtual clock moved between them, against a Java map: every result is the model's (value and
 * type, or TypeError/RangeError), expiry happens exactly when the model says. Each case uses keys
 * of its own prefix and deletes them at the end, leaving nothing behind.
 */
class StoreFuzzTest {

    static final String SCRIPT = """
            const describe = (v) => v === null ? 'null' : typeof v + ':' + String(v);
            const dec = (spec) => {
              const kind = spec[0], rest = decodeURIComponent(spec.substring(2));
              switch (kind) {
                case 's': return rest;
                case 'S': return 'v'.repeat(Number(rest));
                case 'r': return 'k'.repeat(Number(rest));
                case 'n': return Number(rest);
                case 'b': return rest === 'true';
                case 'o': return { a: 1 };
                case 'z': return null;
                default: return undefined;
              }
            };
            export function onRequest(req, sip) {
              const prefix = req.header('X-Prefix');
              const results = [];
              for (const line of req.body.split('\\n')) {
                if (line === '') continue;
                const [op, k, v, ttl] = line.split('\\u0001');
                const key = prefix + dec(k);
                try {
                  switch (op) {
                    case 'get': results.push(describe(sip.store.get(key))); break;
                    case 'has': results.push(describe(sip.store.has(key))); break;
                    case 'delete': results.push(describe(sip.store.delete(key))); break;
                    case 'incr': results.push(describe(v === 'u:' ? sip.store.incr(key) : sip.store.incr(key, dec(v)))); break;
                    default: sip.store.set(key, dec(v), dec(ttl)); results.push('ok');
                  }
                } catch (e) {
                  results.push((e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : 'OTHER ' + String(e)));
                }
              }
              sip.log.info('results:' + JSON.stringify(results));
              sip.reply(200);
            }
            """;

    private static final AtomicLong CASES = new AtomicLong();
    private static final String[] KEYS = {"s:a", "s:b", "s:", "s:%C3%A9", "s:a%0Ab", "r:1000", "r:1024", "r:1025"};
    private static final String[] NUMBERS = {"0", "1", "-1", "2.5", "-0", "1e308", "NaN", "Infinity", "-Infinity", "0.1", "abc"};
    private static final String[] TTLS = {"u:", "n:0", "n:-1", "n:0.0005", "n:1", "n:1.5", "n:60", "n:NaN", "n:Infinity",
        "n:1e300", "z:", "s:2", "s:x"};
    private static final long[] ADVANCES = {0, 1, 499, 500, 999, 1000, 1001, 1500, 60_000, 3_600_000};

    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 60);

    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void storeAgainstModel(FuzzedDataProvider data) {
        run(Picks.of(data));
    }

    @Test
    void storeAgainstModelSeeded() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            run(Picks.seeded(seed));
        }
    }

    record Op(String op, String key, String value, String ttl) {
        String line() {
            return op + '\u0001' + key + '\u0001' + value + '\u0001' + ttl;
        }
    }

    /** One entry of the model: value (String, Double, Boolean) and expiry in epoch ms (NaN: none). */
    record Entry(Object value, double expiresAt) {
        boolean live(long now) {
            return Double.isNaN(expiresAt) || now < expiresAt;
        }
    }

    static void run(Picks p) {
        ScriptTester t = ScriptBed.tester("store.js", SCRIPT);
        String prefix = "c" + CASES.incrementAndGet() + ":";
        Map<String, Entry> model = new HashMap<>();
        Set<String> used = new LinkedHashSet<>();
        List<String> history = new ArrayList<>();
        int steps = p.between(1, 5);
        for (int s = 0; s < steps; s++) {
            long advance = p.percent(80) ? p.pick(0, 1, 2, 3, 4, 5, 6, 7, 8, 9) >= 0 ? ADVANCES[p.between(0, ADVANCES.length - 1)] : 0
                    : p.between(0, 120_000);
            t.advance(Duration.ofMillis(advance));
            history.add("advance " + advance + " ms");
            List<Op> ops = new ArrayList<>();
            int n = p.between(1, 8);
            for (int i = 0; i < n; i++) {
                String op = p.pick("get", "set", "set", "delete", "has", "incr", "incr");
                String key = p.percent(85) ? p.pick(KEYS) : "s:" + enc(p.text("ab\u00e9\u0000 ", 0, 3));
                String value = switch (p.between(0, 7)) {
                    case 0, 1 -> "s:" + enc(p.text("xy\u00e9\u0000\n", 0, 4));
                    case 2 -> "S:" + p.pick("65535", "65536", "65537");
                    case 3, 4 -> "n:" + enc(p.pick(NUMBERS));
                    case 5 -> "b:" + p.pick("true", "false");
                    case 6 -> p.pick("o:", "z:");
                    default -> "u:";
                };
                ops.add(new Op(op, key, value, p.pick(TTLS)));
                used.add(key);
            }
            history.add(ops.toString());
            List<String> got = send(t, prefix, ops);
            long now = t.now().toEpochMilli();
            String where = String.join("\n", history) + "\n-> " + got;
            assertEquals(ops.size(), got.size(), where);
            for (int i = 0; i < ops.size(); i++) {
                String want = apply(model, prefix, ops.get(i), now);
                String have = got.get(i);
                int at = i;
                assertTrue(same(want, have), () -> "op " + at + " " + ops.get(at) + ": model " + want + ", store " + have + "\n" + where);
            }
        }
        // Clean up: every key used goes, and nothing is left.
        List<Op> cleanup = used.stream().map(k -> new Op("delete", k, "u:", "u:")).toList();
        send(t, prefix, cleanup);
        for (String k : used) {
            String full = prefix + keyOf(k);
            assertTrue(t.stored(full).isEmpty(), () -> "left behind: " + full);
        }
    }

    private static List<String> send(ScriptTester t, String prefix, List<Op> ops) {
        StringBuilder body = new StringBuilder();
        for (Op op : ops) {
            body.append(op.line()).append('\n');
        }
        Outcome o = t.send(t.request("MESSAGE", "sip:store@example.test").header("X-Prefix", prefix)
                .body("text/plain", body.toString()));
        ScriptBed.assertLocated(o, "store.js");
        assertTrue(o.error().isEmpty(), () -> "script error: " + o);
        o.assertReplied(200);
        return HeaderEditFuzzTest.parseResults(ScriptBed.logged(o, "results:"));
    }

    /** The model's answer to {@code op} at {@code now}, in the script's notation. */
    static String apply(Map<String, Entry> model, String prefix, Op op, long now) {
        String key = prefix + keyOf(op.key());
        Entry e = model.get(key);
        boolean live = e != null && e.live(now);
        switch (op.op()) {
            case "get":
                return live ? describe(e.value()) : "null";
            case "has":
                return "boolean:" + live;
            case "delete":
                model.remove(key);
                return "boolean:" + live;
            case "incr": {
                double delta = op.value().equals("u:") ? 1 : number(op.value());
                if (Double.isNaN(delta) && isValueless(op.value())) {
                    delta = Double.NaN;
                }
                if (key.length() > 1024) {
                    return "RangeError";
                }
                if (live && !(e.value() instanceof Double)) {
                    return "TypeError";
                }
                Entry next = live ? new Entry((Double) e.value() + delta, e.expiresAt()) : new Entry(delta, Double.NaN);
                model.put(key, next);
                return describe(next.value());
            }
            default: {
                Object v = value(op.value());
                if (v == null) {
                    return "TypeError";
                }
                if (key.length() > 1024 || v instanceof String s && s.length() > 65_536) {
                    return "RangeError";
                }
                double ttl = ttl(op.ttl());
                double at = ttl > 0 ? now + Math.ceil(ttl * 1000) : Double.NaN;
                model.put(key, new Entry(v, at));
                return "ok";
            }
        }
    }

    private static boolean isValueless(String spec) {
        return spec.startsWith("o:") || spec.startsWith("z:");
    }

    private static String keyOf(String spec) {
        return spec.startsWith("r:") ? "k".repeat(Integer.parseInt(spec.substring(2))) : dec(spec.substring(2));
    }

    /** JS Number(x) of a value spec, as the script computes an incr delta. */
    private static double number(String spec) {
        Object v = switch (spec.charAt(0)) {
            case 's' -> dec(spec.substring(2));
            case 'S' -> "v".repeat(Integer.parseInt(spec.substring(2)));
            case 'n' -> jsNumber(dec(spec.substring(2)));
            case 'b' -> spec.substring(2).equals("true") ? 1.0 : 0.0;
            case 'z' -> 0.0; // Number(null)
            default -> Double.NaN; // Number({a: 1}), Number(undefined)
        };
        return v instanceof String s ? jsNumber(s) : (Double) v;
    }

    private static Object value(String spec) {
        return switch (spec.charAt(0)) {
            case 's' -> dec(spec.substring(2));
            case 'S' -> "v".repeat(Integer.parseInt(spec.substring(2)));
            case 'n' -> jsNumber(dec(spec.substring(2)));
            case 'b' -> spec.substring(2).equals("true");
            default -> null; // object, null, undefined: TypeError
        };
    }

    private static double ttl(String spec) {
        return switch (spec.charAt(0)) {
            case 'u', 'z' -> 0;
            case 'n' -> jsNumber(dec(spec.substring(2)));
            default -> jsNumber(dec(spec.substring(2)));
        };
    }

    /** Number(s) for the strings used here: decimal literals, NaN, ±Infinity, blank is 0, else NaN. */
    private static double jsNumber(String s) {
        String x = s.strip();
        if (x.isEmpty()) {
            return 0;
        }
        if (!x.matches("[-+]?(Infinity|[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+([eE][-+]?[0-9]+)?)")) {
            return Double.NaN;
        }
        return Double.parseDouble(x);
    }

    private static String describe(Object v) {
        return switch (v) {
            case String s -> "string:" + s;
            case Boolean b -> "boolean:" + b;
            case Double d -> "number:" + d;
            default -> throw new IllegalStateException("not a store value: " + v);
        };
    }

    /** Equal results; numbers compared as values (JS and Java spell them differently; -0 prints as 0). */
    private static boolean same(String want, String have) {
        if (want.startsWith("number:") && have.startsWith("number:")) {
            double w = Double.parseDouble(want.substring(7));
            double h = Double.parseDouble(have.substring(7));
            return w == h || Double.isNaN(w) && Double.isNaN(h);
        }
        return want.equals(have);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String dec(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
