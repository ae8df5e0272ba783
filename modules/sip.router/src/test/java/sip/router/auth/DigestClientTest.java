package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sip.message.AuthValue;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;

/** How a challenged request is rebuilt: header contents, algorithm choice, what is kept. */
class DigestClientTest {
    private static final Credentials ALICE = new Credentials("alice", "wonderland");

    private static SipRequest invite() {
        return AuthFixtures.request(Method.INVITE, "sip:bob@example.com;transport=udp").toBuilder()
            .addHeader("X-Trace", "keep-me")
            .body(ContentType.APPLICATION_SDP, "v=0\r\n".getBytes(StandardCharsets.UTF_8))
            .build();
    }

    private static SipResponse challenge(SipRequest request, int status, String... values) {
        SipResponse.Builder b = SipResponse.builder(request, status);
        for (String v : values) {
            b.addHeader(status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate", v);
        }
        return b.build();
    }

    @Test
    void answersTheStrongestAlgorithmWithQopAuth() {
        SipRequest invite = invite();
        SipResponse r = challenge(invite, 401,
            "Digest realm=\"example.com\", nonce=\"n-md5\", algorithm=MD5, qop=\"auth\"",
            "Digest realm=\"example.com\", nonce=\"n-512\", algorithm=SHA-512-256, qop=\"auth,auth-int\", opaque=\"op\"",
            "Digest realm=\"example.com\", nonce=\"n-256\", algorithm=SHA-256, qop=\"auth\"");
        SipRequest retry = DigestClient.authorize(invite, r, ALICE, 1, "cn1");

        List<AuthValue> auths = retry.all(HeaderType.AUTHORIZATION);
        assertEquals(1, auths.size());
        AuthValue a = auths.getFirst();
        assertEquals("Digest", a.scheme());
        assertEquals("alice", a.parameter("username"));
        assertEquals("example.com", a.parameter("realm"));
        assertEquals("n-512", a.parameter("nonce"));
        assertEquals("sip:bob@example.com;transport=udp", a.parameter("uri"));
        assertEquals("SHA-512-256", a.parameter("algorithm"));
        assertEquals("auth", a.parameter("qop"));
        assertEquals("00000001", a.parameter("nc"));
        assertEquals("cn1", a.parameter("cnonce"));
        assertEquals("op", a.parameter("opaque"));
        DigestAlgorithm alg = DigestAlgorithm.SHA_512_256;
        assertEquals(alg.response(alg.ha1("alice", "example.com", "wonderland"), "n-512", "00000001",
            "cn1", "auth", "INVITE", "sip:bob@example.com;transport=udp"), a.parameter("response"));

        // On the wire: qop and nc are tokens, the rest quoted (RFC 7616 §3.4).
        String wire = retry.header("Authorization").orElseThrow();
        assertTrue(wire.contains("qop=auth"), wire);
        assertTrue(wire.contains("nc=00000001"), wire);
        assertTrue(wire.contains("response=\"" + a.parameter("response") + "\""), wire);
        assertTrue(wire.contains("uri=\"sip:bob@example.com;transport=udp\""), wire);
    }

    @Test
    void incrementsCSeqAndKeepsEverythingElse() {
        SipRequest invite = invite();
        SipRequest retry = DigestClient.authorize(invite, challenge(invite, 401,
            "Digest realm=\"example.com\", nonce=\"n\", qop=\"auth\""), ALICE, 1, "cn");
        assertEquals(invite.cseq().sequence() + 1, retry.cseq().sequence());
        assertEquals(Method.INVITE, retry.cseq().method());
        assertEquals(invite.callId(), retry.callId());
        assertEquals(invite.fromTag(), retry.fromTag());
        assertEquals(invite.requestUri(), retry.requestUri());
        assertEquals(Optional.of("keep-me"), retry.header("X-Trace"));
        assertEquals("v=0\r\n", new String(retry.body(), StandardCharsets.UTF_8));
        assertEquals("MD5", retry.first(HeaderType.AUTHORIZATION).orElseThrow().parameter("algorithm"),
            "no algorithm parameter means MD5");
    }

    @Test
    void rfc2069FormWhenTheChallengeHasNoQop() {
        SipRequest invite = invite();
        SipRequest retry = DigestClient.authorize(invite, challenge(invite, 401,
            "Digest realm=\"example.com\", nonce=\"old\", algorithm=MD5"), ALICE, 1, "cn");
        AuthValue a = retry.first(HeaderType.AUTHORIZATION).orElseThrow();
        assertNull(a.parameter("qop"));
        assertFalse(a.parameters().has("nc"));
        assertFalse(a.parameters().has("cnonce"));
        String ha1 = DigestAlgorithm.MD5.ha1("alice", "example.com", "wonderland");
        assertEquals(DigestAlgorithm.MD5.hash(ha1 + ":old:" + DigestAlgorithm.MD5.hash(
            "INVITE:sip:bob@example.com;transport=udp")), a.parameter("response"));
    }

    @Test
    void proxyChallengeIsAnsweredInProxyAuthorization() {
        SipRequest invite = invite();
        SipRequest retry = DigestClient.authorize(invite, challenge(invite, 407,
            "Digest realm=\"proxy.example.com\", nonce=\"p\", algorithm=SHA-256, qop=\"auth\""), ALICE, 3, "cn");
        assertTrue(retry.first(HeaderType.AUTHORIZATION).isEmpty());
        AuthValue a = retry.first(HeaderType.PROXY_AUTHORIZATION).orElseThrow();
        assertEquals("proxy.example.com", a.parameter("realm"));
        assertEquals("00000003", a.parameter("nc"));
    }

    @Test
    void nonceCountIsEightHexDigits() {
        SipRequest invite = invite();
        SipRequest retry = DigestClient.authorize(invite, challenge(invite, 401,
            "Digest realm=\"example.com\", nonce=\"n\", qop=\"auth\""), ALICE, 255, "cn");
        assertEquals("000000ff", retry.first(HeaderType.AUTHORIZATION).orElseThrow().parameter("nc"));
        assertThrows(IllegalArgumentException.class, () -> DigestClient.authorize(invite, challenge(invite, 401,
            "Digest realm=\"example.com\", nonce=\"n\", qop=\"auth\""), ALICE, 0, "cn"));
    }

    @Test
    void unanswerableChallengesAreRefused() {
        SipRequest invite = invite();
        for (String only : List.of(
                "Digest realm=\"example.com\", nonce=\"n\", qop=\"auth-int\"",
                "Digest realm=\"example.com\", nonce=\"n\", algorithm=MD5-sess, qop=\"auth\"",
                "Digest realm=\"example.com\", nonce=\"n\", algorithm=SHA-1024, qop=\"auth\"",
                "NoOneKnowsThisScheme opaque-data=here",
                "Digest nonce=\"no-realm\", qop=\"auth\"")) {
            assertThrows(IllegalArgumentException.class,
                () -> DigestClient.authorize(invite, challenge(invite, 401, only), ALICE, 1, "cn"), only);
        }
        SipResponse ok = SipResponse.forRequest(invite, 200);
        assertThrows(IllegalArgumentException.class, () -> DigestClient.authorize(invite, ok, ALICE, 1, "cn"));
    }

    @Test
    void eachRealmOfAMergedChallengeGetsItsOwnCredentials() {
        // A forking proxy merges 407s from two domains into one response (RFC 3261 §16.7).
        SipRequest invite = invite();
        SipResponse merged = challenge(invite, 407,
            "Digest realm=\"a.example\", nonce=\"na\", algorithm=SHA-256, qop=\"auth\"",
            "Digest realm=\"b.example\", nonce=\"nb\", algorithm=SHA-256, qop=\"auth\"");
        CredentialsProvider onlyA = (realm, request) -> realm.equals("a.example")
            ? Optional.of(ALICE) : Optional.empty();
        SipRequest oneRealm = DigestClient.authorize(invite, merged, onlyA, 1, "cn").orElseThrow();
        assertEquals(List.of("a.example"), realms(oneRealm));

        CredentialsProvider both = (realm, request) -> Optional.of(new Credentials("u-" + realm, "pw"));
        SipRequest twoRealms = DigestClient.authorize(invite, merged, both, 1, "cn").orElseThrow();
        assertEquals(List.of("a.example", "b.example"), realms(twoRealms));
        assertEquals("u-b.example", twoRealms.all(HeaderType.PROXY_AUTHORIZATION).get(1).parameter("username"));

        CredentialsProvider none = (realm, request) -> Optional.empty();
        assertTrue(DigestClient.authorize(invite, merged, none, 1, "cn").isEmpty());
    }

    @Test
    void reAnsweringARealmReplacesItsOldCredentialsOnly() {
        SipRequest invite = invite();
        SipRequest first = DigestClient.authorize(invite, challenge(invite, 407,
            "Digest realm=\"a.example\", nonce=\"na\", qop=\"auth\"",
            "Digest realm=\"b.example\", nonce=\"nb\", qop=\"auth\""), ALICE, 1, "cn");
        SipRequest second = DigestClient.authorize(first, challenge(first, 407,
            "Digest realm=\"b.example\", nonce=\"nb2\", stale=true, qop=\"auth\""), ALICE, 1, "cn");
        List<AuthValue> auths = second.all(HeaderType.PROXY_AUTHORIZATION);
        assertEquals(2, auths.size());
        assertEquals("na", auths.get(0).parameter("nonce"));
        assertEquals("nb2", auths.get(1).parameter("nonce"));
        assertEquals(invite.cseq().sequence() + 2, second.cseq().sequence());
    }

    @Test
    void cnoncesAreFreshAndLongEnough() {
        String a = DigestClient.newCnonce();
        assertEquals(32, a.length());
        assertFalse(a.equals(DigestClient.newCnonce()));
    }

    @Test
    void credentialsToStringHidesThePassword() {
        assertFalse(ALICE.toString().contains("wonderland"));
    }

    private static List<String> realms(SipRequest r) {
        return r.all(HeaderType.PROXY_AUTHORIZATION).stream().map(v -> v.parameter("realm")).toList();
    }
}
