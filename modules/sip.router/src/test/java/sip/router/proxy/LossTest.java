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

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /**
     * Moves the clock until {@code done}: 64×T1 of virtual time is enough for every
     * retransmission, but on a loaded machine a handler may answer after the network went idle,
     * so the clock keeps moving (bounded by wall-clock time, not by a step count) until the work
     * that answer started has had its timers too.
     */
    private void until(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            bed.advance(Duration.ofMillis(250));
        }
        ProxyBed.await(done, what);
    }

    @Test
    void everyCallAndByeCompletes() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        UserAgent uas = bed.agent("uas", UAS1, "mem");
        uas.server().onInvite(tx -> {
            tx.respond(180);
            tx.respond(200);
        }).onBye(tx -> tx.respond(200)).onAck((ack, flow) -> { });

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
    }
}
