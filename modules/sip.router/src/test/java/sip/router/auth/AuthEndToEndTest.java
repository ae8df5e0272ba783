package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.SipTimers;
import sip.router.UserAgent;

/**
 * Digest over real UDP on 127.0.0.1 between two user agents: {@link DigestAuthenticator#protect}
 * on the server, a user agent built with
 * {@link UserAgent.Builder#credentials} on the client. The nonce clock is a settable one,
 * so expiry needs no waiting.
 */
@Timeout(60)
class AuthEndToEndTest {
    private static final SipTimers FAST = new SipTimers(Duration.ofMillis(20), Duration.ofMillis(80),
        Duration.ofMillis(100));
    private static final String REALM = "bob.example";

    private final List<UserAgent> agents = new ArrayList<>();
    private final AuthFixtures.SettableClock clock = new AuthFixtures.SettableClock();
    private final DigestAuthenticator auth = DigestAuthenticator.newBuilder().realm(REALM).clock(clock)
        .credentials(new InMemoryCredentialStore().add("alice", REALM, "wonderland")).build();
    /** Every request bob's server handled, in order. */
    private final List<SipRequest> seen = new CopyOnWriteArrayList<>();
    private final List<String> users = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAgents() {
        agents.forEach(UserAgent::close);
    }

    private UserAgent agent(String name) throws Exception {
        return agent(name, null);
    }

    private UserAgent agent(String name, CredentialsProvider credentials) throws Exception {
        UserAgent.Builder b = UserAgent.newBuilder().name(name).timers(FAST).closeTimeout(Duration.ofMillis(200));
        if (credentials != null) {
            b.credentials(credentials);
        }
        UserAgent ua = b.build();
        agents.add(ua);
        ua.listen("udp", "127.0.0.1:0");
        return ua;
    }

    private UserAgent bob() throws Exception {
        UserAgent bob = agent("bob");
        var guarded = auth.protect((tx, user) -> {
            users.add(user);
            tx.respond(200);
        });
        bob.server().onRegister(tx -> {
            seen.add(tx.request());
            guarded.handle(tx);
        });
        bob.server().onInvite(tx -> {
            seen.add(tx.request());
            guarded.handle(tx);
        });
        return bob;
    }

    private static SipUri uriOf(UserAgent ua) {
        return SipUri.of("bob", "127.0.0.1", ua.listeners().getFirst().localAddress().getPort());
    }

    private static void awaitIdle(UserAgent... uas) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (UserAgent ua : uas) {
            while (ua.stats().liveTransactions() > 0) {
                if (System.nanoTime() > deadline) {
                    fail(ua.name() + " still has live transactions: " + ua.stats());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private UserAgent alice(String password) throws Exception {
        return agent("alice", CredentialsProvider.of(new Credentials("alice", password)));
    }

    @Test
    void registerIsChallengedThenAccepted() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = alice("wonderland");
        ClientTransaction tx = alice.client().request(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        SipResponse r = tx.response().get(10, TimeUnit.SECONDS);

        assertEquals(200, r.statusCode());
        assertEquals(List.of("alice"), users);
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).first(HeaderType.AUTHORIZATION).isEmpty());
        assertTrue(seen.get(1).first(HeaderType.AUTHORIZATION).isPresent());
        assertEquals(seen.get(0).callId(), seen.get(1).callId());
        assertEquals(seen.get(0).fromTag(), seen.get(1).fromTag());
        assertEquals(seen.get(0).to(), seen.get(1).to());
        assertEquals(seen.get(0).cseq().sequence() + 1, seen.get(1).cseq().sequence());
        assertFalse(seen.get(0).topVia().branch().equals(seen.get(1).topVia().branch()));
        assertEquals(1, seen.get(1).vias().size(), "one Via: the old one was not kept");
        assertEquals(seen.get(1).cseq(), tx.request().cseq(), "request() is the last request sent");
        assertEquals(seen.get(1).topVia().branch(), tx.request().topVia().branch());
        awaitIdle(alice, bob);
    }

    @Test
    void theRetryGoesToTheExplicitDestinationToo() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = alice("wonderland");
        // A Request-URI nothing resolves: only the explicit destination reaches bob.
        SipRequest register = alice.client().newRequest(Method.REGISTER, SipUri.parse("sip:bob.invalid")).build();
        Destination to = Destination.of("udp", bob.listeners().getFirst().localAddress());
        SipResponse r = alice.client().request(register, to).response().get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals(2, seen.size());
        awaitIdle(alice, bob);
    }

    @Test
    void wrongPasswordIsAnsweredOnceThenTheChallengeIsReturned() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = alice("guess");
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(401, r.statusCode());
        assertEquals(2, seen.size(), "no loop: one answer only");
        assertTrue(users.isEmpty());
        awaitIdle(alice, bob);
    }

    @Test
    void noCredentialsForTheRealmReturnsTheChallenge() throws Exception {
        UserAgent bob = bob();
        List<String> asked = new CopyOnWriteArrayList<>();
        UserAgent alice = agent("alice", (realm, request) -> {
            asked.add(realm);
            return realm.equals("elsewhere.example")
                ? Optional.of(new Credentials("alice", "wonderland")) : Optional.empty();
        });
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(401, r.statusCode());
        assertEquals(1, seen.size(), "nothing to answer with: no second request");
        assertEquals(List.of(REALM), asked);
        awaitIdle(alice, bob);
    }

    @Test
    void withoutCredentialsChallengesAreFinal() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = agent("alice", null);
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(401, r.statusCode());
        assertEquals(1, seen.size());
        awaitIdle(alice, bob);
    }

    @Test
    void inviteIsAuthenticatedAndTheFinalInviteIsAcked() throws Exception {
        UserAgent bob = bob();
        List<SipRequest> acks = new CopyOnWriteArrayList<>();
        CountDownLatch acked = new CountDownLatch(1);
        bob.server().onAck((ack, flow) -> {
            acks.add(ack);
            acked.countDown();
        });
        UserAgent alice = alice("wonderland");
        ClientTransaction tx = alice.client().request(alice.client().newRequest(Method.INVITE, uriOf(bob)).build());
        List<SipResponse> heard = new CopyOnWriteArrayList<>();
        tx.onResponse(heard::add);
        SipResponse ok = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(2, tx.request().cseq().sequence(), "the exchange ended at CSeq 2");
        assertTrue(tx.request().first(HeaderType.AUTHORIZATION).isPresent());
        alice.client().ack(tx.request(), ok);
        assertTrue(acked.await(10, TimeUnit.SECONDS));
        assertEquals(2, acks.getFirst().cseq().sequence());
        assertTrue(acks.getFirst().first(HeaderType.AUTHORIZATION).isPresent(), "the ACK carries the credentials");
        assertEquals(2, seen.size());
        assertTrue(heard.stream().noneMatch(r -> r.statusCode() == 401), "the answered challenge is not passed up: " + heard);
        // Only bob: alice's challenged INVITE transaction waits out Timer D (32 s over UDP
        // whatever T1 is, RFC 3261 §17.1.1.2) to absorb retransmitted 401s.
        awaitIdle(bob);
    }

    @Test
    void aCancelDuringTheSecondAttemptCancelsIt() throws Exception {
        UserAgent bob = agent("bob", null);
        CountDownLatch cancelled = new CountDownLatch(1);
        var guarded = auth.protect((tx, user) -> {
            tx.onCancel(c -> cancelled.countDown());
            tx.respond(180);
        });
        bob.server().onInvite(tx -> {
            seen.add(tx.request());
            guarded.handle(tx);
        });
        UserAgent alice = alice("wonderland");
        ClientTransaction tx = alice.client().request(alice.client().newRequest(Method.INVITE, uriOf(bob)).build());
        tx.onResponse(r -> {
            if (r.statusCode() == 180) {
                tx.cancel();
            }
        });
        SipResponse r = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(487, r.statusCode());
        assertTrue(cancelled.await(10, TimeUnit.SECONDS));
        assertEquals(2, seen.size(), "the authenticated INVITE was the one cancelled");
        assertEquals(2, r.cseq().sequence());
        assertEquals(2, tx.request().cseq().sequence());
        // distinct: with FAST's short T1 an INVITE retransmitted before the 180 arrived makes bob
        // send the 180 again (§17.2.1), and every provisional response is passed up (§17.1.1.2).
        assertEquals(List.of(180), tx.provisionalResponses().stream().map(SipResponse::statusCode).distinct().toList());
        awaitIdle(bob);
    }

    @Test
    void aProxys407ThenTheUas401AreAnsweredWithTheRightNonceCounts() throws Exception {
        // One agent plays an authenticating proxy in front of the UAS: first 407, then 401.
        DigestAuthenticator proxyAuth = DigestAuthenticator.newBuilder().realm("proxy.example")
            .proxy(true).clock(clock)
            .credentials(new InMemoryCredentialStore().add("alice", "proxy.example", "wonderland")).build();
        UserAgent bob = agent("bob", null);
        var uas = auth.protect((tx, user) -> {
            users.add(user);
            tx.respond(200);
        });
        var chain = proxyAuth.protect((tx, user) -> uas.handle(tx));
        bob.server().onRegister(tx -> {
            seen.add(tx.request());
            chain.handle(tx);
        });
        UserAgent alice = alice("wonderland");
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(200, r.statusCode());
        // No credentials (407), Proxy-Authorization (401), both (200): the proxy's nonce is used
        // a second time with nc=2, so there is no stale round trip.
        assertEquals(3, seen.size());
        assertTrue(seen.get(1).first(HeaderType.PROXY_AUTHORIZATION).isPresent());
        assertTrue(seen.get(1).first(HeaderType.AUTHORIZATION).isEmpty());
        AuthValue p1 = seen.get(1).first(HeaderType.PROXY_AUTHORIZATION).orElseThrow();
        AuthValue p2 = seen.get(2).first(HeaderType.PROXY_AUTHORIZATION).orElseThrow();
        assertEquals(p1.parameter("nonce"), p2.parameter("nonce"));
        assertEquals("00000001", p1.parameter("nc"));
        assertEquals("00000002", p2.parameter("nc"));
        assertEquals("00000001", seen.get(2).first(HeaderType.AUTHORIZATION).orElseThrow().parameter("nc"));
        assertEquals(3, r.cseq().sequence());
        assertEquals(List.of("alice"), users);
        awaitIdle(alice, bob);
    }

    @Test
    void aProxyAndUasChallengingTogetherAreAnsweredTogether() throws Exception {
        // A forking proxy merges challenges (RFC 3261 §16.7 step 7): two realms in one 401.
        DigestAuthenticator other = DigestAuthenticator.newBuilder().realm("other.example").clock(clock)
            .credentials(new InMemoryCredentialStore().add("alice", "other.example", "wonderland")).build();
        UserAgent bob = agent("bob", null);
        bob.server().onRegister(tx -> {
            seen.add(tx.request());
            AuthResult first = auth.authenticate(tx.request());
            AuthResult second = other.authenticate(tx.request());
            if (first instanceof AuthResult.Authenticated && second instanceof AuthResult.Authenticated) {
                tx.respond(200);
                return;
            }
            SipResponse.Builder b = tx.responseBuilder(401);
            auth.challenge().headerValues().forEach(v -> b.addHeader("WWW-Authenticate", v));
            other.challenge().headerValues().forEach(v -> b.addHeader("WWW-Authenticate", v));
            tx.respond(b.build());
        });
        UserAgent alice = alice("wonderland");
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(200, r.statusCode());
        assertEquals(2, seen.size());
        assertEquals(java.util.Set.of(REALM, "other.example"), seen.get(1).all(HeaderType.AUTHORIZATION).stream()
            .map(v -> v.parameter("realm")).collect(java.util.stream.Collectors.toSet()));
        awaitIdle(alice, bob);
    }

    @Test
    void staleNonceIsAnsweredAgainWithoutFailing() throws Exception {
        UserAgent bob = agent("bob", null);
        var guarded = auth.protect((tx, user) -> tx.respond(200));
        bob.server().onRegister(tx -> {
            seen.add(tx.request());
            if (seen.size() > 1) {
                guarded.handle(tx);
                return;
            }
            // The nonce expires before the challenge is even sent, so the answer (which another
            // worker may handle at once) always finds it expired.
            AuthResult.Challenge c = auth.challenge();
            clock.advance(Duration.ofMinutes(6));
            SipResponse.Builder b = tx.responseBuilder(c.status());
            c.headerValues().forEach(v -> b.addHeader(c.headerName(), v));
            tx.respond(b.build());
        });
        UserAgent alice = alice("wonderland");
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(200, r.statusCode());
        assertEquals(3, seen.size(), "challenge, stale answer, fresh answer");
        assertEquals(3, r.cseq().sequence());
        awaitIdle(alice, bob);
    }

    @Test
    void aServerAlwaysSayingStaleIsAnsweredTwiceOnly() throws Exception {
        UserAgent bob = agent("bob", null);
        bob.server().onRegister(tx -> {
            seen.add(tx.request());
            AuthResult.Challenge c = auth.challenge();
            SipResponse.Builder b = tx.responseBuilder(c.status());
            c.headerValues().forEach(v -> b.addHeader(c.headerName(), v.replace("realm=", "stale=true, realm=")));
            tx.respond(b.build());
        });
        UserAgent alice = alice("wonderland");
        SipResponse r = alice.client().send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(401, r.statusCode());
        assertEquals(3, seen.size(), "first answer, one stale answer, then the challenge is final");
        awaitIdle(alice, bob);
    }

    @Test
    void malformedCredentialsAreRejectedWithTheReason() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = agent("alice");
        SipRequest register = alice.client().newRequest(Method.REGISTER, uriOf(bob))
            .addHeader("Authorization", "Digest username=\"alice\", realm=\"" + REALM + "\", nonce=\"n\"")
            .build();
        SipResponse r = alice.client().send(register);
        assertEquals(400, r.statusCode());
        assertTrue(r.status().reason().contains("Digest"), r.status().reason());
        assertTrue(users.isEmpty());
        awaitIdle(alice, bob);
    }
}
