package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;
import static sip.router.proxy.ProxyBed.memUri;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** Forking to two UASes (RFC 3261 §16.6, §16.7): parallel, sequential, best response, hooks. */
@Timeout(60)
class ForkingTest {

    private static final Target BOB1 = Target.of(memUri("bob", UAS1));
    private static final Target BOB2 = Target.of(memUri("bob", UAS2));

    private final ProxyBed bed = new ProxyBed();
    private final CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
    private Proxy proxy;
    private UserAgent uac;
    private ProxyBed.Uas uas1;
    private ProxyBed.Uas uas2;

    @BeforeEach
    void agents() throws Exception {
        proxy = bed.proxy();
        uac = bed.agent("uac", UAC, "mem");
        uas1 = bed.uas("uas1", UAS1);
        uas2 = bed.uas("uas2", UAS2);
    }

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private void relayTo(List<Target> targets, RelayOptions options) {
        proxy.onRequest(req -> proxy.relay(req, targets, options).thenAccept(outcome::complete));
    }

    private ClientTransaction call() {
        return uac.client().request(ProxyBed.invite(uac, memUri("bob", PROXY)), Destination.of("mem", PROXY));
    }

    private static SipResponse challenge(ServerTransaction tx, int code, String header, String realm) {
        return tx.responseBuilder(code).addHeader(header, "Digest realm=\"" + realm + "\", nonce=\"n-" + realm + "\"")
                .build();
    }

    @Test
    void twoHundredsFromBothForksAreBothForwarded() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.defaults());
        ClientTransaction call = call();
        List<SipResponse> oks = new CopyOnWriteArrayList<>();
        call.onResponse(r -> {
            if (r.statusCode() == 200) {
                oks.add(r);
            }
        });
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at1.respond(200);
        assertEquals(200, call.response().get(10, TimeUnit.SECONDS).statusCode());
        at2.respond(200);
        bed.await(() -> oks.size() == 2, "both 2xx upstream");
        assertNotEquals(oks.get(0).toTag(), oks.get(1).toTag(), "two dialogs");
        uac.client().ack(call.request(), oks.get(0));
        uac.client().ack(call.request(), oks.get(1));
        bed.await(() -> uas1.acks.size() == 1 && uas2.acks.size() == 1, "each fork ACKed through the proxy");
        RelayOutcome.Forwarded f = assertInstanceOf(RelayOutcome.Forwarded.class, outcome.get(10, TimeUnit.SECONDS));
        assertEquals(0, f.branch().index());
        bed.drain();
    }

    @Test
    void aTwoHundredCancelsTheOtherRingingBranch() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.defaults());
        ClientTransaction call = call();
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at1.onCancel(c -> cancelled.countDown());
        at1.respond(180);
        at2.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "§16.7 item 10: the ringing branch is cancelled");
        uac.client().ack(call.request(), ok);
        bed.settle();
        assertEquals(0, bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAC)).and(ProxyBed.startsWith("SIP/2.0 487"))).size(),
                "the cancelled branch's 487 is not forwarded");
        assertEquals(1, assertInstanceOf(RelayOutcome.Forwarded.class, outcome.get(10, TimeUnit.SECONDS)).branch().index());
        bed.drain();
    }

    @Test
    void aSixHundredWinsAndCancelsTheRest() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.defaults());
        ClientTransaction call = call();
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at1.onCancel(c -> cancelled.countDown());
        at1.respond(180);
        bed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180), "180 upstream");
        at2.respond(603);
        assertTrue(cancelled.await(10, TimeUnit.SECONDS));
        // UAS1 answers the CANCEL with 487 by itself: a 4xx, but the 6xx is better.
        assertEquals(603, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void theLowestClassWinsBetween4xxAnd5xx() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.defaults());
        ClientTransaction call = call();
        uas1.take(Method.INVITE).respond(500);
        uas2.take(Method.INVITE).respond(404);
        assertEquals(404, call.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, assertInstanceOf(RelayOutcome.Forwarded.class, outcome.get(10, TimeUnit.SECONDS)).branch().index());
        bed.drain();
    }

    @Test
    void challengesOf401And407AreMerged() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.defaults());
        ClientTransaction call = call();
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at1.respond(challenge(at1, 401, "WWW-Authenticate", "one"));
        at2.respond(challenge(at2, 407, "Proxy-Authenticate", "two"));
        SipResponse r = call.response().get(10, TimeUnit.SECONDS);
        // Equal rank: the first the proxy processed, which the two branches race for.
        assertTrue(r.statusCode() == 401 || r.statusCode() == 407, r::toString);
        assertEquals(List.of("Digest realm=\"one\", nonce=\"n-one\""), r.headerValues(StandardHeader.WWW_AUTHENTICATE));
        assertEquals(List.of("Digest realm=\"two\", nonce=\"n-two\""), r.headerValues(StandardHeader.PROXY_AUTHENTICATE));
        bed.drain();
    }

    @Test
    void a503IsForwardedAs500() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.defaults());
        ClientTransaction call = call();
        uas1.take(Method.INVITE).respond(503);
        uas2.take(Method.INVITE).respond(503);
        SipResponse r = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(500, r.statusCode(), "§16.7 item 6");
        assertEquals(500, assertInstanceOf(RelayOutcome.Forwarded.class, outcome.get(10, TimeUnit.SECONDS))
                .response().statusCode());
        bed.drain();
    }

    @Test
    void sequentialForkingTriesOneTargetAfterTheOther() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.newBuilder().forking(Forking.SEQUENTIAL).build());
        ClientTransaction call = call();
        ServerTransaction at1 = uas1.take(Method.INVITE);
        bed.settle();
        assertTrue(uas2.requests.isEmpty(), "the second target waits for the first");
        at1.respond(486);
        uas2.take(Method.INVITE).respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        uac.client().ack(call.request(), ok);
        assertEquals(1, assertInstanceOf(RelayOutcome.Forwarded.class, outcome.get(10, TimeUnit.SECONDS)).branch().index());
        bed.drain();
    }

    @Test
    void onBranchFailureTriesTheNextTarget() throws Exception {
        List<Integer> failures = new CopyOnWriteArrayList<>();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        relayTo(List.of(BOB1), RelayOptions.newBuilder()
                .onResponse((branch, r) -> seen.add(r.statusCode()))
                .onBranchFailure((branch, r) -> {
                    failures.add(r.statusCode());
                    return r.statusCode() == 503 || r.statusCode() == 408 ? List.of(BOB2) : List.of();
                })
                .build());
        ClientTransaction call = call();
        uas1.take(Method.INVITE).respond(503);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at2.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        uac.client().ack(call.request(), ok);
        assertEquals(List.of(503), failures);
        assertTrue(seen.containsAll(List.of(503, 200)), "every response passes the onResponse hook: " + seen);
        RelayOutcome.Forwarded f = assertInstanceOf(RelayOutcome.Forwarded.class, outcome.get(10, TimeUnit.SECONDS));
        assertEquals(1, f.branch().index());
        assertEquals(BOB2, f.branch().target());
        bed.drain();
    }

    @Test
    void aBranchTimeoutMovesASequentialRelayOn() throws Exception {
        relayTo(List.of(BOB1, BOB2), RelayOptions.newBuilder().forking(Forking.SEQUENTIAL)
                .branchTimeout(Duration.ofSeconds(10)).build());
        ClientTransaction call = call();
        ServerTransaction at1 = uas1.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at1.onCancel(c -> cancelled.countDown());
        at1.respond(180);
        bed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180), "180 upstream");
        bed.advance(Duration.ofSeconds(10));
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the silent branch is cancelled");
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at2.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        uac.client().ack(call.request(), ok);
        bed.drain();
        assertEquals(0, proxy.stats().liveBranches());
    }

    @Test
    void noTargetsIs480() throws Exception {
        relayTo(List.of(), RelayOptions.defaults());
        ClientTransaction call = call();
        assertEquals(480, call.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(RelayOutcome.Cause.NO_TARGETS,
                assertInstanceOf(RelayOutcome.Answered.class, outcome.get(10, TimeUnit.SECONDS)).cause());
        SipRequest unused = call.request();
        assertEquals(Method.INVITE, unused.method());
        bed.drain();
    }
}
