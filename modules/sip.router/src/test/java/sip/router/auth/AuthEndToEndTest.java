package sip.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.SipTimers;
import sip.router.UserAgent;

/**
 * Digest over real UDP on 127.0.0.1 between two user agents: {@link DigestAuthenticator#protect}
 * on the server, {@link AuthenticatingClient} on the client. The nonce clock is a settable one,
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
        UserAgent ua = UserAgent.newBuilder().name(name).timers(FAST).closeTimeout(Duration.ofMillis(200)).build();
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

    @Test
    void registerIsChallengedThenAccepted() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = agent("alice");
        AuthenticatingClient client = AuthenticatingClient.of(alice.client(),
            CredentialsProvider.of(new Credentials("alice", "wonderland")));
        SipRequest register = alice.client().newRequest(Method.REGISTER, uriOf(bob)).build();
        SipResponse r = client.send(register);

        assertEquals(200, r.statusCode());
        assertEquals(List.of("alice"), users);
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).first(HeaderType.AUTHORIZATION).isEmpty());
        assertTrue(seen.get(1).first(HeaderType.AUTHORIZATION).isPresent());
        assertEquals(seen.get(0).callId(), seen.get(1).callId());
        assertEquals(seen.get(0).fromTag(), seen.get(1).fromTag());
        assertEquals(seen.get(0).cseq().sequence() + 1, seen.get(1).cseq().sequence());
        assertFalse(seen.get(0).topVia().branch().equals(seen.get(1).topVia().branch()));
        assertEquals(1, seen.get(1).vias().size(), "one Via: the old one was not kept");
        awaitIdle(alice, bob);
    }

    @Test
    void wrongPasswordIsAnsweredOnceThenTheChallengeIsReturned() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = agent("alice");
        AuthenticatingClient client = AuthenticatingClient.of(alice.client(),
            CredentialsProvider.of(new Credentials("alice", "guess")));
        SipResponse r = client.send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(401, r.statusCode());
        assertEquals(2, seen.size(), "no loop: one answer only");
        assertTrue(users.isEmpty());
        awaitIdle(alice, bob);
    }

    @Test
    void inviteIsAuthenticatedAndItsTransactionKeptForTheAck() throws Exception {
        UserAgent bob = bob();
        UserAgent alice = agent("alice");
        AuthenticatingClient client = AuthenticatingClient.of(alice.client(),
            CredentialsProvider.of(new Credentials("alice", "wonderland")));
        CompletableFuture<ClientTransaction> f =
            client.request(alice.client().newRequest(Method.INVITE, uriOf(bob)).build());
        ClientTransaction tx = f.get(10, TimeUnit.SECONDS);
        SipResponse ok = tx.response().join();
        assertEquals(200, ok.statusCode());
        assertTrue(tx.request().first(HeaderType.AUTHORIZATION).isPresent());
        alice.client().ack(tx.request(), ok);
        assertEquals(2, seen.size());
        // Only bob: alice's challenged INVITE transaction waits out Timer D (32 s over UDP
        // whatever T1 is, RFC 3261 §17.1.1.2) to absorb retransmitted 401s.
        awaitIdle(bob);
    }

    @Test
    void aProxys407ThenTheUas401AreEachAnswered() throws Exception {
        // One agent plays an authenticating proxy in front of the UAS: first 407, then 401.
        DigestAuthenticator proxyAuth = DigestAuthenticator.newBuilder().realm("proxy.example")
            .proxy(true).clock(clock)
            .credentials(new InMemoryCredentialStore().add("alice", "proxy.example", "wonderland")).build();
        UserAgent bob = agent("bob");
        var uas = auth.protect((tx, user) -> {
            users.add(user);
            tx.respond(200);
        });
        var chain = proxyAuth.protect((tx, user) -> uas.handle(tx));
        bob.server().onRegister(tx -> {
            seen.add(tx.request());
            chain.handle(tx);
        });
        UserAgent alice = agent("alice");
        AuthenticatingClient client = AuthenticatingClient.of(alice.client(),
            CredentialsProvider.of(new Credentials("alice", "wonderland")));
        SipResponse r = client.send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(200, r.statusCode());
        // No credentials (407), Proxy-Authorization (401), both: the kept Proxy-Authorization
        // repeats nc=1 on its nonce, which the proxy answers stale (407), then both again (200).
        assertEquals(4, seen.size());
        assertTrue(seen.get(1).first(HeaderType.PROXY_AUTHORIZATION).isPresent());
        assertTrue(seen.get(1).first(HeaderType.AUTHORIZATION).isEmpty());
        assertTrue(seen.get(2).first(HeaderType.PROXY_AUTHORIZATION).isPresent());
        assertTrue(seen.get(2).first(HeaderType.AUTHORIZATION).isPresent());
        assertEquals(List.of("alice"), users);
        awaitIdle(alice, bob);
    }

    @Test
    void staleNonceIsAnsweredAgainWithoutFailing() throws Exception {
        UserAgent bob = agent("bob");
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
        UserAgent alice = agent("alice");
        AuthenticatingClient client = AuthenticatingClient.of(alice.client(),
            CredentialsProvider.of(new Credentials("alice", "wonderland")));
        SipResponse r = client.send(alice.client().newRequest(Method.REGISTER, uriOf(bob)).build());
        assertEquals(200, r.statusCode());
        assertEquals(3, seen.size(), "challenge, stale answer, fresh answer");
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
