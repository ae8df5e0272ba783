package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static sip.router.TransactionState.COMPLETED;
import static sip.router.TransactionState.PROCEEDING;
import static sip.router.TransactionState.TERMINATED;
import static sip.router.TransactionState.TRYING;
import static sip.router.vtime.ClientInviteTransactionTest.codes;
import static sip.router.vtime.Testbed.ALICE;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.T1;
import static sip.router.vtime.Testbed.TIMEOUT;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;
import static sip.router.vtime.Testbed.ms;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.TransactionFailure;
import sip.router.UserAgent;

/** The client non-INVITE machine (RFC 3261 §17.1.2) against a scripted peer. */
@Timeout(60)
class ClientNonInviteTransactionTest {

    private final Testbed bed = new Testbed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private ClientTransaction message(UserAgent alice, String protocol, Duration... armed) {
        return bed.start(alice, Testbed.request(alice, Method.MESSAGE, protocol, ALICE, PEER), protocol, PEER, armed);
    }

    @Test
    void unansweredRequestIsRetransmittedOnTimerECappedAtT2AndEndsOnTimerF() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = message(alice, "mem", T1, TIMEOUT);
        assertEquals(TRYING, tx.state());

        bed.advanceTo(ms(31_999));
        assertEquals(TRYING, tx.state());
        assertFalse(tx.response().isDone());
        bed.advanceTo(TIMEOUT);

        assertEquals(408, tx.response().get(5, SECONDS).statusCode());
        assertEquals(Optional.of(new TransactionFailure.Timeout("F")), tx.failure());
        assertEquals(TERMINATED, tx.state());
        // E: T1, doubling, capped at T2 = 4 s
        assertEquals(ms(0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500),
                bed.wire.times(Wire.request(Method.MESSAGE, ALICE)));
        assertEquals(11, peer.requests(Method.MESSAGE).size());
        assertIdle(alice);
        assertCounters(alice, 10, 0, 1);
    }

    @Test
    void provisionalMovesToProceedingWhereTimerEFiresEveryT2UntilTimerF() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = message(alice, "mem", T1, TIMEOUT);

        peer.answer(peer.lastRequest(Method.MESSAGE), 100);
        bed.network.deliverAll();
        assertEquals(PROCEEDING, tx.state());
        assertEquals(List.of(100), codes(tx.provisionalResponses()));

        bed.advanceTo(TIMEOUT);
        assertEquals(408, tx.response().get(5, SECONDS).statusCode());
        assertEquals(Optional.of(new TransactionFailure.Timeout("F")), tx.failure());
        // E set at T1 still fires at 0.5 s; firing in Proceeding it is reset to T2 (§17.1.2.2)
        assertEquals(ms(0, 500, 4500, 8500, 12500, 16500, 20500, 24500, 28500),
                bed.wire.times(Wire.request(Method.MESSAGE, ALICE)));
        assertIdle(alice);
        assertCounters(alice, 8, 0, 1);
    }

    @Test
    void finalResponseCompletesAndTimerKAbsorbsItsRetransmissions() throws Exception {
        UserAgent alice = bed.agent("mem", ALICE);
        ScriptedPeer peer = bed.peer("mem", PEER);
        ClientTransaction tx = message(alice, "mem", T1, TIMEOUT);
        List<SipResponse> passedUp = new CopyOnWriteArrayList<>();
        tx.onResponse(passedUp::add);
        SipRequest request = peer.lastRequest(Method.MESSAGE);

        SipResponse ok = peer.answer(request, 200);
        bed.network.deliverAll();
        assertEquals(200, tx.response().get(5, SECONDS).statusCode());
        assertEquals(COMPLETED, tx.state());

        bed.advanceTo(Duration.ofSeconds(1));
        peer.send(ok, peer.connectionOf(request));
        bed.network.deliverAll();
        assertEquals(COMPLETED, tx.state());

        // K = T4 on an unreliable transport
        bed.advanceTo(ms(4_999));
        assertEquals(COMPLETED, tx.state());
        bed.advanceTo(Duration.ofSeconds(5));
        assertEquals(TERMINATED, tx.state());

        Testbed.await(() -> !passedUp.isEmpty(), "the 200 reaches the listener");
        assertEquals(List.of(200), codes(passedUp), "the retransmitted 200 is absorbed in Completed");
        assertEquals(0, alice.stats().strayResponses());
        assertEquals(1, bed.wire.count(Wire.request(Method.MESSAGE, ALICE)), "E stops at the final response");
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void reliableTransportSendsOnceAndLeavesCompletedAtOnceWithTimerKZero() throws Exception {
        UserAgent alice = bed.agent("mem-stream", ALICE);
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ClientTransaction answered = message(alice, "mem-stream", TIMEOUT);
        peer.answer(peer.lastRequest(Method.MESSAGE), 202);
        bed.network.deliverAll();
        assertEquals(202, answered.response().get(5, SECONDS).statusCode());
        bed.clock.runDue();
        assertEquals(TERMINATED, answered.state());

        ClientTransaction unanswered = message(alice, "mem-stream", TIMEOUT);
        bed.advanceTo(TIMEOUT);
        assertEquals(408, unanswered.response().get(5, SECONDS).statusCode());
        assertEquals(Optional.of(new TransactionFailure.Timeout("F")), unanswered.failure());
        assertEquals(List.of(Duration.ZERO, Duration.ZERO), peer.arrivalTimes(Method.MESSAGE),
                "Timer E is not set on a reliable transport");
        assertIdle(alice);
        assertCounters(alice, 0, 0, 1);
    }
}
