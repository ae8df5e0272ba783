package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.memUri;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.UserAgent;

/**
 * Calls through the proxy on a datagram network losing 10 % of messages (and duplicating some):
 * retransmissions of requests, of the UAS's 2xx through the proxy, and of ACKs make every call
 * and every BYE complete, and everything ends.
 */
@Timeout(120)
class LossTest {

    private static final int CALLS = 10;

    private final ProxyBed bed = new ProxyBed(b -> b.seed(7).loss(0.10).duplication(0.05));
    private final java.util.concurrent.atomic.AtomicLong uasAnswered = new java.util.concurrent.atomic.AtomicLong();
    private UserAgent proxyUa;
    private UserAgent uas;
    private Proxy proxy;

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /**
     * Moves the clock until {@code done}, 100 ms at a time; before each step it waits until the
     * work the last one started has been taken up: the network idle is not enough, as the UAS's
     * handlers and the proxy's relays run on virtual threads of their own, and a clock moving on
     * while they wait for a carrier would fire Timer F/B on their peers. Taken up means: every
     * server transaction of the UAS answered by its handler, every request the proxy received
     * relayed, and every relay's branch sent. Bounded by wall-clock time, not a step count.
     */
    private void until(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            ProxyBed.await(this::takenUp, "the agents took up what the last clock step delivered: "
                    + uasAnswered + " answered of " + uas.stats() + ", proxy " + proxyUa.stats() + " " + proxy.stats());
            bed.advance(Duration.ofMillis(100));
        }
        ProxyBed.await(done, what);
    }

    private boolean takenUp() {
        long relayed = proxy.stats().relayed();
        return uasAnswered.get() == uas.stats().serverCreated()
                && proxyUa.stats().serverCreated() == relayed
                && proxyUa.stats().clientCreated() >= relayed;
    }

    @Test
    void everyCallAndByeCompletes() throws Exception {
        // The clock races ahead while the network is idle, also while a handler's virtual thread
        // waits for a carrier: 3 min of handler timeout or Timer C can pass in a few ms of a
        // loaded machine. Long ones keep them out of a test about loss.
        Duration longWait = Duration.ofDays(1);
        proxyUa = bed.agent("proxy", ProxyBed.PROXY,
                b -> b.inviteHandlerTimeout(longWait).handlerTimeout(longWait), "mem", "mem-stream");
        proxy = Proxy.newBuilder(proxyUa).timerC(longWait).relayHosts(UAS1.getAddress().getHostAddress())
                .build();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        uas = bed.agent("uas", UAS1, b -> b.inviteHandlerTimeout(longWait).handlerTimeout(longWait), "mem");
        uas.server().onInvite(tx -> {
            tx.respond(180);
            tx.respond(200);
            uasAnswered.incrementAndGet();
        }).onBye(tx -> {
            tx.respond(200);
            uasAnswered.incrementAndGet();
        }).onAck((ack, flow) -> { });

        List<SipRequest> invites = new ArrayList<>();
        List<ClientTransaction> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            SipRequest invite = ProxyBed.invite(uac, memUri("bob", UAS1));
            invites.add(invite);
            calls.add(uac.client().request(invite, Destination.of("mem", PROXY)));
        }
        until(() -> calls.stream().allMatch(c -> c.response().isDone()), "every INVITE answered");
        List<ClientTransaction> byes = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            SipResponse ok = calls.get(i).response().join();
            assertEquals(200, ok.statusCode(), () -> "call " + ok);
            uac.client().ack(invites.get(i), ok);
            byes.add(uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invites.get(i), ok, 2)));
        }
        until(() -> byes.stream().allMatch(c -> c.response().isDone()), "every BYE answered");
        for (ClientTransaction bye : byes) {
            assertEquals(200, bye.response().join().statusCode());
        }
        assertTrue(bed.network.stats().dropped() > 0, "the network did lose messages");
        assertEquals(CALLS, proxy.stats().succeeded() - CALLS, "INVITEs and BYEs: " + proxy.stats());
        bed.drain();
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0 && proxy.stats().liveBranches() == 0,
                "every context ended: " + proxy.stats());
        proxy.close();
    }
}
