package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.invite;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Protocol;

/**
 * §17.2.3 for requests without an RFC 3261 branch: no branch at all (RFC 4475 inv2543) or a bare
 * magic cookie (badbranch).
 */
class Rfc2543MatchingTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"z9hG4bK", "1234"})
    void retransmissionAndAckOfNon2xxMatchTheInvite(String branch) throws Exception {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite(branch));
        ServerTransaction tx = h.onlyRequest();
        tx.respond(486);
        String tag = h.conn.responses().getFirst().toTag();

        h.receive(invite(branch));
        assertEquals(1, h.requests.size());
        assertEquals(2, h.conn.responseTimes(486).size());

        // An ACK with another To tag is not for this transaction: it goes to the user.
        h.receive(inbound("ACK", branch, "call-in", 1, "someone-else"));
        assertEquals(TransactionState.COMPLETED, tx.state());
        assertEquals(1, h.acks.size());

        h.receive(inbound("ACK", branch, "call-in", 1, tag));
        assertEquals(TransactionState.CONFIRMED, tx.state());
        assertEquals(1, h.acks.size());
        h.clock.advance(Duration.ofSeconds(5));
        assertEquals(0, h.live());
    }

    @Test
    void differentCSeqOrCallIdIsAnotherTransaction() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(inbound("INVITE", null, "call-in", 1, null));
        h.receive(inbound("INVITE", null, "call-in", 2, null));
        h.receive(inbound("INVITE", null, "call-2", 1, null));
        h.receive(inbound("INVITE", null, "call-in", 1, "tagged"));
        assertEquals(4, h.requests.size());
        assertTrue(h.counters.retransmissionsAbsorbed.sum() == 0);
    }

    @Test
    void bareCookieAndFullBranchDoNotMix() {
        Harness h = new Harness(Protocol.UDP);
        h.receive(invite("z9hG4bK"));
        h.receive(invite("z9hG4bKreal"));
        assertEquals(2, h.requests.size());
    }
}
