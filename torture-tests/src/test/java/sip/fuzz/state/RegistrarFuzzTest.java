package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.RegisterOutcome;
import sip.router.registrar.Registrar;
import sip.transport.spi.Flow;

/**
 * The registrar (RFC 3261 §10.3) against a model: fuzzer-chosen REGISTERs (AoRs that are the
 * same after §10.3 step 5 canonicalisation or not, contacts equal or not by §19.1.4, per-contact
 * and header expiries around the minimum, the maximum and zero, {@code *}, q values, Call-ID
 * and CSeq orders) with fuzzer-chosen time between them, through the wire form. After each the
 * response is the one the model predicts (status, and for a 200 exactly the model's bindings with
 * their remaining expiries), a refused REGISTER changes nothing, the caps hold; once every
 * binding has expired and the sweep has run, every count is zero, and closing the registrar
 * stops its sweep timer.
 */
class RegistrarFuzzTest {

    /**
     * Seeded scenarios a plain build runs; {@code -Dparley.fuzz.seeds=N -Dparley.fuzz.firstSeed=S}
     * runs others, more or fewer (a cheap search beside the fuzzer).
     */
    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 400);

    /** AoR spellings with the AoR they must file under (null: not a SIP AoR, 404). */
    private static final String[][] AORS = {
        {"sip:alice@example.com", "alice"},
        {"sip:%61lice@EXAMPLE.com", "alice"},
        {"sip:alice@example.com;transport=tcp", "alice"},
        {"<sip:alice@example.com;user=ip>", "alice"},
        {"sips:alice@example.com", "sips-alice"},
        {"sip:bob@example.com", "bob"},
        {"sip:alice@example.com:5060", "alice-5060"},
        {"tel:+15551234", null},
    };
    /** Contact spellings with the binding they must be by §19.1.4 URI equality. */
    private static final String[][] CONTACTS = {
        {"<sip:a@10.0.0.1:5070>", "c0"},
        {"<sip:a@10.0.0.1:5070;foo=bar>", "c0"},
        {"\"Alice\" <sip:a@10.0.0.1:5070>", "c0"},
        {"<sip:a@10.0.0.1:5070;transport=tcp>", "c1"},
        {"<sip:b@10.0.0.2>", "c2"},
        {"<sip:a@10.0.0.1:5070?Subject=x>", "c3"},
        {"<sip:A@10.0.0.1:5070>", "c4"},
    };
    private static final long[] EXPIRIES = {0, 1, 30, 59, 60, 61, 600, 3599, 3600, 7200, 7201, 100_000, 4_294_967_295L};
    private static final Flow FLOW = new Flow("udp", new InetSocketAddress("10.0.0.2", 5060),
            new InetSocketAddress("10.0.0.9", 5060));

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void registrarAgainstModel(FuzzedDataProvider data) {
        run(Choices.of(data), 30);
    }

    /** Seeded scenarios; together they must reach every answer the registrar has. */
    @Test
    void registrarAgainstModelSeeded() {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            seen.addAll(run(Choices.seeded(seed), 25));
        }
        assertEquals(java.util.Set.of(200, 400, 403, 404, 423, 500, 503), seen, "statuses the seeded runs reached");
    }

    /** One binding as the model keeps it. */
    private record Bound(String label, Uri uri, Instant expiresAt, String callId, long cseq) {
    }

    /** @return the statuses answered */
    static java.util.Set<Integer> run(Choices c, int maxSteps) {
        java.util.Set<Integer> statuses = new java.util.HashSet<>();
        VirtualClock clock = new VirtualClock();
        Duration sweep = Duration.ofSeconds(c.between(1, 120));
        LocationService store = LocationService.inMemory(clock, sweep);
        long minExpires = Choices.pickOf(c, 0L, 1L, 60L, 3600L);
        long maxExpires = Math.max(Math.max(minExpires, 1), Choices.pickOf(c, 1L, 60L, 3600L, 7200L));
        long defaultExpires = Choices.pickOf(c, 1L, 60L, 3600L);
        int perAor = c.between(1, 4);
        int total = c.between(1, 8);
        Registrar registrar = Registrar.newBuilder(store)
                .authorizer(RegisterAuthorizer.allowAll())
                .minExpires(Duration.ofSeconds(minExpires))
                .maxExpires(Duration.ofSeconds(maxExpires))
                .defaultExpires(Duration.ofSeconds(defaultExpires))
                .maxBindingsPerAor(perAor)
                .maxBindings(total)
                .build();
        Model model = new Model(minExpires, maxExpires, defaultExpires, perAor, total);
        int steps = c.between(1, maxSteps);
        List<String> history = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            advance(clock, Duration.ofMillis(Choices.pickOf(c, 0L, 999L, 1000L, 59_000L, 60_000L, 3_600_000L,
                    (long) c.between(0, 8_000_000))));
            Register r = register(c, i);
            history.add(clock.elapsed().toMillis() + "ms " + r.text.replace("\r\n", " | "));
            Supplier<String> where = () -> "\n" + String.join("\n", history);
            Instant now = store.clock().instant();
            Map<String, List<Binding>> before = snapshot(store);
            SipRequest request = DigestFuzzTest.wire(SipRequest.class.cast(parse(r.text)));
            RegisterOutcome outcome = registrar.process(request, FLOW);
            SipResponse response = DigestFuzzTest.wire(outcome.response().build());
            int expected = model.apply(r, now);
            assertEquals(expected, response.statusCode(), () -> "status " + response.status() + where.get());
            statuses.add(expected);
            if (expected != 200) {
                assertEquals(before, snapshot(store), () -> "a refused REGISTER changed bindings" + where.get());
                if (expected == 423) {
                    assertEquals(List.of(minExpires), response.all(HeaderType.MIN_EXPIRES), where.get());
                }
                continue;
            }
            RegisterOutcome.Accepted ok = (RegisterOutcome.Accepted) outcome;
            List<Bound> want = model.live(r.aor, now);
            List<Binding> have = store.lookup(ok.aor());
            assertEquals(have, ok.bindings(), () -> "the outcome's bindings are not the store's" + where.get());
            assertEquals(want.size(), have.size(), () -> "bindings " + have + " but the model has " + want + where.get());
            List<Contact> listed = response.contacts();
            assertEquals(want.size(), listed.size(), () -> "the 200 lists " + listed + where.get());
            for (Bound b : want) {
                Binding got = have.stream().filter(h -> h.uri().equals(b.uri())).findFirst().orElse(null);
                assertTrue(got != null, () -> "binding " + b + " missing from " + have + where.get());
                assertEquals(b.expiresAt(), got.expiresAt(), () -> "expiry of " + b.label() + where.get());
                long left = (long) Math.ceil(Duration.between(now, b.expiresAt()).toMillis() / 1000.0);
                Contact c2 = listed.stream().filter(x -> x.uri().equals(b.uri())).findFirst().orElse(null);
                assertTrue(c2 != null, () -> b.label() + " not listed in the 200" + where.get());
                assertEquals(left, c2.expires().orElse(-1), () -> "expires of " + b.label() + " in the 200" + where.get());
                assertTrue(left >= 1 && left <= maxExpires, () -> "expires out of 1.." + maxExpires + where.get());
            }
            assertTrue(store.bindingCount() <= total, () -> "more bindings than maxBindings" + where.get());
        }
        // Everything expires; the sweep (on the clock) removes what is stored.
        advance(clock, Duration.ofSeconds(maxExpires).plus(sweep).plusSeconds(1));
        assertEquals(0, store.storedBindingCount(), "stored bindings once all expired and swept");
        assertEquals(0, store.bindingCount(), "live bindings once all expired");
        assertEquals(0, store.aorCount(), "AoRs once all expired");
        registrar.close();
        advance(clock, sweep.multipliedBy(2));
        assertEquals(null, clock.nextDue(), "a timer still pending after the registrar closed");
        return statuses;
    }

    private static void advance(VirtualClock clock, Duration by) {
        Duration end = clock.elapsed().plus(by);
        while (clock.step(end.minus(clock.elapsed()))) {
            // runs every sweep due on the way
        }
    }

    private static Map<String, List<Binding>> snapshot(LocationService store) {
        Map<String, List<Binding>> out = new HashMap<>();
        for (String[] a : AORS) {
            if (a[1] != null) {
                out.put(a[1], store.lookup(AddressOfRecord.of(Uri.parse(a[0].replaceAll("[<>]", "")))));
            }
        }
        return out;
    }

    private static sip.message.SipMessage parse(String text) {
        return ((sip.message.ParseResult.Parsed) sip.message.SipParser.newBuilder()
                .validation(sip.message.SipParser.Validation.LAZY).build()
                .parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).message();
    }

    /** One REGISTER as text, with what the model needs to know about it. */
    private record Register(String text, String aor, boolean sameDomain, String callId, long cseq,
                            boolean wildcard, List<String[]> contacts, Long expiresHeader) {
    }

    private static Register register(Choices c, int n) {
        String[] aor = AORS[c.between(0, AORS.length - 1)];
        String ruri = Choices.pickOf(c, "sip:example.com", "sip:EXAMPLE.COM", "sip:other.org");
        boolean sameDomain = !ruri.equals("sip:other.org");
        String callId = "reg-" + c.between(0, 1);
        long cseq = c.between(1, 6);
        boolean wildcard = c.percent(10);
        List<String[]> contacts = new ArrayList<>();
        StringBuilder sb = new StringBuilder()
                .append("REGISTER ").append(ruri).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-r").append(n).append("\r\n")
                .append("From: ").append(aor[0].startsWith("<") ? aor[0] : "<" + aor[0] + ">").append(";tag=f").append(n).append("\r\n")
                .append("To: ").append(aor[0].startsWith("<") ? aor[0] : "<" + aor[0] + ">").append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(" REGISTER\r\n")
                .append("Max-Forwards: 70\r\n");
        if (wildcard) {
            sb.append("Contact: *\r\n");
            if (c.percent(20)) {
                String[] extra = CONTACTS[c.between(0, CONTACTS.length - 1)];
                sb.append("Contact: ").append(extra[0]).append("\r\n");
                contacts.add(new String[] {extra[0], extra[1], null});
            }
        } else {
            int k = c.between(0, 3);
            for (int i = 0; i < k; i++) {
                String[] pick = CONTACTS[c.between(0, CONTACTS.length - 1)];
                String expires = c.bool() ? Long.toString(EXPIRIES[c.between(0, EXPIRIES.length - 1)]) : null;
                String q = Choices.pickOf(c, null, null, "0", "0.5", "1");
                sb.append("Contact: ").append(pick[0]);
                if (expires != null) {
                    sb.append(";expires=").append(expires);
                }
                if (q != null) {
                    sb.append(";q=").append(q);
                }
                sb.append("\r\n");
                contacts.add(new String[] {pick[0], pick[1], expires});
            }
        }
        Long expiresHeader = c.percent(60) ? null : EXPIRIES[c.between(0, EXPIRIES.length - 1)];
        if (expiresHeader != null) {
            sb.append("Expires: ").append(expiresHeader).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        return new Register(sb.toString(), aor[1], sameDomain, callId, cseq, wildcard, contacts, expiresHeader);
    }

    /** RFC 3261 §10.3 as the registrar's javadoc states it, kept independently. */
    private static final class Model {
        private final long minExpires;
        private final long maxExpires;
        private final long defaultExpires;
        private final int perAor;
        private final int total;
        private final Map<String, List<Bound>> bindings = new HashMap<>();

        Model(long minExpires, long maxExpires, long defaultExpires, int perAor, int total) {
            this.minExpires = minExpires;
            this.maxExpires = maxExpires;
            this.defaultExpires = defaultExpires;
            this.perAor = perAor;
            this.total = total;
        }

        List<Bound> live(String aor, Instant now) {
            return bindings.getOrDefault(aor, List.of()).stream().filter(b -> now.isBefore(b.expiresAt())).toList();
        }

        private int liveTotal(Instant now) {
            return bindings.keySet().stream().mapToInt(a -> live(a, now).size()).sum();
        }

        /** The status the registrar must answer; on 200 the model's bindings change as the registrar's must. */
        int apply(Register r, Instant now) {
            if (r.aor() == null || !r.sameDomain()) {
                return 404;
            }
            if (r.wildcard()) {
                if (!r.contacts().isEmpty() || r.expiresHeader() == null || r.expiresHeader() != 0) {
                    return 400;
                }
                for (Bound b : live(r.aor(), now)) {
                    if (b.callId().equals(r.callId()) && r.cseq() <= b.cseq()) {
                        return 500;
                    }
                }
                bindings.remove(r.aor());
                return 200;
            }
            for (String[] c : r.contacts()) {
                long e = expiry(c, r);
                if (e > 0 && e < 3600 && e < minExpires) {
                    return 423;
                }
            }
            List<Bound> current = live(r.aor(), now);
            List<Bound> next = new ArrayList<>(current);
            for (String[] c : r.contacts()) {
                Uri uri = Contact.of(sip.message.NameAddress.of(Uri.parse(c[0].replaceAll("^.*<|>.*$", "")))).uri();
                Bound old = next.stream().filter(b -> b.label().equals(c[1])).findFirst().orElse(null);
                if (old != null) {
                    if (old.callId().equals(r.callId()) && r.cseq() <= old.cseq() && current.contains(old)) {
                        return 500;
                    }
                    next.remove(old);
                }
                long e = expiry(c, r);
                if (e > 0) {
                    next.add(new Bound(c[1], uri, now.plusSeconds(Math.min(e, maxExpires)), r.callId(), r.cseq()));
                }
            }
            int added = next.size() - current.size();
            if (added > 0 && next.size() > perAor) {
                return 403;
            }
            if (added > 0 && liveTotal(now) + added > total) {
                return 503;
            }
            bindings.put(r.aor(), next);
            return 200;
        }

        private long expiry(String[] contact, Register r) {
            if (contact[2] != null) {
                return Long.parseLong(contact[2]);
            }
            return r.expiresHeader() != null ? r.expiresHeader() : defaultExpires;
        }
    }
}
