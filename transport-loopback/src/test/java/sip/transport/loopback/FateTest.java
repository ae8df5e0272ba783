package sip.transport.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.Transport;

/** Loss, duplication, reordering and rules on {@code mem}; single-stepped, so fully deterministic. */
class FateTest {

    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5060);

    /** What B receives, in order, when A sends requests 1..count through {@code network}. */
    private static List<Long> delivered(LoopbackNetwork network, int count) throws Exception {
        try (TestNetwork net = new TestNetwork(network)) {
            Inbox bob = new Inbox();
            Transport a = net.open("mem", new Inbox());
            a.listen(A);
            net.open("mem", bob).listen(B);
            Connection out = a.connect(B);
            for (int i = 1; i <= count; i++) {
                out.send(Sip.options(i));
                network.deliverAll();
            }
            network.releaseHeld();
            network.deliverAll();
            NetworkStats s = network.stats();
            assertEquals(s.sent() + s.duplicated(), s.delivered() + s.dropped() + s.inFlight() + s.held(),
                    s::toString);
            return bob.drainSequences();
        }
    }

    private static LoopbackNetwork lossy(long seed) {
        return LoopbackNetwork.newBuilder().seed(seed).loss(0.2).duplication(0.2).reorder(0.2)
                .manualDelivery().build();
    }

    @Test
    void sameSeedAndSendsGiveTheSameDeliveries() throws Exception {
        List<Long> first = delivered(lossy(7), 60);
        List<Long> second = delivered(lossy(7), 60);
        assertEquals(first, second);
        assertNotEquals(LongStream.rangeClosed(1, 60).boxed().toList(), first, "the knobs did something");
        assertNotEquals(first, delivered(lossy(8), 60), "another seed, other fates");
    }

    @Test
    void lossyNetworkCountsEveryFate() throws Exception {
        LoopbackNetwork network = lossy(7);
        List<Long> got = delivered(network, 200);
        NetworkStats s = network.stats(); // closed: totals kept
        assertEquals(200, s.sent());
        assertTrue(s.dropped() > 10 && s.duplicated() > 10 && s.reordered() > 10, s::toString);
        assertEquals(s.delivered(), got.size());
        assertEquals(200 + s.duplicated() - s.dropped(), s.delivered());
    }

    @Test
    void duplicationOfOneDeliversEverythingTwiceBackToBack() throws Exception {
        LoopbackNetwork network = LoopbackNetwork.newBuilder().duplication(1.0).manualDelivery().build();
        assertEquals(List.of(1L, 1L, 2L, 2L, 3L, 3L), delivered(network, 3));
        assertEquals(3, network.stats().duplicated());
        assertEquals(6, network.stats().delivered());
    }

    @Test
    void aReorderedMessageArrivesRightAfterTheNextOne() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().reorder(1.0).manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox bob = new Inbox();
            Transport a = net.open("mem", new Inbox());
            a.listen(A);
            net.open("mem", bob).listen(B);
            Connection out = a.connect(B);

            out.send(Sip.options(1));
            assertEquals(0, network.pending(), "held back");
            assertEquals(1, network.stats().held());
            out.send(Sip.options(2)); // one is held already: 2 goes, 1 right behind it
            out.send(Sip.options(3)); // held again
            assertEquals(2, network.deliverAll());
            assertEquals(List.of(2L, 1L), bob.drainSequences());
            assertEquals(1, network.releaseHeld());
            network.deliverAll();
            assertEquals(List.of(3L), bob.drainSequences());
            assertEquals(new NetworkStats(3, 3, 0, 0, 2, 0, 0), network.stats());
        }
    }

    @Test
    void reorderingIsPerPath() throws Exception {
        InetSocketAddress c = new InetSocketAddress("10.0.0.3", 5060);
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox bob = new Inbox();
            Inbox carol = new Inbox();
            Transport a = net.open("mem", new Inbox());
            a.listen(A);
            net.open("mem", bob).listen(B);
            net.open("mem", carol).listen(c);
            network.rule(Rule.first(1, Fate.REORDER, p -> p.to().equals(B)));
            a.connect(B).send(Sip.options(1));
            a.connect(c).send(Sip.options(2)); // another path: does not release 1
            network.deliverAll();
            assertEquals(List.of(2L), carol.drainSequences());
            assertEquals(List.of(), bob.drainSequences());
            a.connect(B).send(Sip.options(3));
            network.deliverAll();
            assertEquals(List.of(3L, 1L), bob.drainSequences());
        }
    }

    @Test
    void aRuleDropsExactlyTheChosenResponse() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox alice = new Inbox();
            Inbox bob = new Inbox((connection, m) -> connection.send(SipResponse.forRequest((SipRequest) m, 200)));
            Transport a = net.open("mem", alice);
            a.listen(A);
            net.open("mem", bob).listen(B);
            // "drop the first 2xx from B to A"
            network.rule(Rule.first(1, Fate.DROP, p -> p.from().equals(B) && p.to().equals(A)
                    && p.message().filter(m -> m instanceof SipResponse r && r.statusCode() / 100 == 2).isPresent()));

            Connection out = a.connect(B);
            SipRequest request = Sip.options(1);
            out.send(request);
            network.deliverAll();
            assertEquals(1, bob.drain().size(), "the request arrived");
            assertEquals(List.of(), alice.drain(), "its 200 was lost");

            out.send(request); // the retransmission
            network.deliverAll();
            assertEquals(1, bob.drain().size());
            assertEquals(List.of(1L), alice.drainSequences(), "the second 200 got through");
            assertEquals(1, network.stats().dropped());
            assertEquals(4, network.stats().sent());
        }
    }

    @Test
    void aPathRuleCutsOneDirectionUntilRemoved() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            Inbox alice = new Inbox();
            Inbox bob = new Inbox();
            Transport a = net.open("mem", alice);
            a.listen(A);
            Transport b = net.open("mem", bob);
            b.listen(B);
            Rule cut = Rule.path(A, B, Fate.DROP);
            network.rule(cut);
            a.connect(B).send(Sip.options(1));
            b.connect(A).send(Sip.options(2));
            network.deliverAll();
            assertEquals(List.of(), bob.drainSequences());
            assertEquals(List.of(2L), alice.drainSequences(), "the other direction works");
            assertTrue(network.removeRule(cut));
            a.connect(B).send(Sip.options(3));
            network.deliverAll();
            assertEquals(List.of(3L), bob.drainSequences());
        }
    }

    @Test
    void rulesComeBeforeChanceAndInOrder() throws Exception {
        LoopbackNetwork network = LoopbackNetwork.newBuilder().loss(1.0).manualDelivery().build();
        network.rule(Rule.when(p -> p.sequence() == 1, Fate.DUPLICATE));
        network.rule(Rule.when(p -> p.sequence() <= 2, Fate.DELIVER));
        network.rule(p -> {
            assertTrue(p.startLine().startsWith("OPTIONS sip:bob@"), p::toString);
            return Fate.CHANCE;
        });
        assertEquals(List.of(1L, 2L, 2L, 3L), delivered(network, 5), "sends 0..2 kept, 1 doubled, the rest lost");
    }

    /** A rule that throws (a failed assertion in it, say) fails the send, and the counts still add up. */
    @Test
    void aRuleThatThrowsFailsTheSendAndCountsNothing() throws Exception {
        try (TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build())) {
            LoopbackNetwork network = net.network;
            network.rule(p -> {
                if (p.message().orElseThrow().cseq().sequence() == 1) {
                    throw new IllegalStateException("rule bug (expected by the test)");
                }
                return Fate.CHANCE;
            });
            Inbox bob = new Inbox();
            net.open("mem", bob).listen(B);
            Transport a = net.open("mem", new Inbox());
            Connection out = a.connect(B);
            assertThrows(IllegalStateException.class, () -> out.send(Sip.options(1)));
            out.send(Sip.options(2));
            network.deliverAll();
            assertEquals(List.of(2L), bob.drainSequences());
            assertEquals(new NetworkStats(1, 1, 0, 0, 0, 0, 0), network.stats());
            assertEquals(1, a.stats().messagesOut(), "only the send that went out");
        }
    }

    @Test
    void aRuleLeavesTheFatesOfOtherMessagesAlone() throws Exception {
        List<Long> plain = delivered(lossy(11), 40);
        LoopbackNetwork ruled = lossy(11);
        ruled.rule(Rule.when(p -> p.sequence() == 5, Fate.DROP));
        List<Long> withRule = delivered(ruled, 40);
        // the same losses and duplicates for every other message (holding back may change order only)
        assertEquals(plain.stream().filter(n -> n != 6).sorted().toList(),
                withRule.stream().filter(n -> n != 6).sorted().toList());
        assertTrue(withRule.stream().noneMatch(n -> n == 6));
    }
}
