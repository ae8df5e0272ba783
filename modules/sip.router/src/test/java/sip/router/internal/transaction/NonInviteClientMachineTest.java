package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static sip.router.internal.transaction.Harness.await;
import static sip.router.internal.transaction.Harness.reply;
import static sip.router.internal.transaction.Harness.seconds;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.router.ClientTransaction;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.transport.spi.Protocol;

class NonInviteClientMachineTest {

    @Test
    void timerEDoublesUpToT2AndTimerFEndsItWith408() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.OPTIONS);
        assertEquals(TransactionState.TRYING, tx.state());
        h.clock.advance(Duration.ofSeconds(40));

        assertEquals(seconds(0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5),
                h.conn.requestTimes("OPTIONS"));
        assertEquals(408, await(tx).statusCode());
        assertEquals(new TransactionFailure.Timeout("F"), tx.failure().orElseThrow());
        assertEquals(1, h.counters.timeouts.sum());
        assertEquals(0, h.live());
    }

    @Test
    void timerEFiresEveryT2InProceeding() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.REGISTER);
        h.clock.advance(Duration.ofMillis(200));
        h.receive(reply(tx.request(), 100, null));
        assertEquals(TransactionState.PROCEEDING, tx.state());
        h.clock.advance(Duration.ofMillis(12_800));

        // The E armed in TRYING fires at 0.5 s; from then on every T2.
        assertEquals(seconds(0, 0.5, 4.5, 8.5, 12.5), h.conn.requestTimes("REGISTER"));
        h.receive(reply(tx.request(), 200, "reg"));
        assertEquals(200, await(tx).statusCode());
        h.clock.advance(Duration.ofSeconds(20));
        assertEquals(5, h.conn.requestTimes("REGISTER").size(), "no retransmission once completed");
    }

    @Test
    void completedAbsorbsFinalRetransmissionsUntilTimerK() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction tx = h.send(Method.BYE);
        h.receive(reply(tx.request(), 200, "x"));
        assertEquals(TransactionState.COMPLETED, tx.state());
        h.receive(reply(tx.request(), 200, "x"));
        h.receive(reply(tx.request(), 500, "x"));
        assertEquals(200, await(tx).statusCode());
        h.clock.advance(Duration.ofMillis(4_999));
        assertEquals(TransactionState.COMPLETED, tx.state());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(TransactionState.TERMINATED, tx.state(), "Timer K = T4");
        assertEquals(0, h.live());
        assertEquals(1, h.conn.requestTimes("BYE").size());
    }

    @Test
    void reliableTransportHasNoTimerEAndZeroTimerK() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        ClientTransaction tx = h.send(Method.MESSAGE);
        h.clock.advance(Duration.ofSeconds(20));
        assertEquals(1, h.conn.requestTimes("MESSAGE").size());
        h.receive(reply(tx.request(), 202, "m"));
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(202, await(tx).statusCode());
        assertFalse(tx.failure().isPresent());
        assertEquals(0, h.live());
        assertEquals(0, h.clock.pending(), "no timer left behind");
    }

    @Test
    void reliableTransportStillTimesOutWithTimerF() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        ClientTransaction tx = h.send(Method.OPTIONS);
        h.clock.advance(Duration.ofMillis(31_999));
        assertFalse(tx.response().isDone());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(408, await(tx).statusCode());
        assertEquals(0, h.live());
    }
}
