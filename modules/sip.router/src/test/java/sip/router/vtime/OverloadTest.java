package sip.router.vtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.router.vtime.Testbed.BOB;
import static sip.router.vtime.Testbed.PEER;
import static sip.router.vtime.Testbed.assertCounters;
import static sip.router.vtime.Testbed.assertIdle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.RetryAfter;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.TransactionStats;
import sip.router.UserAgent;

/**
 * The cap on server transactions awaiting a final response: beyond it, a stateless 503 with
 * Retry-After.
 */
@Timeout(60)
class OverloadTest {

    private final Testbed bed = new Testbed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void requestsBeyondTheCapGet503WithRetryAfterUntilTheHandlersAnswer() throws Exception {
        UserAgent bob = bed.agent("mem", BOB, b -> b.maxServerTransactions(2).retryAfter(Duration.ofSeconds(7)));
        Testbed.Inbox inbox = new Testbed.Inbox();
        bob.server().onMessage(inbox::accept);
        ScriptedPeer peer = bed.peer("mem", PEER);

        List<SipRequest> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(peer.newRequest(Method.MESSAGE, BOB));
            peer.send(sent.getLast(), BOB);
        }
        bed.network.deliverAll();
        ServerTransaction first = inbox.take();
        ServerTransaction second = inbox.take();

        SipResponse rejected = peer.responses().getFirst();
        assertEquals(503, rejected.statusCode());
        assertEquals(sent.get(2).callId(), rejected.callId());
        assertEquals(Optional.of(7L), rejected.first(HeaderType.RETRY_AFTER).map(RetryAfter::seconds));
        TransactionStats stats = bob.stats();
        assertEquals(2, stats.serverTransactions());
        assertEquals(2, stats.serverCreated());
        assertEquals(1, stats.overloadRejected());
        assertEquals(1, stats.statelessResponses());

        // answered transactions stay live for Timer J, but only unanswered ones count
        first.respond(200);
        second.respond(200);
        SipRequest later = peer.newRequest(Method.MESSAGE, BOB);
        peer.send(later, BOB);
        bed.network.deliverAll();
        inbox.take().respond(200);
        bed.network.deliverAll();
        assertEquals(3, bob.stats().serverTransactions());
        assertEquals(200, peer.responses().getLast().statusCode());
        assertEquals(later.callId(), peer.responses().getLast().callId());
        assertEquals(0, inbox.size(), "the rejected request never reached the handler");

        bed.advanceTo(Duration.ofSeconds(32));
        assertIdle(bob);
        assertEquals(1, bob.stats().overloadRejected());
        assertEquals(3, bob.stats().serverCreated());
        assertCounters(bob, 0, 0, 0);
    }
}
