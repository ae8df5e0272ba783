package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.auth.AuthFixtures.REALM;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.Parameters;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;

/** The server's decisions, each driven by a request a client (or an attacker) could send. */
class DigestAuthenticatorTest {
    private final AuthFixtures.SettableClock clock = new AuthFixtures.SettableClock();
    private final InMemoryCredentialStore store =
        new InMemoryCredentialStore().add("alice", REALM, "wonderland");
    private final DigestAuthenticator auth = DigestAuthenticator.newBuilder()
        .realm(REALM).credentials(store).clock(clock).build();

    /** The 401 the server would send for {@code request}, as the client would receive it. */
    private static SipResponse responseFor(SipRequest request, AuthResult.Challenge c) {
        SipResponse.Builder b = SipResponse.builder(request, c.status());
        for (String v : c.headerValues()) {
            b.addHeader(c.headerName(), v);
        }
        return b.build();
    }

    private SipRequest answered(SipRequest request, String password, int nc) {
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(request));
        return DigestClient.authorize(request, responseFor(request, c),
            new Credentials("alice", password), nc, "c0ffee");
    }

    @Test
    void requestWithoutCredentialsIsChallengedWithSha256ThenMd5() {
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class,
            auth.authenticate(AuthFixtures.register()));
        assertEquals(401, c.status());
        assertEquals("WWW-Authenticate", c.headerName());
        assertFalse(c.stale());
        assertEquals(2, c.headerValues().size());
        SipResponse r = responseFor(AuthFixtures.register(), c);
        List<AuthValue> offers = r.all(HeaderType.WWW_AUTHENTICATE);
        assertEquals("SHA-256", offers.get(0).parameter("algorithm"));
        assertEquals("MD5", offers.get(1).parameter("algorithm"));
        for (AuthValue o : offers) {
            assertEquals(REALM, o.parameter("realm"));
            assertEquals("auth", o.parameter("qop"));
            assertTrue(o.parameter("nonce").length() > 40);
            assertFalse(o.parameters().has("stale"));
        }
    }

    @Test
    void twoClientsChallengedInTheSameInstantEachAuthenticateWithNcOne() {
        // The clock does not move: both challenges are issued in the same millisecond.
        SipRequest first = AuthFixtures.register();
        SipRequest second = AuthFixtures.register();
        AuthResult.Challenge c1 = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(first));
        AuthResult.Challenge c2 = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(second));
        assertNotEquals(c1.headerValues(), c2.headerValues(), "each challenge has its own nonce");
        SipRequest retry1 = DigestClient.authorize(first, responseFor(first, c1),
            new Credentials("alice", "wonderland"), 1, "c1");
        SipRequest retry2 = DigestClient.authorize(second, responseFor(second, c2),
            new Credentials("alice", "wonderland"), 1, "c2");
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(retry1));
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(retry2));
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void roundTripForEachAlgorithm(DigestAlgorithm algorithm) {
        DigestAuthenticator one = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).algorithms(algorithm).build();
        SipRequest invite = AuthFixtures.request(Method.INVITE, "sip:bob@example.com;transport=tcp");
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, one.authenticate(invite));
        SipRequest retry = DigestClient.authorize(invite, responseFor(invite, c),
            new Credentials("alice", "wonderland"), 1, DigestClient.newCnonce());
        assertEquals(algorithm.token(),
            retry.first(HeaderType.AUTHORIZATION).orElseThrow().parameter("algorithm"));
        assertEquals(new AuthResult.Authenticated("alice"), one.authenticate(retry));
    }

    @Test
    void clientPicksSha256FromTheDefaultOfferAndIsAccepted() {
        SipRequest retry = answered(AuthFixtures.register(), "wonderland", 1);
        assertEquals("SHA-256", retry.first(HeaderType.AUTHORIZATION).orElseThrow().parameter("algorithm"));
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(retry));
    }

    @Test
    void expiredNonceWithRightPasswordIsStale() {
        SipRequest retry = answered(AuthFixtures.register(), "wonderland", 1);
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(retry));
        assertTrue(c.stale());
        assertTrue(c.headerValues().getFirst().contains("stale=true"), c.headerValues().getFirst());
        // The fresh nonce works at once, without the user typing anything again.
        SipRequest again = DigestClient.authorize(retry, responseFor(retry, c),
            new Credentials("alice", "wonderland"), 1, "c0ffee");
        assertEquals(1, again.all(HeaderType.AUTHORIZATION).size(), "stale credentials replaced");
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(again));
    }

    @Test
    void nonceJustInsideItsLifetimeIsAccepted() {
        SipRequest retry = answered(AuthFixtures.register(), "wonderland", 1);
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(retry));
    }

    @Test
    void expiredNonceWithWrongPasswordIsNotStale() {
        SipRequest retry = answered(AuthFixtures.register(), "guess", 1);
        clock.advance(Duration.ofMinutes(6));
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(retry));
        assertFalse(c.stale());
    }

    @Test
    void sameNonceCountTwiceIsRefusedAndAHigherOneAccepted() {
        SipRequest first = answered(AuthFixtures.register(), "wonderland", 1);
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(first));
        AuthResult replay = auth.authenticate(first);
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, replay);
        assertTrue(c.stale(), "a replay proves nothing new: fresh nonce, no password prompt");

        // The same nonce with nc=2 (the client's next request) is fine; nc=1 again is not.
        AuthValue used = first.first(HeaderType.AUTHORIZATION).orElseThrow();
        SipRequest second = withNonce(first, used.parameter("nonce"), "wonderland", 2);
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(second));
        assertInstanceOf(AuthResult.Challenge.class,
            auth.authenticate(withNonce(first, used.parameter("nonce"), "wonderland", 1)));
    }

    /** {@code request} with fresh credentials on {@code nonce} at nonce-count {@code nc}. */
    private static SipRequest withNonce(SipRequest request, String nonce, String password, int nc) {
        SipResponse challenge = SipResponse.builder(request, 401)
            .add(HeaderType.WWW_AUTHENTICATE, new AuthValue("Digest", Parameters.EMPTY
                .withQuoted("realm", REALM).withQuoted("nonce", nonce)
                .with("algorithm", "SHA-256").withQuoted("qop", "auth")))
            .build();
        return DigestClient.authorize(request, challenge, new Credentials("alice", password), nc, "c0ffee");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameFreshChallenge() {
        AuthResult wrong = auth.authenticate(answered(AuthFixtures.register(), "guess", 1));
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, wrong);
        assertFalse(c.stale());
        assertEquals(401, c.status());

        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge first = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(r));
        SipRequest mallory = DigestClient.authorize(r, responseFor(r, first),
            new Credentials("mallory", "wonderland"), 1, "c0ffee");
        AuthResult.Challenge unknown = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(mallory));
        assertFalse(unknown.stale());
    }

    @Test
    void credentialsForAnotherRealmAreChallenged() {
        SipRequest r = AuthFixtures.register();
        SipResponse otherRealm = SipResponse.builder(r, 401)
            .add(HeaderType.WWW_AUTHENTICATE, new AuthValue("Digest", Parameters.EMPTY
                .withQuoted("realm", "evil.example.net")
                .withQuoted("nonce", auth.challenge().headerValues().getFirst().split("nonce=\"")[1].split("\"")[0])
                .with("algorithm", "SHA-256").withQuoted("qop", "auth")))
            .build();
        store.add("alice", "evil.example.net", "wonderland");
        SipRequest retry = DigestClient.authorize(r, otherRealm, new Credentials("alice", "wonderland"), 1, "x");
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(retry));
        assertFalse(c.stale());
    }

    @Test
    void digestUriOtherThanTheRequestUriIsRejected() {
        SipRequest retry = answered(AuthFixtures.register(), "wonderland", 1);
        // Replayed against another resource: same credentials, different Request-URI.
        SipRequest moved = retry.toBuilder().requestUri(SipUri.parse("sip:other.example.com")).build();
        AuthResult.Rejected r = assertInstanceOf(AuthResult.Rejected.class, auth.authenticate(moved));
        assertEquals(400, r.status());
    }

    @Test
    void theUnknownUserHa1IsMadeOnceAtBuildTimePerAlgorithmOffered() {
        for (DigestAlgorithm a : List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5)) {
            String ha1 = auth.unknownUserHa1(a);
            assertEquals(a.hash("").length(), ha1.length(), a.token());
            SipRequest r = AuthFixtures.register();
            AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(r));
            auth.authenticate(DigestClient.authorize(r, responseFor(r, c), new Credentials("mallory", "x"), 1, "c"));
            assertSame(ha1, auth.unknownUserHa1(a), "the same value, not made per request");
        }
        assertEquals(null, auth.unknownUserHa1(DigestAlgorithm.SHA_512_256), "not offered");
    }

    @Test
    void unknownSchemeOfRfc4475Regaut01IsChallengedNeverAccepted() {
        SipRequest regaut01 = (SipRequest) AuthFixtures.parse("""
            REGISTER sip:example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:j.user@example.com;tag=87321hj23128
            Max-Forwards: 8
            Call-ID: regaut01.0ha0isndaksdj
            CSeq: 9338 REGISTER
            Via: SIP/2.0/TCP 192.0.2.253;branch=z9hG4bKkdjuw
            Authorization: NoOneKnowsThisScheme opaque-data=here
            Content-Length:0

            """);
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(regaut01));
        assertEquals(401, c.status());
        assertFalse(c.stale());
    }

    @Test
    void basicIsChallengedNeverAccepted() {
        // Token68 credentials are not SIP grammar; the field must neither pass nor hide others.
        SipRequest basic = (SipRequest) AuthFixtures.parse("""
            REGISTER sip:example.com SIP/2.0
            To: sip:alice@example.com
            From: sip:alice@example.com;tag=1
            Call-ID: basic.1
            CSeq: 1 REGISTER
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKbasic
            Authorization: Basic YWxpY2U6d29uZGVybGFuZA==
            Content-Length: 0

            """);
        assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(basic));

        SipRequest retry = answered(basic, "wonderland", 1);
        assertEquals(2, retry.headerValues(HeaderType.AUTHORIZATION.name()).size());
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(retry));
    }

    @Test
    void tamperedNonceIsChallengedNotStale() {
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(r));
        String nonce = r.toString().isEmpty() ? "" : responseFor(r, c)
            .first(HeaderType.WWW_AUTHENTICATE).orElseThrow().parameter("nonce");
        // Push the timestamp forward (first character) keeping the MAC: a forged longer life.
        char flipped = nonce.charAt(0) == 'A' ? 'B' : 'A';
        String forged = flipped + nonce.substring(1);
        assertNotEquals(nonce, forged);
        for (String bad : List.of(forged, "not-base64!", "AAAA", nonce + "AAAA")) {
            AuthResult.Challenge again = assertInstanceOf(AuthResult.Challenge.class,
                auth.authenticate(withNonce(r, bad, "wonderland", 1)), bad);
            assertFalse(again.stale(), bad);
        }
    }

    @Test
    void nonceFromAnotherKeyIsChallenged() {
        DigestAuthenticator other = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).build();
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, other.authenticate(r));
        SipRequest retry = DigestClient.authorize(r, responseFor(r, c),
            new Credentials("alice", "wonderland"), 1, "c0ffee");
        assertEquals(new AuthResult.Authenticated("alice"), other.authenticate(retry));
        assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(retry));
    }

    @Test
    void sharedKeyLetsAClusterAcceptEachOthersNonces() {
        byte[] key = new byte[32];
        key[0] = 7;
        DigestAuthenticator a = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).nonceKey(key).build();
        DigestAuthenticator b = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).nonceKey(key).build();
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, a.authenticate(r));
        SipRequest retry = DigestClient.authorize(r, responseFor(r, c),
            new Credentials("alice", "wonderland"), 1, "c0ffee");
        assertEquals(new AuthResult.Authenticated("alice"), b.authenticate(retry));
    }

    @Test
    void aNodeStartedLaterWithTheSameKeyAnswersACapturedRequestStale() {
        byte[] key = new byte[32];
        key[0] = 7;
        DigestAuthenticator first = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).nonceKey(key).build();
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, first.authenticate(r));
        SipRequest captured = DigestClient.authorize(r, responseFor(r, c),
            new Credentials("alice", "wonderland"), 1, "c0ffee");
        assertEquals(new AuthResult.Authenticated("alice"), first.authenticate(captured));
        clock.advance(Duration.ofSeconds(1));
        // A restart, or another node sharing the key: its replay table never saw the request.
        DigestAuthenticator later = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).nonceKey(key).build();
        AuthResult.Challenge again = assertInstanceOf(AuthResult.Challenge.class, later.authenticate(captured));
        assertTrue(again.stale());
    }

    @Test
    void algorithmNotOfferedIsChallenged() {
        DigestAuthenticator sha256Only = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).algorithms(DigestAlgorithm.SHA_256).build();
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, sha256Only.authenticate(r));
        String nonce = responseFor(r, c).first(HeaderType.WWW_AUTHENTICATE).orElseThrow().parameter("nonce");
        SipResponse md5Offer = SipResponse.builder(r, 401)
            .add(HeaderType.WWW_AUTHENTICATE, new AuthValue("Digest", Parameters.EMPTY
                .withQuoted("realm", REALM).withQuoted("nonce", nonce).with("algorithm", "MD5")
                .withQuoted("qop", "auth")))
            .build();
        SipRequest md5 = DigestClient.authorize(r, md5Offer, new Credentials("alice", "wonderland"), 1, "x");
        assertInstanceOf(AuthResult.Challenge.class, sha256Only.authenticate(md5));
    }

    @Test
    void credentialsWithoutQopAreRejected() {
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(r));
        String nonce = responseFor(r, c).first(HeaderType.WWW_AUTHENTICATE).orElseThrow().parameter("nonce");
        SipResponse noQop = SipResponse.builder(r, 401)
            .add(HeaderType.WWW_AUTHENTICATE, new AuthValue("Digest", Parameters.EMPTY
                .withQuoted("realm", REALM).withQuoted("nonce", nonce).with("algorithm", "SHA-256")))
            .build();
        SipRequest rfc2069 = DigestClient.authorize(r, noQop, new Credentials("alice", "wonderland"), 1, "x");
        AuthResult.Rejected rej = assertInstanceOf(AuthResult.Rejected.class, auth.authenticate(rfc2069));
        assertEquals(400, rej.status());
    }

    @Test
    void credentialsMissingFieldsAreRejected() {
        SipRequest noResponse = AuthFixtures.register().toBuilder()
            .addHeader("Authorization", "Digest username=\"alice\", realm=\"example.com\", nonce=\"x\", uri=\"sip:example.com\"")
            .build();
        assertEquals(400, assertInstanceOf(AuthResult.Rejected.class, auth.authenticate(noResponse)).status());
        SipRequest retry = answered(AuthFixtures.register(), "wonderland", 1);
        AuthValue v = retry.first(HeaderType.AUTHORIZATION).orElseThrow();
        SipRequest badNc = retry.toBuilder().set(HeaderType.AUTHORIZATION,
            new AuthValue("Digest", v.parameters().with("nc", "1"))).build();
        assertEquals(400, assertInstanceOf(AuthResult.Rejected.class, auth.authenticate(badNc)).status());
        for (String nc : List.of("+0000001", "0000000g", "00000000")) {
            SipRequest odd = retry.toBuilder().set(HeaderType.AUTHORIZATION,
                new AuthValue("Digest", v.parameters().with("nc", nc))).build();
            assertEquals(400, assertInstanceOf(AuthResult.Rejected.class, auth.authenticate(odd)).status(), nc);
        }
    }

    @Test
    void proxyModeReadsProxyAuthorizationAndChallengesWith407() {
        DigestAuthenticator proxy = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).proxy(true).build();
        SipRequest invite = AuthFixtures.request(Method.INVITE, "sip:bob@example.com");
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, proxy.authenticate(invite));
        assertEquals(407, c.status());
        assertEquals("Proxy-Authenticate", c.headerName());
        SipRequest retry = DigestClient.authorize(invite, responseFor(invite, c),
            new Credentials("alice", "wonderland"), 1, "c0ffee");
        assertTrue(retry.first(HeaderType.AUTHORIZATION).isEmpty());
        assertEquals(new AuthResult.Authenticated("alice"), proxy.authenticate(retry));
        // A WWW authenticator ignores Proxy-Authorization.
        assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(retry));
    }

    @Test
    void preHashedHa1IsAsGoodAsAPassword() {
        InMemoryCredentialStore hashed = new InMemoryCredentialStore(DigestAlgorithm.SHA_256).addHa1("bob", REALM,
            java.util.Map.of(DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_256.ha1("bob", REALM, "builder").toUpperCase()));
        DigestAuthenticator a = DigestAuthenticator.newBuilder().realm(REALM).credentials(hashed)
            .algorithms(DigestAlgorithm.SHA_256).clock(clock).build();
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, a.authenticate(r));
        SipRequest retry = DigestClient.authorize(r, responseFor(r, c), new Credentials("bob", "builder"), 1, "x");
        assertEquals(new AuthResult.Authenticated("bob"), a.authenticate(retry));
        assertTrue(hashed.ha1("bob", REALM, DigestAlgorithm.MD5).isEmpty());
    }

    @Test
    void offeringAnAlgorithmTheStoreHasNoHa1ForIsRefused() {
        // Clients answer with the strongest algorithm offered: SHA-256 offered to users with an
        // MD5 HA1 only would lock every one of them out.
        InMemoryCredentialStore md5Only = new InMemoryCredentialStore(DigestAlgorithm.MD5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> DigestAuthenticator.newBuilder().realm(REALM).credentials(md5Only).build());
        assertTrue(e.getMessage().contains("SHA-256") || e.getMessage().contains("SHA_256"), e.getMessage());
        DigestAuthenticator a = DigestAuthenticator.newBuilder().realm(REALM).credentials(md5Only)
            .algorithms(DigestAlgorithm.MD5).clock(clock).build();
        md5Only.addHa1("bob", REALM, java.util.Map.of(DigestAlgorithm.MD5, DigestAlgorithm.MD5.ha1("bob", REALM, "builder")));
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, a.authenticate(r));
        SipRequest retry = DigestClient.authorize(r, responseFor(r, c), new Credentials("bob", "builder"), 1, "x");
        assertEquals(new AuthResult.Authenticated("bob"), a.authenticate(retry));
    }

    @Test
    void builderRefusesIncompleteOrWeakSettings() {
        assertThrows(IllegalStateException.class, () -> DigestAuthenticator.newBuilder().realm(REALM).build());
        assertThrows(IllegalArgumentException.class, () -> DigestAuthenticator.newBuilder().nonceKey(new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> DigestAuthenticator.newBuilder().realm("a\"b"));
        assertThrows(IllegalArgumentException.class,
            () -> DigestAuthenticator.newBuilder().algorithms(DigestAlgorithm.MD5, DigestAlgorithm.MD5));
        assertThrows(IllegalArgumentException.class,
            () -> DigestAuthenticator.newBuilder().nonceLifetime(Duration.ZERO));
    }

    @Test
    void uppercaseHexResponseAndAnEquivalentDigestUriAreAccepted() {
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c = assertInstanceOf(AuthResult.Challenge.class, auth.authenticate(r));
        String nonce = responseFor(r, c).first(HeaderType.WWW_AUTHENTICATE).orElseThrow().parameter("nonce");
        // RFC 3261 §19.1.4: host names compare case-insensitively, so this is the same resource.
        String uri = "sip:EXAMPLE.com";
        DigestAlgorithm a = DigestAlgorithm.SHA_256;
        String response = a.response(a.ha1("alice", REALM, "wonderland"), nonce, "00000001", "cn",
            "auth", "REGISTER", uri).toUpperCase();
        SipRequest signed = r.toBuilder().add(HeaderType.AUTHORIZATION, new AuthValue("Digest", Parameters.EMPTY
                .withQuoted("username", "alice").withQuoted("realm", REALM).withQuoted("nonce", nonce)
                .withQuoted("uri", uri).withQuoted("response", response).with("algorithm", "SHA-256")
                .with("qop", "auth").with("nc", "00000001").withQuoted("cnonce", "cn")))
            .build();
        assertEquals(new AuthResult.Authenticated("alice"), auth.authenticate(signed));
    }

    @Test
    void aFullReplayTableStillRefusesReplays() {
        DigestAuthenticator small = DigestAuthenticator.newBuilder().realm(REALM).credentials(store)
            .clock(clock).maxTrackedNonces(1).build();
        SipRequest r = AuthFixtures.register();
        AuthResult.Challenge c1 = assertInstanceOf(AuthResult.Challenge.class, small.authenticate(r));
        SipRequest first = DigestClient.authorize(r, responseFor(r, c1), new Credentials("alice", "wonderland"), 1, "x");
        clock.advance(Duration.ofSeconds(1));
        AuthResult.Challenge c2 = assertInstanceOf(AuthResult.Challenge.class, small.authenticate(r));
        SipRequest second = DigestClient.authorize(r, responseFor(r, c2), new Credentials("alice", "wonderland"), 1, "x");
        assertEquals(new AuthResult.Authenticated("alice"), small.authenticate(first));
        assertEquals(new AuthResult.Authenticated("alice"), small.authenticate(second));
        // The first nonce's count was evicted to make room; replaying it must still fail.
        AuthResult.Challenge replay = assertInstanceOf(AuthResult.Challenge.class, small.authenticate(first));
        assertTrue(replay.stale());
    }
}
