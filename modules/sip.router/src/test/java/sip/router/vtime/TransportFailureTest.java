package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static sip.router.TransactionState.PROCEEDING;
import static sip.router.TransactionState.TERMINATED;
import static sip.router.vtime.Testbed.ALICE;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.TIMEOUT;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.TransactionFailure;
import sip.router.UserAgent;

/** A client transaction ends with a local 503 when its transport fails (RFC 3261 §8.1.3.1, §17.1.4). */
@Timeout(60)
class TransportFailureTest {

    private final Testbed bed = new Testbed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void peerNobodyListensForOnAReliableTransportGets503() throws Exception {
        UserAgent alice = bed.agent("mem-stream", ALICE);
        InetSocketAddress nobody = new InetSocketAddress("10.0.0.77", 5060);
        ClientTransaction tx = alice.client().request(
                Testbed.request(alice, Method.MESSAGE, "mem-stream", ALICE, nobody), Destination.of("mem-stream", nobody));

        assertEquals(503, tx.response().get(5, SECONDS).statusCode());
        assertInstanceOf(TransactionFailure.TransportError.class, tx.failure().orElseThrow());
        assertEquals(TERMINATED, tx.state());
        assertIdle(alice);
        assertEquals(1, alice.stats().transportErrors());
        assertCounters(alice, 0, 0, 0);
    }

    @Test
    void connectionClosedBeforeTheFinalResponseEndsTheInviteWith503() throws Exception {
        UserAgent alice = bed.agent("mem-stream", ALICE);
        ScriptedPeer peer = bed.peer("mem-stream", PEER);
        ClientTransaction tx = bed.start(alice, Testbed.invite(alice, "mem-stream", ALICE, PEER), "mem-stream",
                PEER, TIMEOUT);
        peer.answer(peer.lastRequest(Method.INVITE), 180);
        bed.network.deliverAll();
        assertEquals(PROCEEDING, tx.state());

        peer.connectionOf(peer.lastRequest(Method.INVITE)).close();
        bed.until(() -> tx.response().isDone(), "the INVITE ends when its connection closes");

        assertEquals(503, tx.response().get(5, SECONDS).statusCode());
        assertInstanceOf(TransactionFailure.TransportError.class, tx.failure().orElseThrow());
        assertEquals(TERMINATED, tx.state());
        assertIdle(alice);
        assertCounters(alice, 0, 0, 0);
    }
}
