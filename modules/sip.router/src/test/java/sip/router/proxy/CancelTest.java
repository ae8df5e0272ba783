package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;
import static sip.router.proxy.ProxyBed.memUri;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** RFC 3261 §16.10: a CANCEL for a relayed INVITE is answered and propagated to every branch. */
@Timeout(60)
class CancelTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void cancelReachesEveryRingingBranchAndThe487ComesBack() throws Exception {
        Proxy proxy = bed.proxy();
        CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
        proxy.onRequest(req -> proxy.relay(req, List.of(Target.of(memUri("bob", UAS1)), Target.of(memUri("bob", UAS2))),
                RelayOptions.defaults()).thenAccept(outcome::complete));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas1 = bed.uas("uas1", UAS1);
        ProxyBed.Uas uas2 = bed.uas("uas2", UAS2);

        SipRequest invite = ProxyBed.invite(uac, memUri("bob", PROXY));
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(2);
        at1.onCancel(c -> cancelled.countDown());
        at2.onCancel(c -> cancelled.countDown());
        at1.respond(180);
        at2.respond(183);
        bed.await(() -> call.provisionalResponses().size() >= 2, "both provisionals upstream");

        call.cancel();
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "both UASes saw a CANCEL");
        SipResponse last = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(487, last.statusCode());
        RelayOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertEquals(487, assertInstanceOf(RelayOutcome.Forwarded.class, o).response().statusCode(),
                "the UASes' 487, not a local one: " + o);
        assertEquals(1, bed.sent(ProxyBed.from(UAC).and(ProxyBed.startsWith("CANCEL"))).size());
        assertEquals(2, bed.sent(ProxyBed.from(PROXY).and(ProxyBed.startsWith("CANCEL"))).size());
        bed.drain();
        assertEquals(1, proxy.stats().failed());
    }

    @Test
    void aCancelWhileTheHandlerStillDecidesIs487AndTheLateRelayIsNotSent() throws Exception {
        Proxy proxy = bed.proxy();
        CountDownLatch decide = new CountDownLatch(1);
        CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
        proxy.onRequest(req -> {
            decide.await(); // a slow lookup
            proxy.relay(req, req.request().requestUri()).thenAccept(outcome::complete);
        });
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        bed.await(() -> proxy.userAgent().stats().serverTransactions() == 1, "the INVITE at the proxy");
        bed.advance(java.time.Duration.ofMillis(200)); // the proxy's automatic 100
        bed.await(() -> !call.provisionalResponses().isEmpty(), "100 Trying from the proxy");
        call.cancel();
        assertEquals(487, call.response().get(10, TimeUnit.SECONDS).statusCode());
        decide.countDown();
        assertInstanceOf(RelayOutcome.NotSent.class, outcome.get(10, TimeUnit.SECONDS));
        bed.settle();
        assertTrue(uas.requests.isEmpty(), "nothing relayed after the CANCEL");
        assertEquals(0, proxy.stats().relayed());
        bed.drain();
    }

    @Test
    void cancelBeforeAnyProvisionalIsAnsweredLocally() throws Exception {
        Proxy proxy = bed.proxy();
        CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
        proxy.onRequest(req -> proxy.relay(req, req.request().requestUri()).thenAccept(outcome::complete));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        // The UAS never answers: the handler keeps the request.
        ProxyBed.Uas uas = bed.uas("uas", UAS1);

        // The UAS's automatic 100 is lost: the branch has no provisional response.
        bed.drop(ProxyBed.from(UAS1).and(ProxyBed.startsWith("SIP/2.0 100")));
        SipRequest invite = ProxyBed.invite(uac, memUri("bob", UAS1));
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        ServerTransaction atUas = uas.take(Method.INVITE);
        // The proxy's automatic 100 lets the UAC's CANCEL go out.
        bed.advance(java.time.Duration.ofMillis(200));
        bed.await(() -> !call.provisionalResponses().isEmpty(), "100 Trying from the proxy");
        call.cancel();
        SipResponse last = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(487, last.statusCode());
        RelayOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertEquals(RelayOutcome.Cause.CANCELLED, assertInstanceOf(RelayOutcome.Answered.class, o).cause());
        // The branch is cancelled once the UAS sends something.
        CountDownLatch cancelled = new CountDownLatch(1);
        atUas.onCancel(c -> cancelled.countDown());
        atUas.respond(180);
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the held-back CANCEL went out after the 180");
        bed.drain();
    }
}
