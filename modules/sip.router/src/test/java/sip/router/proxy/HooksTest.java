package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;
import static sip.router.proxy.ProxyBed.memUri;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** The relay API a script runtime builds on: serialized hooks, per-branch requests, a safe default. */
@Timeout(60)
class HooksTest {

    private static final Target BOB1 = Target.of(memUri("bob", UAS1));
    private static final Target BOB2 = Target.of(memUri("bob", UAS2));

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void hooksOfOneRelayRunOneAtATime() throws Exception {
        Proxy proxy = bed.proxy();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        RelayOptions options = RelayOptions.newBuilder().onResponse((branch, r) -> {
            most.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                if (calls.incrementAndGet() == 1) {
                    release.await(10, TimeUnit.SECONDS); // the first call holds the relay's hooks
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                active.decrementAndGet();
            }
        }).build();
        proxy.onRequest(req -> proxy.relay(req, List.of(BOB1, BOB2), options));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas1 = bed.uas("uas1", UAS1);
        ProxyBed.Uas uas2 = bed.uas("uas2", UAS2);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", PROXY)),
                Destination.of("mem", PROXY));
        ServerTransaction at1 = uas1.take(Method.INVITE);
        ServerTransaction at2 = uas2.take(Method.INVITE);
        at1.respond(486);
        ProxyBed.await(() -> calls.get() == 1, "the first hook call holds the relay");
        at2.respond(486);
        bed.settle();
        assertEquals(1, calls.get(), "another hook ran while the first one held the relay");
        release.countDown();
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode());
        ProxyBed.await(() -> calls.get() >= 2, "the 486 of each branch");
        assertEquals(1, most.get());
        bed.drain();
    }

    @Test
    void onBranchChangesHeadersPerTargetAndARefusedChangeEndsTheBranch() throws Exception {
        Proxy proxy = bed.proxy();
        RelayOptions options = RelayOptions.newBuilder().onBranch((branch, r) -> branch.index() == 0
                ? r.toBuilder().setHeader("X-Target", "first").build()
                : r.toBuilder().requestUri(SipUri.parse("sip:elsewhere@10.0.0.99")).build()).build();
        proxy.onRequest(req -> proxy.relay(req, List.of(BOB1, BOB2), options));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas1 = bed.uas("uas1", UAS1);
        ProxyBed.Uas uas2 = bed.uas("uas2", UAS2);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", PROXY)),
                Destination.of("mem", PROXY));
        ServerTransaction at1 = uas1.take(Method.INVITE);
        assertEquals("first", at1.request().header("X-Target").orElseThrow());
        at1.respond(486);
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode(), "486 beats the local 500");
        bed.settle();
        assertTrue(uas2.requests.isEmpty(), "the branch whose Request-URI the hook changed was not sent");
        bed.drain();
    }

    @Test
    void withoutAHandlerOrRelayHostsNothingIsRelayed() throws Exception {
        bed.proxy(b -> b.relayHosts());
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas1", UAS1);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        assertEquals(403, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.settle();
        assertTrue(uas.requests.isEmpty());
        bed.drain();
    }
}
