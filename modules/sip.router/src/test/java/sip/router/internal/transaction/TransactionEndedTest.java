package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.invite;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import sip.router.ServerTransaction;
import sip.router.TransactionEndedException;
import sip.router.TransactionEndedException.Reason;
import sip.transport.spi.Protocol;

/** What a handler's late {@code respond} is told, for each way the layer can end its request. */
class TransactionEndedTest {

    private static Reason lateAnswer(ServerTransaction tx) {
        return assertThrows(TransactionEndedException.class, () -> tx.respond(200)).reason();
    }

    @Test
    void secondFinalResponseIsAnswered() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite("z9hG4bK-e1"));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(486);
        assertEquals(Reason.ANSWERED, lateAnswer(tx));
    }

    @Test
    void answerAfterACancelIsCancelled() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite("z9hG4bK-e2"));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(180);
        h.receive(inbound("CANCEL", "z9hG4bK-e2", "call-in", 1, null));
        assertEquals(Reason.CANCELLED, lateAnswer(tx));
    }

    @Test
    void answerAfterTheHandlerTimeoutIsTimedOut() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("OPTIONS", "z9hG4bK-e3", "call-e3", 1, null));
        ServerTransaction tx = h.onlyRequest();
        h.clock.advance(Duration.ofSeconds(33));
        assertEquals(500, h.conn.responses().getLast().statusCode());
        assertEquals(Reason.TIMED_OUT, lateAnswer(tx));
    }

    @Test
    void answerAfterCloseIsClosed() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite("z9hG4bK-e4"));
        ServerTransaction tx = h.onlyRequest();
        h.layer.close(Duration.ZERO);
        assertEquals(503, h.conn.responses().getLast().statusCode());
        assertEquals(Reason.CLOSED, lateAnswer(tx));
    }

    @Test
    void answerAfterAProvisionalCouldNotBeSentIsTransportError() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.receive(invite("z9hG4bK-e5"));
        ServerTransaction tx = h.onlyRequest();
        h.conn.failing = true;
        assertThrows(java.io.IOException.class, () -> tx.respond(180));
        assertEquals(Reason.TRANSPORT_ERROR, lateAnswer(tx));
    }
}
