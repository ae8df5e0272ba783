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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** RFC 5393 Max-Breadth and {@link RelayOptions#maxBranches}: forking is bounded. */
@Timeout(60)
class MaxBreadthTest {

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

    private ClientTransaction call(String maxBreadth, List<Target> targets, RelayOptions options) {
        proxy.onRequest(req -> proxy.relay(req, targets, options).thenAccept(outcome::complete));
        SipRequest.Builder b = ProxyBed.invite(uac, memUri("bob", PROXY)).toBuilder();
        if (maxBreadth != null) {
            b.setHeader("Max-Breadth", maxBreadth);
        }
        return uac.client().request(b.build(), Destination.of("mem", PROXY));
    }

    @Test
    void parallelBranchesShareTheBreadth() throws Exception {
        ClientTransaction call = call("3", List.of(BOB1, BOB2), RelayOptions.defaults());
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        int b1 = Integer.parseInt(at1.request().header("Max-Breadth").orElseThrow());
        int b2 = Integer.parseInt(at2.request().header("Max-Breadth").orElseThrow());
        assertEquals(3, b1 + b2, "shares add up to the request's");
        assertTrue(b1 >= 1 && b2 >= 1);
        at1.respond(486);
        at2.respond(486);
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void aSingleBranchGetsTheDefault60() throws Exception {
        ClientTransaction call = call(null, List.of(BOB1), RelayOptions.defaults());
        ServerTransaction at1 = uas1.take(Method.INVITE);
        assertEquals("60", at1.request().header("Max-Breadth").orElseThrow());
        at1.respond(200);
        assertEquals(200, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void breadthOneForksToOneTargetOnly() throws Exception {
        ClientTransaction call = call("1", List.of(BOB1, BOB2), RelayOptions.defaults());
        ServerTransaction at1 = uas1.take(Method.INVITE);
        assertEquals("1", at1.request().header("Max-Breadth").orElseThrow());
        at1.respond(486);
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.settle();
        assertTrue(uas2.requests.isEmpty(), "no breadth left for the second target");
        bed.drain();
    }

    @Test
    void breadthZeroIsAnswered440() throws Exception {
        ClientTransaction call = call("0", List.of(BOB1), RelayOptions.defaults());
        assertEquals(440, call.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(RelayOutcome.Cause.BREADTH_EXCEEDED,
                assertInstanceOf(RelayOutcome.Answered.class, outcome.get(10, TimeUnit.SECONDS)).cause());
        assertTrue(uas1.requests.isEmpty());
        bed.drain();
    }

    @Test
    void maxBranchesBoundsTheTargetsAHookAdds() throws Exception {
        RelayOptions options = RelayOptions.newBuilder().forking(Forking.SEQUENTIAL).maxBranches(2)
                .onBranchFailure((branch, r) -> List.of(BOB1)) // would retry forever
                .build();
        ClientTransaction call = call(null, List.of(BOB1), options);
        uas1.take(Method.INVITE).respond(503);
        uas1.take(Method.INVITE).respond(486);
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.settle();
        assertTrue(uas1.requests.isEmpty(), "a third branch: " + uas1.requests);
        bed.drain();
    }
}
