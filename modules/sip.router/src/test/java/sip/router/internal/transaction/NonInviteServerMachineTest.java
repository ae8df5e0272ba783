package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.seconds;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.RetryAfter;
import sip.message.HeaderType;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Protocol;

class NonInviteServerMachineTest {

    private static final String BRANCH = "z9hG4bK-opt1";

    @Test
    void retransmissionsAbsorbedInTryingThenAnsweredWithTheLastResponse() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("OPTIONS", BRANCH, "c1", 1, null));
        ServerTransaction tx = h.onlyRequest();
        assertEquals(TransactionState.TRYING, tx.state());
        h.receive(inbound("OPTIONS", BRANCH, "c1", 1, null));
        assertTrue(h.conn.responses().isEmpty());

        tx.respond(100);
        assertEquals(TransactionState.PROCEEDING, tx.state());
        h.receive(inbound("OPTIONS", BRANCH, "c1", 1, null));
        assertEquals(2, h.conn.responseTimes(100).size());

        tx.respond(200);
        assertEquals(TransactionState.COMPLETED, tx.state());
        h.clock.advance(Duration.ofSeconds(1));
        h.receive(inbound("OPTIONS", BRANCH, "c1", 1, null));
        assertEquals(seconds(0, 1), h.conn.responseTimes(200));
        assertEquals(3, h.counters.retransmissionsAbsorbed.sum());
        assertEquals(1, h.requests.size());

        h.clock.advance(Duration.ofMillis(30_999));
        assertEquals(TransactionState.COMPLETED, tx.state());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(TransactionState.TERMINATED, tx.state(), "Timer J = 64*T1");
        assertEquals(0, h.live());
    }

    @Test
    void timerJIsZeroOnReliableTransports() throws Exception {
        Harness h = new Harness(Protocol.TCP);
        h.receive(inbound("BYE", BRANCH, "c1", 2, "t"));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(200);
        assertEquals(TransactionState.TERMINATED, tx.state());
        assertEquals(0, h.live());
    }

    @Test
    void sameBranchDifferentMethodOrSentByIsANewTransaction() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("OPTIONS", BRANCH, "c1", 1, null));
        h.receive(inbound("INFO", BRANCH, "c1", 1, null));
        h.receive(Harness.parse("""
                OPTIONS sip:bob@127.0.0.1 SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.10:5070;branch=z9hG4bK-opt1
                From: <sip:alice@10.0.0.9>;tag=a1
                To: <sip:bob@127.0.0.1>
                Call-ID: c1
                CSeq: 1 OPTIONS
                Content-Length: 0

                """));
        assertEquals(3, h.requests.size());
        assertEquals(3, h.layer.stats().serverTransactions());
    }

    @Test
    void sentByHostCaseAndTheDefaultPortDoNotMakeANewTransaction() {
        Harness h = new Harness(Protocol.UDP);
        String first = """
                OPTIONS sip:bob@127.0.0.1 SIP/2.0
                Via: SIP/2.0/UDP Client.Example.COM;branch=z9hG4bK-case1
                From: <sip:alice@10.0.0.9>;tag=a1
                To: <sip:bob@127.0.0.1>
                Call-ID: c1
                CSeq: 1 OPTIONS
                Content-Length: 0

                """;
        h.receive(Harness.parse(first));
        h.receive(Harness.parse(first.replace("Client.Example.COM", "client.example.com:5060")));
        assertEquals(1, h.requests.size(), "same sent-by: a retransmission");
        assertEquals(1, h.counters.retransmissionsAbsorbed.sum());

        h.receive(Harness.parse(first.replace("Client.Example.COM", "client.example.com:5061")));
        assertEquals(2, h.requests.size(), "5061 is not the UDP default");
        h.receive(Harness.parse(first.replace("UDP Client.Example.COM", "TLS client.example.com")
                .replace("case1", "case2")));
        h.receive(Harness.parse(first.replace("UDP Client.Example.COM", "TLS CLIENT.example.com:5061")
                .replace("case1", "case2")));
        assertEquals(3, h.requests.size(), "TLS defaults to 5061");
    }

    @Test
    void unansweredRequestGets500AfterTheHandlerTimeout() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("MESSAGE", BRANCH, "c1", 1, null));
        h.clock.advance(Duration.ofMillis(31_999));
        assertTrue(h.conn.responses().isEmpty());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(Duration.ofSeconds(32)), h.conn.responseTimes(500));
        h.clock.advance(Duration.ofSeconds(32));
        assertEquals(0, h.live());
    }

    @Test
    void overloadAnswers503WithRetryAfterStatelessly() throws Exception {
        Harness h = new Harness(Protocol.UDP, 1);
        h.receive(inbound("OPTIONS", BRANCH, "c1", 1, null));
        h.receive(inbound("OPTIONS", "z9hG4bK-opt2", "c2", 1, null));
        h.receive(Harness.invite("z9hG4bK-inv"));
        assertEquals(1, h.requests.size());
        assertEquals(2, h.wire.stateless.size());
        SipResponse busy = (SipResponse) h.wire.stateless.getFirst();
        assertEquals(503, busy.statusCode());
        assertEquals(List.of(RetryAfter.of(5)), busy.all(HeaderType.RETRY_AFTER), "whole seconds");
        assertEquals(2, h.counters.overloadRejected.sum());
        assertEquals(2, h.counters.statelessResponses.sum());

        // An ACK is never refused: it goes to the user.
        h.receive(inbound("ACK", "z9hG4bK-ack", "c9", 1, "x"));
        assertEquals(1, h.acks.size());

        // Answered transactions linger (Timer J) but wait for no handler: they do not count.
        h.onlyRequest().respond(200);
        assertEquals(0, h.layer.unansweredServerTransactions());
        h.receive(inbound("OPTIONS", "z9hG4bK-opt3", "c3", 1, null));
        assertEquals(2, h.requests.size(), "room again once the first was answered");
        assertEquals(2, h.layer.stats().serverTransactions());
        assertEquals(0, h.counters.retransmissionsAbsorbed.sum());
        h.clock.advance(Duration.ofSeconds(32));
        assertEquals(0, h.layer.unansweredServerTransactions(), "the handler timeout answered the second");
        h.clock.advance(Duration.ofSeconds(32));
        assertEquals(0, h.live());
    }

    @Test
    void concurrentCopiesOfOneRequestMakeOneTransaction() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        sip.message.SipRequest copy = inbound("OPTIONS", BRANCH, "c1", 1, null);
        int threads = 8;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    go.await();
                    h.receive(copy);
                    return null;
                });
            }
            go.countDown();
        }
        assertEquals(1, h.requests.size());
        assertEquals(threads - 1, h.counters.retransmissionsAbsorbed.sum());
        assertEquals(1, h.counters.serverCreated.sum());
    }
}
