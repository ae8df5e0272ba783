package sip.router.vtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.vtime.Testbed.ALICE;
import static sip.router.vtime.Testbed.BOB;
import static sip.router.vtime.Testbed.TIMEOUT;
import static sip.router.vtime.Testbed.assertIdle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.message.SipRequest;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.RequestHandler;
import sip.router.TransactionState;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.transport.loopback.NetworkStats;

/**
 * 200 transactions, INVITE and non-INVITE, between two user agents over {@code mem} with 30 %
 * loss, 30 % duplication and 30 % reordering: every one ends with the response its handler chose,
 * and both agents drain to no live transaction.
 *
 * <p>Reproducible: the network draws fates in send order, so sends must happen in one order every
 * run. Messages are delivered one at a time, and after each delivery the test waits until every
 * request that reached Bob's handler (on a virtual thread) has been answered before it goes on.
 *
 * <p>A non-2xx to an INVITE is repaired by Timer G and the transaction's ACK; a 2xx by the UAS
 * resending it until its ACK arrives (RFC 3261 §13.3.1.4), and the test plays the caller's core:
 * it acknowledges each 2xx once, as soon as the client transaction is Accepted.
 */
@Timeout(120)
class LossySoakTest {

    private static final int TRANSACTIONS = 200;
    private static final Method[] METHODS = {Method.INVITE, Method.MESSAGE, Method.OPTIONS, Method.REGISTER};
    private static final int[] INVITE_CODES = {200, 486, 603};
    private static final int[] OTHER_CODES = {200, 202, 404};
    private static final String EXPECT = "X-Expect";
    /** Another seed replays another run: {@code -Dparley.soak.seed=N}. */
    private static final long SEED = Long.getLong("parley.soak.seed", 20261127L);

    @Test
    void everyTransactionCompletesWithItsResponseAndTheCountsDrainToZero() throws Exception {
        try (Testbed bed = new Testbed(b -> b.seed(SEED).loss(0.3).duplication(0.3).reorder(0.3))) {
            UserAgent alice = bed.agent("mem", ALICE);
            UserAgent bob = bed.agent("mem", BOB);
            AtomicLong answered = new AtomicLong();
            RequestHandler answer = tx -> {
                tx.respond(Integer.parseInt(tx.request().header(EXPECT).orElseThrow()));
                answered.incrementAndGet();
            };
            for (Method m : METHODS) {
                bob.server().onRequest(m, answer);
            }
            List<ClientTransaction> transactions = new ArrayList<>();
            Set<ClientTransaction> acknowledged = new HashSet<>();
            Runnable deliverInOrder = () -> {
                while (bed.network.deliverNext()) {
                    Testbed.await(() -> answered.get() == bob.stats().serverCreated(),
                            "every request that reached Bob's handler is answered");
                    for (ClientTransaction tx : transactions) {
                        if (tx.state() == TransactionState.ACCEPTED && acknowledged.add(tx)) {
                            acknowledge(alice, tx);
                        }
                    }
                }
            };

            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < TRANSACTIONS; i++) {
                Method method = METHODS[i % METHODS.length];
                int code = method.equals(Method.INVITE) ? INVITE_CODES[i % 3] : OTHER_CODES[i % 3];
                SipRequest request = Testbed.request(alice, method, "mem", ALICE, BOB).toBuilder()
                        .setHeader(EXPECT, Integer.toString(code))
                        .build();
                ClientTransaction tx = alice.client().request(request, Destination.of("mem", BOB));
                Testbed.await(() -> tx.flow().isPresent() && bed.clock.pendingDelays().contains(TIMEOUT),
                        "transaction " + i + " is sent with its timers armed");
                transactions.add(tx);
                expected.add(code);
                bed.advance(Duration.ofMillis(50), deliverInOrder);
            }
            // the last one started at 10 s: 32 s to its final response at worst, then 32 s of D or J
            bed.advance(Duration.ofSeconds(80), deliverInOrder);

            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < TRANSACTIONS; i++) {
                ClientTransaction tx = transactions.get(i);
                int got = tx.response().get(5, SECONDS).statusCode();
                if (got != expected.get(i)) {
                    wrong.add("#" + i + " " + tx.request().method() + ": " + got + " " + tx.failure());
                }
            }
            assertEquals(List.of(), wrong, "transactions that did not get their handler's response");
            assertIdle(alice);
            assertIdle(bob);

            TransactionStats a = alice.stats();
            TransactionStats b = bob.stats();
            NetworkStats n = bed.network.stats();
            assertEquals(TRANSACTIONS, a.clientCreated());
            assertEquals(0, a.timeouts());
            assertTrue(a.retransmissionsSent() > 0, () -> "Timers A and E repaired losses: " + a);
            assertTrue(b.retransmissionsSent() > 0, () -> "Timer G repaired losses: " + b);
            assertTrue(b.retransmissionsAbsorbed() > 0, () -> "duplicates and retransmissions were absorbed: " + b);
            assertTrue(b.serverCreated() >= TRANSACTIONS, () -> "every request reached Bob: " + b);
            assertTrue(n.dropped() > 0 && n.duplicated() > 0 && n.reordered() > 0, () -> "the network misbehaved: " + n);
            long invite2xx = transactions.stream().filter(tx -> tx.request().method().equals(Method.INVITE)
                    && Integer.parseInt(tx.request().header(EXPECT).orElseThrow()) == 200).count();
            assertEquals(invite2xx, acknowledged.size(), "each 2xx to an INVITE was acknowledged, once");
        }
    }

    private static void acknowledge(UserAgent alice, ClientTransaction tx) {
        try {
            alice.client().ack(tx.request(), tx.response().get(5, SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot acknowledge the 2xx of " + tx.request().callId(), e);
        }
    }
}
