package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.ServerTransaction;
import sip.router.SipTimers;
import sip.router.VirtualScheduler;
import sip.router.internal.Settings;
import sip.transport.loopback.Fate;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.loopback.Rule;
import sip.transport.spi.Flow;

/**
 * The transaction layer over the real {@link sip.router.internal.transport.TransportLayer}
 * (public constructor) on the loopback {@code mem} network, all on one virtual clock.
 */
class OverTransportLayerTest {

    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5060);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final LoopbackNetwork network = LoopbackNetwork.newBuilder().seed(7)
            .scheduler(clock.delays()).manualDelivery().build();
    private final List<ServerTransaction> atBob = new CopyOnWriteArrayList<>();
    private final List<SipRequest> acksAtBob = new CopyOnWriteArrayList<>();
    private TransactionLayer alice;
    private TransactionLayer bob;

    private Settings settings() {
        return new Settings("Parley-it", null, null, network.transportConfig().build(), SipTimers.DEFAULT,
                clock, ServerLocator.jdk(), Duration.ofMillis(200), 100, Duration.ofSeconds(5),
                Duration.ofSeconds(32), Duration.ofMinutes(3), Duration.ofSeconds(5));
    }

    private void start() throws Exception {
        alice = new TransactionLayer(settings(), new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction tx) {
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
            }
        });
        bob = new TransactionLayer(settings(), new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction tx) {
                atBob.add(tx);
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
                acksAtBob.add(ack);
            }
        });
        alice.listen("mem", ALICE);
        bob.listen("mem", BOB);
    }

    @AfterEach
    void close() {
        if (alice != null) {
            alice.closeAsync(Duration.ZERO);
            bob.closeAsync(Duration.ZERO);
            clock.runDue();
        }
        network.close();
    }

    private static SipRequest request(Method method) {
        return SipRequest.builder(method, SipUri.parse("sip:bob@10.0.0.2:5060;transport=mem"))
                .from(NameAddress.of(SipUri.parse("sip:alice@10.0.0.1")).withTag("a"))
                .to(NameAddress.of(SipUri.parse("sip:bob@10.0.0.2")))
                .callId("it-" + method)
                .cseq(1)
                .build();
    }

    private ClientTransaction send(Method method) {
        return alice.sendRequest(request(method), Destination.of("mem", BOB));
    }

    /** Delivers everything, moving the clock in small steps, for {@code span}. */
    private void run(Duration span) {
        for (Duration t = Duration.ZERO; t.compareTo(span) < 0; t = t.plusMillis(10)) {
            network.deliverAll();
            clock.advance(Duration.ofMillis(10));
        }
        network.deliverAll();
    }

    /** A peer that answers by hand: each message it receives, with the connection it came on. */
    private record Peer(sip.transport.spi.Transport transport, List<SipRequest> requests,
                        List<sip.transport.spi.Connection> connections) implements sip.transport.spi.InboundHandler {
        @Override
        public void onMessage(sip.transport.spi.Connection connection, sip.message.SipMessage message) {
            if (message instanceof SipRequest r) {
                requests.add(r);
                connections.add(connection);
            }
        }

        List<SipRequest> acks() {
            return requests.stream().filter(r -> r.method().equals(Method.ACK)).toList();
        }
    }

    @Test
    void everyRetransmittedTwoHundredIsAckedAgainButAForkIsNot() throws Exception {
        alice = new TransactionLayer(settings(), new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction tx) {
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
            }
        });
        alice.listen("mem", ALICE);
        bob = alice; // closed once by the @AfterEach
        Peer peer = new Peer(null, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        sip.transport.spi.Transport raw = sip.transport.spi.Transports.open("mem",
                network.transportConfig().build(), peer);
        raw.listen(BOB);
        ClientTransaction tx = send(Method.INVITE);
        network.deliverAll();
        SipRequest invite = peer.requests().getFirst();
        sip.transport.spi.Connection back = peer.connections().getFirst();
        byte[] ok = SipResponse.builder(invite, 200).toTag("t1").build().toBytes();
        back.send(ok);
        network.deliverAll();
        SipResponse answer = tx.response().get(5, TimeUnit.SECONDS);
        java.util.concurrent.CountDownLatch passedUp = new java.util.concurrent.CountDownLatch(5);
        tx.onResponse(r -> passedUp.countDown());
        SipRequest ack = SipRequest.builder(Method.ACK, invite.requestUri()).from(invite.from()).to(answer.to())
                .callId(invite.callId()).cseq(invite.cseq().sequence()).maxForwards(70).build();
        alice.sendStateless(ack);
        network.deliverAll();
        assertEquals(1, peer.acks().size());
        for (int i = 0; i < 3; i++) {
            back.send(ok);
            network.deliverAll();
        }
        List<SipRequest> acks = peer.acks();
        assertEquals(4, acks.size(), "one ACK per 2xx: " + acks);
        for (SipRequest again : acks) {
            assertEquals(acks.getFirst().toString(), again.toString(), "the same ACK, byte for byte");
        }
        back.send(SipResponse.builder(invite, 200).toTag("fork").build().toBytes());
        network.deliverAll();
        assertEquals(4, peer.acks().size(), "a fork is the user's to ACK");
        assertTrue(passedUp.await(5, TimeUnit.SECONDS), "the 200, its three retransmissions and the fork are all passed up");
        raw.close();
    }

    @Test
    void closeWaitsForFinalResponsesOnlyNotForLingeringTimers() throws Exception {
        start();
        ClientTransaction options = send(Method.OPTIONS);
        network.deliverAll();
        atBob.getFirst().respond(200);
        network.deliverAll();
        assertEquals(200, options.response().get(5, TimeUnit.SECONDS).statusCode());
        ClientTransaction invite = send(Method.INVITE);
        network.deliverAll();
        java.util.concurrent.CompletableFuture<Void> bobClosed = bob.closeAsync(Duration.ofSeconds(5));
        java.util.concurrent.CompletableFuture<Void> aliceClosed = alice.closeAsync(Duration.ofSeconds(5));
        network.deliverAll();
        assertTrue(!bobClosed.isDone() && !aliceClosed.isDone(), "the INVITE has no final response yet");
        atBob.get(1).respond(486);
        network.deliverAll();
        assertEquals(486, invite.response().get(5, TimeUnit.SECONDS).statusCode());
        // Timers J, K (OPTIONS) and D, G/H (INVITE) are still pending; the clock never moves.
        bobClosed.get(5, TimeUnit.SECONDS);
        aliceClosed.get(5, TimeUnit.SECONDS);
        assertEquals(0, bob.stats().serverTransactions());
        assertEquals(0, alice.stats().clientTransactions());
    }

    @Test
    void closeWithoutGraceNeedsNoClock() throws Exception {
        start();
        send(Method.OPTIONS);
        network.deliverAll();
        alice.closeAsync(Duration.ZERO).get(5, TimeUnit.SECONDS);
        bob.closeAsync(Duration.ZERO).get(5, TimeUnit.SECONDS);
        assertEquals(0, alice.stats().clientTransactions());
        assertEquals(0, bob.stats().serverTransactions());
    }

    @Test
    void optionsAnsweredOverTheTransportAndEverythingEnds() throws Exception {
        start();
        ClientTransaction tx = send(Method.OPTIONS);
        network.deliverAll();
        assertEquals(1, atBob.size());
        atBob.getFirst().respond(200);
        network.deliverAll();
        SipResponse r = tx.response().get(5, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        run(Duration.ofSeconds(33));
        assertEquals(0, alice.stats().liveTransactions());
        assertEquals(0, bob.stats().liveTransactions());
    }

    @Test
    void lostInviteIsRetransmittedAndTheNon2xxIsAcked() throws Exception {
        start();
        network.rule(Rule.first(1, Fate.DROP, p -> p.startLine().startsWith("INVITE")));
        ClientTransaction tx = send(Method.INVITE);
        network.deliverAll();
        assertTrue(atBob.isEmpty());
        run(Duration.ofMillis(600));
        assertEquals(1, atBob.size(), "Timer A brought the INVITE");
        atBob.getFirst().respond(486);
        run(Duration.ofMillis(100));
        assertEquals(486, tx.response().get(5, TimeUnit.SECONDS).statusCode());
        assertEquals(sip.router.TransactionState.CONFIRMED, atBob.getFirst().state(), "the ACK arrived");
        run(Duration.ofSeconds(33));
        assertEquals(0, alice.stats().liveTransactions());
        assertEquals(0, bob.stats().liveTransactions());
    }

    @Test
    void lost200IsResentUntilTheAck() throws Exception {
        start();
        network.rule(Rule.first(1, Fate.DROP, p -> p.startLine().startsWith("SIP/2.0 200")));
        ClientTransaction tx = send(Method.INVITE);
        network.deliverAll();
        atBob.getFirst().respond(200);
        network.deliverAll();
        run(Duration.ofMillis(600));
        SipResponse ok = tx.response().get(5, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(1, network.stats().dropped());
        long resent = bob.stats().retransmissionsSent();
        assertEquals(1, resent, "the 2xx went again after T1");

        // The ACK of a 2xx is the UAC core's: sent here without a transaction.
        SipRequest ack = SipRequest.builder(Method.ACK, tx.request().requestUri())
                .from(tx.request().from()).to(ok.to()).callId(ok.callId()).cseq(ok.cseq().sequence())
                .build();
        alice.sendStateless(ack);
        run(Duration.ofMillis(100));
        assertEquals(1, acksAtBob.size());
        run(Duration.ofSeconds(40));
        assertEquals(resent, bob.stats().retransmissionsSent(), "no 2xx after the ACK");
        assertEquals(0, alice.stats().liveTransactions());
        assertEquals(0, bob.stats().liveTransactions());
    }

    @Test
    void cancelEndToEnd() throws Exception {
        start();
        ClientTransaction tx = send(Method.INVITE);
        tx.cancel();
        network.deliverAll();
        ServerTransaction invite = atBob.getFirst();
        invite.respond(180);
        run(Duration.ofMillis(100));
        assertTrue(invite.isCancelled());
        assertEquals(487, tx.response().get(5, TimeUnit.SECONDS).statusCode());
        assertEquals(sip.router.TransactionState.CONFIRMED, invite.state(), "the 487 was ACKed");
        assertEquals(1, atBob.size(), "the CANCEL is not the user's");
        run(Duration.ofSeconds(33));
        assertEquals(0, alice.stats().liveTransactions());
        assertEquals(0, bob.stats().liveTransactions());
    }

    @Test
    void thirtyPercentLossStillCompletesEveryTransaction() throws Exception {
        network.close();
        LoopbackNetwork lossy = LoopbackNetwork.newBuilder().seed(11).loss(0.3)
                .scheduler(clock.delays()).manualDelivery().build();
        Settings s = new Settings("Parley-it", null, null, lossy.transportConfig().build(), SipTimers.DEFAULT,
                clock, ServerLocator.jdk(), Duration.ofMillis(200), 100, Duration.ofSeconds(5),
                Duration.ofSeconds(32), Duration.ofMinutes(3), Duration.ofSeconds(5));
        TransactionLayer a = new TransactionLayer(s, new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction tx) {
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
            }
        });
        TransactionLayer b = new TransactionLayer(s, new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction tx) {
                // Answered at once on the delivery thread; answerQuietly keeps loss out of the test.
                ((ServerMachine) tx).answerQuietly(tx.request().method().equals(Method.INVITE) ? 486 : 200);
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
            }
        });
        try {
            a.listen("mem", ALICE);
            b.listen("mem", BOB);
            List<ClientTransaction> txs = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SipRequest r = request(i % 2 == 0 ? Method.INVITE : Method.OPTIONS).toBuilder()
                        .callId("lossy-" + i).build();
                txs.add(a.sendRequest(r, Destination.of("mem", BOB)));
            }
            for (Duration t = Duration.ZERO; t.compareTo(Duration.ofSeconds(40)) < 0; t = t.plusMillis(10)) {
                lossy.deliverAll();
                clock.advance(Duration.ofMillis(10));
            }
            int answered = 0;
            for (ClientTransaction tx : txs) {
                int code = tx.response().get(5, TimeUnit.SECONDS).statusCode();
                if (code == 200 || code == 486) {
                    answered++;
                }
            }
            assertTrue(lossy.stats().dropped() > 5, "the network did lose messages");
            assertEquals(20, answered, "every transaction got the peer's answer despite the loss");
            assertEquals(0, a.stats().liveTransactions());
            assertEquals(0, b.stats().liveTransactions());
        } finally {
            a.closeAsync(Duration.ZERO);
            b.closeAsync(Duration.ZERO);
            clock.runDue();
            lossy.close();
        }
    }
}
