package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.Parameters;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.auth.AuthResult;
import sip.router.auth.Credentials;
import sip.router.auth.DigestAlgorithm;
import sip.router.auth.DigestAuthenticator;
import sip.router.auth.DigestClient;
import sip.router.auth.InMemoryCredentialStore;

/**
 * Digest end to end through the wire form, for fuzzer-chosen users, realms, passwords,
 * algorithms, methods, nonce counts and clock moves: a {@link DigestClient} answer to a
 * {@link DigestAuthenticator} challenge verifies exactly when the credentials match the store;
 * a replayed or lower nonce-count is refused with {@code stale=true}; a higher one is accepted;
 * any single tampered field is refused; a nonce past its lifetime is {@code stale=true}; the
 * client answers with the strongest algorithm offered. Each message goes through bytes and a
 * lazy parse, as it would through a transport, so quoting and escaping are part of the property.
 */
class DigestFuzzTest {

    /**
     * Seeded scenarios a plain build runs; {@code -Dparley.fuzz.seeds=N -Dparley.fuzz.firstSeed=S}
     * runs others, more or fewer (a cheap search beside the fuzzer).
     */
    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 400);

    /** Quotes, backslashes, separators, UTF-8 of 2, 3 and 4 bytes: what quoting must survive. */
    private static final String USER_CHARS = "abcAB09\"\\ @:%,;=_.-é漢😀";
    /** A realm may hold neither quotes nor backslashes (the builder refuses them). */
    private static final String REALM_CHARS = "abcxyz09 .:-@é";
    private static final SipParser LAZY = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void digestRoundTrip(FuzzedDataProvider data) {
        check(Choices.of(data));
    }

    /** The same property on seeded scenarios, so a plain build covers it beyond the corpus. */
    @Test
    void digestRoundTripSeeded() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            check(Choices.seeded(seed));
        }
    }

    static void check(Choices c) {
        Clock clock = new Clock();
        String realm = c.text(REALM_CHARS, 1, 12);
        String user = c.text(USER_CHARS, 1, 10);
        String password = c.text(USER_CHARS, 0, 10);
        boolean proxy = c.bool();
        List<DigestAlgorithm> offered = offered(c);
        Duration lifetime = Duration.ofSeconds(c.between(1, 600));
        InMemoryCredentialStore store = new InMemoryCredentialStore().add(user, realm, password);
        if (c.bool()) {
            // Another user whose name differs only by case: names are case-sensitive.
            store.add(user.toUpperCase(Locale.ROOT) + "x", realm, password + "y");
        }
        DigestAuthenticator auth = DigestAuthenticator.newBuilder()
            .realm(realm)
            .credentials(store)
            .algorithms(offered.toArray(DigestAlgorithm[]::new))
            .nonceLifetime(lifetime)
            .clock(clock)
            .proxy(proxy)
            .build();
        SipRequest request = request(c);

        // No credentials: a challenge per algorithm offered, in order, never stale.
        AuthResult.Challenge challenge = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(request));
        assertEquals(proxy ? 407 : 401, challenge.status());
        assertEquals(proxy ? "Proxy-Authenticate" : "WWW-Authenticate", challenge.headerName());
        assertEquals(offered.size(), challenge.headerValues().size(), challenge.toString());
        assertFalse(challenge.stale());
        SipResponse challengeResponse = wire(challengeResponse(request, challenge));

        // The client's answer, with the right or a wrong user or password.
        String answerUser = c.percent(70) ? user : Choices.pickOf(c, user + "x", user.toUpperCase(Locale.ROOT) + "x",
            c.text(USER_CHARS, 1, 6));
        String answerPassword = c.percent(70) ? password : Choices.pickOf(c, password + "x", "", c.text(USER_CHARS, 0, 6));
        boolean right = answerUser.equals(user) && answerPassword.equals(password);
        int nc = c.between(1, 1000);
        String cnonce = c.bool() ? DigestClient.newCnonce() : c.text("abcdef0123456789", 1, 40);
        SipRequest answered = wire(DigestClient.authorize(request, challengeResponse,
            new Credentials(answerUser, answerPassword), nc, cnonce));
        assertEquals(request.cseq().sequence() + 1, answered.cseq().sequence(), "CSeq incremented");
        AuthValue creds = credentials(answered, proxy);
        assertEquals(offered.stream().max(Enum::compareTo).orElseThrow().token(), creds.parameter("algorithm"),
            "the strongest algorithm offered is used");

        AuthResult first = auth.authenticate(answered);
        if (!right) {
            AuthResult.Challenge refused = assertInstanceOf(AuthResult.Challenge.class, first,
                () -> "wrong credentials " + answerUser + "/" + answerPassword + " for " + user + "/" + password);
            assertFalse(refused.stale(), "a wrong password must not look stale");
            return;
        }
        assertEquals(new AuthResult.Authenticated(user), first,
            () -> "right credentials refused: " + first + "\n" + answered);

        // A replay of the very same request, or of any lower nc: stale, never accepted.
        assertStale(auth.authenticate(answered), "replay of nc " + nc);
        if (nc > 1) {
            SipRequest lower = wire(DigestClient.authorize(request, challengeResponse,
                new Credentials(user, password), c.between(1, nc - 1), cnonce));
            assertStale(auth.authenticate(lower), "lower nc");
        }
        // A higher nc with the same nonce: accepted (the client's next request).
        int next = nc + c.between(1, 50);
        SipRequest nextRequest = wire(DigestClient.authorize(request, challengeResponse,
            new Credentials(user, password), next, DigestClient.newCnonce()));
        assertEquals(new AuthResult.Authenticated(user), auth.authenticate(nextRequest), "higher nc " + next);

        // One field tampered with, on a fresh nc: refused.
        int tamperedNc = next + 1;
        SipRequest fresh = wire(DigestClient.authorize(request, challengeResponse,
            new Credentials(user, password), tamperedNc, cnonce));
        SipRequest tampered = tamper(c, fresh, proxy);
        if (tampered != null) {
            AuthResult r = auth.authenticate(tampered);
            assertFalse(r instanceof AuthResult.Authenticated,
                () -> "tampered credentials accepted:\n" + credentials(tampered, proxy) + "\nwas\n" + credentials(fresh, proxy));
        }

        // Time passes: within the lifetime a fresh nc still works, past it the nonce is stale.
        Duration wait = Duration.ofMillis(c.between(0, (int) lifetime.toMillis() * 2));
        clock.advance(wait);
        SipRequest later = wire(DigestClient.authorize(request, challengeResponse,
            new Credentials(user, password), tamperedNc + 1, cnonce));
        AuthResult afterWait = auth.authenticate(later);
        if (wait.compareTo(lifetime) >= 0) {
            assertStale(afterWait, "nonce " + wait + " old with lifetime " + lifetime);
        } else {
            assertEquals(new AuthResult.Authenticated(user), afterWait, "nonce " + wait + " old, lifetime " + lifetime);
        }
    }

    private static List<DigestAlgorithm> offered(Choices c) {
        List<DigestAlgorithm> all = new ArrayList<>(List.of(DigestAlgorithm.values()));
        List<DigestAlgorithm> out = new ArrayList<>();
        int n = c.between(1, all.size());
        for (int i = 0; i < n; i++) {
            out.add(all.remove(c.between(0, all.size() - 1)));
        }
        return out;
    }

    private static SipRequest request(Choices c) {
        Method method = Choices.pickOf(c, Method.REGISTER, Method.INVITE, Method.OPTIONS, Method.BYE,
            Method.MESSAGE, Method.of("PUBLISH"));
        String host = Choices.pickOf(c, "example.com", "EXAMPLE.com", "10.0.0.1", "[2001:db8::1]");
        SipUri uri = c.bool() ? SipUri.parse("sip:" + host) : SipUri.of("bob", host, c.bool() ? -1 : 5060);
        if (c.bool()) {
            uri = uri.withParameter("transport", "tcp");
        }
        return SipRequest.builder(method, uri)
            .via(Via.of("UDP", "10.0.0.9", 5060, Via.MAGIC_COOKIE + "digest" + c.between(0, 99)))
            .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("a1"))
            .to(NameAddress.of(SipUri.parse("sip:alice@example.com")))
            .callId("digest-fuzz-" + c.between(0, 9))
            .cseq(c.between(1, 1 << 20))
            .maxForwards(70)
            .build();
    }

    private static SipResponse challengeResponse(SipRequest request, AuthResult.Challenge challenge) {
        SipResponse.Builder b = SipResponse.builder(request, challenge.status()).toTag("srv");
        for (String v : challenge.headerValues()) {
            b.addHeader(challenge.headerName(), v);
        }
        return b.build();
    }

    private static AuthValue credentials(SipRequest r, boolean proxy) {
        List<AuthValue> all = r.all(proxy ? HeaderType.PROXY_AUTHORIZATION : HeaderType.AUTHORIZATION);
        assertEquals(1, all.size(), () -> "one credentials field: " + r);
        return all.getFirst();
    }

    /** {@code request} with one Digest field changed to a value that must not verify; null if none was made. */
    private static SipRequest tamper(Choices c, SipRequest request, boolean proxy) {
        AuthValue creds = credentials(request, proxy);
        String field = Choices.pickOf(c, "username", "realm", "nonce", "uri", "response", "cnonce", "nc", "qop",
            "algorithm", "drop");
        Parameters p = creds.parameters();
        if (field.equals("drop")) {
            String dropped = Choices.pickOf(c, "username", "nonce", "uri", "response", "cnonce", "nc", "qop");
            p = p.without(dropped);
        } else {
            String old = creds.parameter(field);
            String value = switch (c.between(0, 3)) {
                case 0 -> old + "0";
                case 1 -> old.isEmpty() ? "x" : old.substring(0, old.length() - 1);
                case 2 -> flipLast(old);
                default -> c.text(USER_CHARS, 1, 8);
            };
            // Tokens compared without case (algorithm, qop) and the hex response, which the
            // server lowercases, are tampered only when the change is more than case.
            if (value.equalsIgnoreCase(old) && List.of("algorithm", "qop", "response").contains(field)
                    || value.equals(old)) {
                return null;
            }
            p = p.isQuoted(indexOf(p, field)) ? p.withQuoted(field, value) : withToken(p, field, value);
        }
        HeaderType<AuthValue> type = proxy ? HeaderType.PROXY_AUTHORIZATION : HeaderType.AUTHORIZATION;
        try {
            return wire(request.toBuilder().removeHeader(type.name()).add(type, new AuthValue(creds.scheme(), p)).build());
        } catch (IllegalArgumentException notWritable) {
            return null; // a token parameter cannot hold what was drawn; nothing to test
        }
    }

    private static Parameters withToken(Parameters p, String name, String value) {
        return p.with(name, value);
    }

    private static int indexOf(Parameters p, String name) {
        for (int i = 0; i < p.size(); i++) {
            if (p.name(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new AssertionError("no " + name + " in " + p);
    }

    private static String flipLast(String s) {
        if (s.isEmpty()) {
            return "1";
        }
        char last = s.charAt(s.length() - 1);
        char flipped = last == '0' ? '1' : last == 'a' ? 'b' : '0';
        return s.substring(0, s.length() - 1) + flipped;
    }

    private static void assertStale(AuthResult r, String what) {
        AuthResult.Challenge ch = assertInstanceOf(AuthResult.Challenge.class, r, () -> what + ": " + r);
        assertTrue(ch.stale(), () -> what + " must be answered stale=true: " + ch);
    }

    /** Through bytes and a lazy parse, as a transport delivers a message. */
    @SuppressWarnings("unchecked")
    static <M extends SipMessage> M wire(M message) {
        byte[] bytes = message.toBytes();
        ParseResult r = LAZY.parse(bytes);
        if (r instanceof ParseResult.Parsed(SipMessage m)) {
            return (M) m;
        }
        return fail("a built message does not parse back: " + r + "\n" + new String(bytes, StandardCharsets.UTF_8));
    }

    /** A clock the test moves by hand. */
    static final class Clock implements InstantSource {
        private Instant now = Instant.parse("2026-06-01T00:00:00Z");

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }
    }
}
