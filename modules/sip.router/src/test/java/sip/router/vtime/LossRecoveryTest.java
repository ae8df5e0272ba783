package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static sip.router.TransactionState.ACCEPTED;
import static sip.router.TransactionState.COMPLETED;
import static sip.router.TransactionState.CONFIRMED;
import static sip.router.TransactionState.TERMINATED;
import static sip.router.vtime.ClientInviteTransactionTest.codes;
import static sip.router.vtime.Testbed.ALICE;
import static sip.router.vtime.Testbed.BOB;
import static sip.router.vtime.Testbed.T1;
import static sip.router.vtime.Testbed.TIMEOUT;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;
import static sip.router.vtime.Testbed.ms;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.transport.loopback.Fate;
import sip.transport.loopback.Rule;

/**
 * Two user agents, Alice calling Bob over {@code mem}, with single messages lost or duplicated by
 * rules: each loss is repaired by exactly the timer the RFC assigns to it.
 */
@Timeout(60)
class LossRecoveryTest {

    private final Testbed bed = new Testbed();
    private final Testbed.Inbox inbox = new Testbed.Inbox();
    private final List<SipRequest> acks = new CopyOnWriteArrayList<>();
    private UserAgent alice;
    private UserAgent bob;

    @BeforeEach
    void agents() throws Exception {
        alice = bed.agent("mem", ALICE);
        bob = bed.agent("mem", BOB);
        bob.server().onInvite(inbox::accept).onAck((ack, flow) -> acks.add(ack));
    }

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private ClientTransaction call() {
        return bed.start(alice, Testbed.invite(alice, "mem", ALICE, BOB), "mem", BOB, T1, TIMEOUT);
    }

    @Test
    void lostInviteIsRepairedByTimerA() throws Exception {
        bed.network.rule(Rule.first(1, Fate.DROP, p -> p.startLine().startsWith("INVITE ")));
        ClientTransaction tx = call();
        assertEquals(0, inbox.size());

        bed.advanceTo(T1);
        ServerTransaction stx = inbox.take();
        stx.respond(486);
        bed.network.deliverAll();

        assertEquals(486, tx.response().get(5, SECONDS).statusCode());
        assertEquals(CONFIRMED, stx.state());
        assertEquals(ms(0, 500), bed.wire.times(Wire.request(Method.INVITE, ALICE)));
        bed.advanceTo(ms(32_500));
        assertEquals(TERMINATED, tx.state());
        assertIdle(alice);
        assertIdle(bob);
        assertCounters(alice, 1, 0, 0);
        assertCounters(bob, 0, 0, 0);
    }

    @Test
    void lostAckIsRepairedByTimerGAndTheAckItTriggers() throws Exception {
        bed.network.rule(Rule.first(1, Fate.DROP, p -> p.startLine().startsWith("ACK ")));
        ClientTransaction tx = call();
        List<SipResponse> passedUp = new CopyOnWriteArrayList<>();
        tx.onResponse(passedUp::add);
        ServerTransaction stx = inbox.take();
        stx.respond(486);
        bed.network.deliverAll();
        assertEquals(COMPLETED, tx.state());
        assertEquals(COMPLETED, stx.state());

        bed.advanceTo(T1);
        assertEquals(CONFIRMED, stx.state());
        assertEquals(ms(0, 500), bed.wire.times(Wire.response(486, Method.INVITE, BOB)));
        assertEquals(ms(0, 500), bed.wire.times(Wire.request(Method.ACK, ALICE)));

        bed.advanceTo(Duration.ofSeconds(33));
        // listeners run on a virtual thread: wait for the first call, then check nothing followed
        Testbed.await(() -> !passedUp.isEmpty(), "the 486 reaches the listener");
        assertEquals(List.of(486), codes(passedUp), "the repeated 486 is not passed up again");
        assertEquals(List.of(), acks);
        assertIdle(alice);
        assertIdle(bob);
        assertCounters(alice, 0, 0, 0);
        assertCounters(bob, 1, 0, 0);
    }

    @Test
    void duplicatedInviteReachesTheHandlerOnce() throws Exception {
        bed.network.rule(Rule.first(1, Fate.DUPLICATE, p -> p.startLine().startsWith("INVITE ")));
        ClientTransaction tx = call();
        ServerTransaction stx = inbox.take();
        stx.respond(404);
        bed.network.deliverAll();

        assertEquals(404, tx.response().get(5, SECONDS).statusCode());
        assertEquals(1, bed.wire.count(Wire.response(404, Method.INVITE, BOB)),
                "the copy arrived in Proceeding, before any response it could repeat");
        bed.advanceTo(Duration.ofSeconds(33));
        assertEquals(0, inbox.size());
        assertIdle(alice);
        assertIdle(bob);
        assertCounters(alice, 0, 0, 0);
        assertCounters(bob, 0, 1, 0);
    }

    @Test
    void duplicated2xxReachesTheCallerTwiceAndItsAckReachesTheAckHandler() throws Exception {
        bed.network.rule(Rule.first(1, Fate.DUPLICATE, p -> p.startLine().startsWith("SIP/2.0 200 ")));
        ClientTransaction tx = call();
        List<SipResponse> passedUp = new CopyOnWriteArrayList<>();
        tx.onResponse(passedUp::add);
        ServerTransaction stx = inbox.take();
        stx.respond(stx.responseBuilder(200)
                .contact(Contact.of(SipUri.parse("sip:bob@10.0.0.2:5060;transport=mem")))
                .build());
        bed.network.deliverAll();

        SipResponse ok = tx.response().get(5, SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(ACCEPTED, tx.state());
        assertEquals(ACCEPTED, stx.state());
        Testbed.await(() -> passedUp.size() >= 2, "both copies of the 2xx reach the listener");
        assertEquals(List.of(200, 200), codes(passedUp));

        alice.client().ack(tx.request(), ok);
        bed.network.deliverAll();
        Testbed.await(() -> !acks.isEmpty(), "the ACK reaches Bob's AckHandler");
        SipRequest sent = bed.wire.all(Wire.request(Method.ACK, ALICE)).getFirst().request();
        assertEquals(sent.topVia().branch(), acks.getFirst().topVia().branch());
        assertNotEquals(tx.request().topVia().branch(), sent.topVia().branch());
        assertEquals(ACCEPTED, stx.state());

        // L (server) and M (client) are 64×T1 from the 2xx
        bed.advanceTo(ms(31_999));
        assertEquals(ACCEPTED, tx.state());
        assertEquals(ACCEPTED, stx.state());
        bed.advanceTo(TIMEOUT);
        assertEquals(TERMINATED, tx.state());
        assertEquals(TERMINATED, stx.state());
        Testbed.await(() -> !acks.isEmpty(), "the ACK reaches the AckHandler (on its virtual thread)");
        assertEquals(1, acks.size());
        assertEquals(0, alice.stats().strayResponses());
        assertIdle(alice);
        assertIdle(bob);
        assertCounters(alice, 0, 0, 0);
        assertCounters(bob, 0, 0, 0);
    }
}
