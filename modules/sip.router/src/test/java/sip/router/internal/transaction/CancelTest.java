package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.invite;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Protocol;

/** RFC 3261 §9.2, the server side; the client side is in {@link InviteClientMachineTest}. */
class CancelTest {

    private static final String BRANCH = "z9hG4bK-inv1";

    @Test
    void cancelOfAnUnansweredInviteGets200AndTheInvite487() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        CompletableFuture<SipRequest> told = new CompletableFuture<>();
        tx.onCancel(told::complete);
        tx.respond(180);

        h.receive(inbound("CANCEL", BRANCH, "call-in", 1, null));
        assertTrue(tx.isCancelled());
        assertEquals(TransactionState.COMPLETED, tx.state());
        SipRequest cancel = told.get(5, TimeUnit.SECONDS);
        assertEquals("CANCEL", cancel.method().name());
        assertEquals(1, h.requests.size(), "CANCEL never reaches the user");

        SipResponse ok = h.conn.responses().stream().filter(r -> r.cseq().method().name().equals("CANCEL"))
                .findFirst().orElseThrow();
        assertEquals(200, ok.statusCode());
        SipResponse terminated = h.conn.responses().stream().filter(r -> r.statusCode() == 487)
                .findFirst().orElseThrow();
        assertEquals(terminated.toTag(), ok.toTag(), "§9.2: same To tag");
        assertEquals(h.conn.responses().getFirst().toTag(), terminated.toTag());

        // Late actions run at once; a CANCEL retransmission gets the 200 again.
        CompletableFuture<SipRequest> late = new CompletableFuture<>();
        tx.onCancel(late::complete);
        late.get(5, TimeUnit.SECONDS);
        h.receive(inbound("CANCEL", BRANCH, "call-in", 1, null));
        assertEquals(2, h.conn.responses().stream().filter(r -> r.cseq().method().name().equals("CANCEL")).count());

        h.receive(inbound("ACK", BRANCH, "call-in", 1, terminated.toTag()));
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    @Test
    void cancelAfterTheFinalResponseGets200AndChangesNothing() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(200);
        CompletableFuture<SipRequest> told = new CompletableFuture<>();
        tx.onCancel(told::complete);
        h.receive(inbound("CANCEL", BRANCH, "call-in", 1, null));
        assertFalse(tx.isCancelled());
        assertEquals(TransactionState.ACCEPTED, tx.state());
        assertTrue(h.conn.responses().stream().noneMatch(r -> r.statusCode() == 487));
        assertTrue(h.conn.responses().stream().anyMatch(r -> r.statusCode() == 200
                && r.cseq().method().name().equals("CANCEL")));
        assertFalse(told.isDone());
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    @Test
    void unmatchedCancelGets481Statelessly() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("CANCEL", "z9hG4bK-nothing", "call-in", 1, null));
        assertEquals(481, Harness.code(h.wire.stateless.getFirst()));
        assertEquals(1, h.counters.statelessResponses.sum());
        assertTrue(h.requests.isEmpty());
        assertEquals(0, h.live());
    }

    @Test
    void cancelMatchingAPendingNonInviteGets200AndChangesNothingElse() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("OPTIONS", "z9hG4bK-opt1", "call-opt", 1, null));
        ServerTransaction options = h.onlyRequest();
        h.receive(inbound("CANCEL", "z9hG4bK-opt1", "call-opt", 1, null));

        assertTrue(h.wire.stateless.isEmpty(), "no 481");
        SipResponse ok = h.conn.responses().getFirst();
        assertEquals(200, ok.statusCode());
        assertEquals("CANCEL", ok.cseq().method().name());
        assertEquals(1, h.conn.responses().size(), "the OPTIONS itself is not answered");
        assertFalse(options.isAnswered());
        assertEquals(TransactionState.TRYING, options.state());
        assertEquals(1, h.requests.size());

        options.respond(200);
        SipResponse optionsOk = h.conn.responses().getLast();
        assertEquals(ok.toTag(), optionsOk.toTag(), "§9.2: the To tag of the matched transaction");
        h.clock.advance(Duration.ofSeconds(40));
        assertEquals(0, h.live());
    }

    @Test
    void the487ToAStreamInviteIsNotSentOnTheCancelsTransportThread() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.receive(invite(BRANCH));
        ServerTransaction tx = h.onlyRequest();
        CompletableFuture<Thread> sender = new CompletableFuture<>();
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 487) {
                sender.complete(Thread.currentThread());
            }
        };
        h.receive(inbound("CANCEL", BRANCH, "call-in", 1, null));
        assertTrue(tx.isCancelled());
        Thread t = sender.get(5, TimeUnit.SECONDS);
        assertTrue(t.isVirtual(), "487 handed to a virtual thread, not " + t);
        assertEquals(200, h.conn.responses().getFirst().statusCode(), "the CANCEL's own 200 stays synchronous");
    }

    @Test
    void the487ToADatagramInviteIsSentAtOnceOnTheCallersThread() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(BRANCH));
        h.onlyRequest();
        Thread caller = Thread.currentThread();
        CompletableFuture<Thread> sender = new CompletableFuture<>();
        h.conn.duringSend = m -> {
            if (m instanceof SipResponse r && r.statusCode() == 487) {
                sender.complete(Thread.currentThread());
            }
        };
        h.receive(inbound("CANCEL", BRANCH, "call-in", 1, null));
        assertTrue(sender.isDone());
        assertEquals(caller, sender.get());
    }

    @Test
    void cancelMatchesRfc2543InviteWithoutBranch() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(null));
        ServerTransaction tx = h.onlyRequest();
        h.receive(inbound("CANCEL", null, "call-in", 1, null));
        assertTrue(tx.isCancelled());
        assertEquals(1, h.conn.responseTimes(487).size());
        assertTrue(h.wire.stateless.isEmpty());
    }
}
