package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;
import static sip.router.proxy.ProxyBed.from;
import static sip.router.proxy.ProxyBed.memUri;
import static sip.router.proxy.ProxyBed.startsWith;
import static sip.router.proxy.ProxyBed.to;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.transport.loopback.Rule;

/**
 * {@link RelayOptions.Builder#responseTimeout} on the virtual clock: a silent next hop is given
 * up with a local 408 (no CANCEL) and the relay fails over; a branch that answered 100 and rings
 * is not cut; a response after the expiry changes nothing; everything ends.
 */
@Timeout(60)
class ResponseTimeoutTest {

    private static final Duration LONG = Duration.ofMinutes(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ProxyBed bed = new ProxyBed();
    private final List<Integer> failures = new CopyOnWriteArrayList<>();
    private Proxy proxy;
    private UserAgent uac;
    private ProxyBed.Uas uas1;
    private ProxyBed.Uas uas2;

    @BeforeEach
    void agents() throws Exception {
        proxy = bed.proxy();
        uac = bed.agent("uac", UAC, b -> b.inviteHandlerTimeout(LONG), "mem");
        uas1 = bed.uas("uas1", UAS1, b -> b.inviteHandlerTimeout(LONG));
        uas2 = bed.uas("uas2", UAS2, b -> b.inviteHandlerTimeout(LONG));
    }

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /** Relays every request to UAS1; a 408 on it fails over to UAS2 (once). */
    private ClientTransaction callWithFailover() {
        proxy.onRequest(req -> proxy.relay(req, List.of(Target.of(memUri("bob", UAS1))),
                RelayOptions.newBuilder()
                        .responseTimeout(TIMEOUT)
                        .onBranchFailure((branch, r) -> {
                            failures.add(r.statusCode());
                            return r.statusCode() == 408 && branch.index() == 0
                                    ? List.of(Target.of(memUri("bob", UAS2))) : List.of();
                        })
                        .build()));
        return uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)), Destination.of("mem", PROXY));
    }

    /**
     * The branch's timer is armed once its client transaction exists, which may be after the
     * INVITE reached the wire: the clock must not move before (nothing else here is due in 2 s).
     */
    private void awaitResponseTimer() {
        ProxyBed.await(() -> bed.clock.pendingDelays().contains(TIMEOUT), "the response timer armed");
    }

    @Test
    void aSilentBranchFailsOverAfterTheTimeoutWithoutCancel() throws Exception {
        bed.drop(to(UAS1)); // a UDP server that is down: nothing comes back
        ClientTransaction call = callWithFailover();
        awaitResponseTimer();
        bed.advance(TIMEOUT.minusMillis(250));
        assertTrue(uas2.requests.isEmpty(), "no failover before the timeout");
        bed.advance(Duration.ofMillis(500));
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at2.respond(200);
        assertEquals(200, call.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(List.of(408), failures, "onBranchFailure saw the local 408");
        assertTrue(bed.sent(to(UAS1).and(startsWith("CANCEL"))).isEmpty(), "no CANCEL before a provisional");
        bed.drain();
        assertEquals(0, proxy.stats().liveBranches());
        assertEquals(0, proxy.stats().liveContexts());
    }

    @Test
    void aBranchThatAnswered100AndRingsIsNotCut() throws Exception {
        ClientTransaction call = callWithFailover();
        ServerTransaction at = uas1.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at.onCancel(c -> cancelled.countDown());
        bed.advance(Duration.ofMillis(500)); // the UAS's automatic 100 leaves after 200 ms
        ProxyBed.await(() -> !bed.sent(from(UAS1).and(startsWith("SIP/2.0 100"))).isEmpty(), "UAS1's 100");
        bed.advance(Duration.ofSeconds(1));
        at.respond(180);
        ProxyBed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180), "180 up");
        bed.advance(Duration.ofSeconds(20)); // ten times the response timeout, ringing
        assertFalse(cancelled.await(0, TimeUnit.SECONDS), "the ringing branch is not cancelled");
        assertFalse(call.response().isDone());
        assertTrue(uas2.requests.isEmpty(), "no failover");
        at.respond(200);
        assertEquals(200, call.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(List.of(), failures);
        bed.drain();
    }

    @Test
    void aResponseAfterTheExpiryChangesNothing() throws Exception {
        Rule silent = bed.drop(from(UAS1)); // UAS1 gets the INVITE, its answers are lost
        ClientTransaction call = callWithFailover();
        ServerTransaction at = uas1.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at.onCancel(c -> cancelled.countDown());
        awaitResponseTimer();
        bed.advance(TIMEOUT.plusMillis(250));
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at2.respond(200);
        assertEquals(200, call.response().get(10, TimeUnit.SECONDS).statusCode(), "UAS2's answer decides");
        bed.network.removeRule(silent);
        at.respond(180); // late: the held CANCEL now leaves (§9.1), the 487 is absorbed
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the late-answering branch is cancelled");
        bed.settle();
        assertEquals(List.of(408), failures, "the late 180 and 487 reached no hook");
        assertTrue(call.provisionalResponses().stream().noneMatch(r -> r.statusCode() == 180),
                "the late 180 was not forwarded");
        assertEquals(1, proxy.stats().succeeded());
        assertEquals(0, proxy.stats().failed());
        bed.drain();
        assertEquals(0, proxy.stats().liveBranches());
        assertEquals(0, proxy.stats().liveContexts());
    }
}
