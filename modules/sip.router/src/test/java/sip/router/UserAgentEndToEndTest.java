package sip.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;

/**
 * Two user agents talking over real UDP and TCP sockets on 127.0.0.1: the public API from
 * handler registration to transaction end, with timers small enough (T1 20 ms, T2 80 ms, T4
 * 100 ms) that every transaction ends within a couple of seconds.
 */
@Timeout(60)
class UserAgentEndToEndTest {

    private static final SipTimers FAST = new SipTimers(Duration.ofMillis(20), Duration.ofMillis(80),
            Duration.ofMillis(100));
    private static final long WAIT_SECONDS = 10;

    private final List<UserAgent> agents = new ArrayList<>();

    @AfterEach
    void closeAgents() {
        agents.forEach(UserAgent::close);
    }

    private UserAgent agent(String name, String protocol) throws Exception {
        UserAgent ua = UserAgent.newBuilder().name(name).timers(FAST).tryingDelay(Duration.ofMillis(30))
                .closeTimeout(Duration.ofMillis(200)).build();
        agents.add(ua);
        ua.listen(protocol, "127.0.0.1:0");
        return ua;
    }

    /** Where {@code ua} takes requests over {@code protocol}. */
    private static SipUri uriOf(UserAgent ua, String user, String protocol) {
        int port = ua.listeners().getFirst().localAddress().getPort();
        SipUri u = SipUri.of(user, "127.0.0.1", port);
        return protocol.equals("udp") ? u : u.withParameter("transport", protocol);
    }

    /** Polls the live transaction counts down to zero: each transaction ends by a timer. */
    private static void awaitIdle(UserAgent... uas) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (UserAgent ua : uas) {
            while (ua.stats().liveTransactions() > 0) {
                if (System.nanoTime() > deadline) {
                    fail(ua.name() + " still has live transactions: " + ua.stats());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void optionsRoundTrip(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        bob.server().onInvite(tx -> tx.respond(486));
        SipRequest options = alice.client().newRequest(Method.OPTIONS, uriOf(bob, "bob", protocol)).build();
        SipResponse r = alice.client().send(options);
        assertEquals(200, r.statusCode());
        assertEquals("INVITE, ACK, CANCEL, OPTIONS", r.header(StandardHeader.ALLOW).orElseThrow());
        assertEquals("application/sdp", r.header(StandardHeader.ACCEPT).orElseThrow());
        assertEquals("bob", r.header(StandardHeader.SERVER).orElseThrow());
        assertEquals(options.callId(), r.callId());
        awaitIdle(alice, bob);
        assertEquals(1, alice.stats().clientCreated());
        assertEquals(1, bob.stats().serverCreated());
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void inviteRingingOkAckBye(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        CompletableFuture<SipRequest> ackSeen = new CompletableFuture<>();
        CompletableFuture<SipRequest> byeSeen = new CompletableFuture<>();
        bob.server()
                .onInvite(tx -> {
                    tx.respond(180);
                    tx.respond(200);
                })
                .onAck((ack, flow) -> ackSeen.complete(ack))
                .onBye(tx -> {
                    byeSeen.complete(tx.request());
                    tx.respond(200);
                });

        SipRequest invite = alice.client().newRequest(Method.INVITE, uriOf(bob, "bob", protocol)).build();
        ClientTransaction tx = alice.client().request(invite);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        tx.onResponse(r -> seen.add(r.statusCode()));
        SipResponse ok = await(tx.response());
        assertEquals(200, ok.statusCode());
        if (protocol.equals("tcp")) {
            // A stream keeps order. Over UDP the 180 and the 200 may be handled in either order
            // (several workers drain one socket, as the network may reorder them anyway), and a
            // 180 after the 200 is rightly not passed up.
            assertTrue(tx.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180),
                    "180 before the 200: " + tx.provisionalResponses());
        }
        assertFalse(ok.contacts().isEmpty(), "a 2xx to INVITE carries a Contact");
        assertTrue(ok.toTag() != null);

        SipRequest ack = alice.client().ack(invite, ok);
        SipRequest ackAtBob = await(ackSeen);
        assertEquals(invite.callId(), ackAtBob.callId());
        assertEquals(Method.ACK, ackAtBob.cseq().method());
        assertEquals(invite.cseq().sequence(), ackAtBob.cseq().sequence());
        assertEquals(ok.toTag(), ackAtBob.toTag());
        assertEquals(ack.requestUri(), ackAtBob.requestUri());

        SipRequest bye = SipRequest.builder(Method.BYE, ok.contacts().getFirst().uri())
                .from(invite.from()).to(ok.to()).callId(invite.callId())
                .cseq(invite.cseq().sequence() + 1).build();
        assertEquals(200, alice.client().send(bye).statusCode());
        assertEquals(ok.toTag(), await(byeSeen).toTag());
        assertTrue(seen.contains(200) && (protocol.equals("udp") || seen.contains(180)), "listener saw " + seen);
        awaitIdle(alice, bob);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void cancelOfARingingInviteGives487AndRunsOnCancel(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        CompletableFuture<SipRequest> cancelled = new CompletableFuture<>();
        bob.server().onInvite(tx -> {
            tx.onCancel(cancelled::complete);
            tx.respond(180);
        });
        SipRequest invite = alice.client().newRequest(Method.INVITE, uriOf(bob, "bob", protocol)).build();
        ClientTransaction tx = alice.client().request(invite);
        CountDownLatch ringing = new CountDownLatch(1);
        tx.onResponse(r -> {
            if (r.statusCode() == 180) {
                ringing.countDown();
            }
        });
        assertTrue(ringing.await(WAIT_SECONDS, TimeUnit.SECONDS), "180 arrives");
        tx.cancel();
        assertEquals(487, await(tx.response()).statusCode());
        SipRequest cancel = await(cancelled);
        assertEquals(Method.CANCEL, cancel.method());
        assertEquals(invite.callId(), cancel.callId());
        if (protocol.equals("tcp")) {
            awaitIdle(alice, bob); // over UDP, the client's Timer D is at least 32 s
        } else {
            awaitIdle(bob);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void aSlowInviteHandlerStillGets100Trying(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        CountDownLatch tryingSeen = new CountDownLatch(1);
        bob.server().onInvite(tx -> {
            // Answer only once the caller has seen the transaction's own 100 Trying.
            if (!tryingSeen.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("no 100 Trying reached the caller");
            }
            tx.respond(486);
        });
        SipRequest invite = alice.client().newRequest(Method.INVITE, uriOf(bob, "bob", protocol)).build();
        ClientTransaction tx = alice.client().request(invite);
        tx.onResponse(r -> {
            if (r.statusCode() == 100) {
                tryingSeen.countDown();
            }
        });
        assertEquals(486, await(tx.response()).statusCode());
        assertEquals(100, tx.provisionalResponses().getFirst().statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void methodWithoutHandlerIs405(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        bob.server().onInvite(tx -> tx.respond(486)).onBye(tx -> tx.respond(200));
        SipResponse r = alice.client().send(alice.client().newRequest(Method.MESSAGE, uriOf(bob, "bob", protocol)).build());
        assertEquals(405, r.statusCode());
        assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS", r.header(StandardHeader.ALLOW).orElseThrow());
        awaitIdle(alice, bob);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void handlerExceptionIs500(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        bob.server().onMessage(tx -> {
            throw new IllegalStateException("handler bug");
        });
        SipResponse r = alice.client().send(alice.client().newRequest(Method.MESSAGE, uriOf(bob, "bob", protocol)).build());
        assertEquals(500, r.statusCode());
        awaitIdle(alice, bob);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void requireOfAnUnknownExtensionIs420(String protocol) throws Exception {
        UserAgent alice = agent("alice", protocol);
        UserAgent bob = agent("bob", protocol);
        bob.server().onMessage(tx -> tx.respond(200)).supported("timer");
        SipRequest m = alice.client().newRequest(Method.MESSAGE, uriOf(bob, "bob", protocol))
                .setHeader(StandardHeader.REQUIRE, "timer, 100rel").build();
        SipResponse r = alice.client().send(m);
        assertEquals(420, r.statusCode());
        assertEquals("100rel", r.header(StandardHeader.UNSUPPORTED).orElseThrow());
        awaitIdle(alice, bob);
    }
}
