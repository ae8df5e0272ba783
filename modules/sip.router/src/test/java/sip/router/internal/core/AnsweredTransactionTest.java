package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.router.auth.Credentials;
import sip.router.auth.CredentialsProvider;
import sip.transport.spi.Flow;

/**
 * The exchange {@link ClientImpl} returns when it has credentials, over transactions the test
 * answers by hand: what the caller sees of attempts, listeners and cancel, deterministically.
 */
@Timeout(30)
class AnsweredTransactionTest {
    private static final String CHALLENGE = "Digest realm=\"r.example\", nonce=\"n1\", qop=\"auth\", algorithm=MD5";

    /** A transaction answered by the test; like the real one, it replays to a late listener. */
    private static final class HandTransaction implements ClientTransaction {
        final SipRequest request;
        final CompletableFuture<SipResponse> future = new CompletableFuture<>();
        final List<Consumer<SipResponse>> listeners = new ArrayList<>();
        final List<SipResponse> passedUp = new ArrayList<>();
        final List<SipResponse> provisionals = new CopyOnWriteArrayList<>();
        final java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);

        HandTransaction(SipRequest request) {
            this.request = request;
        }

        void respond(int code, String... challenges) {
            SipResponse.Builder b = SipResponse.builder(request, code);
            for (String c : challenges) {
                b.addHeader("WWW-Authenticate", c);
            }
            SipResponse r = b.build();
            if (code < 200) {
                provisionals.add(r);
            }
            List<Consumer<SipResponse>> now;
            synchronized (this) {
                passedUp.add(r);
                now = List.copyOf(listeners);
            }
            now.forEach(l -> l.accept(r));
            if (code >= 200) {
                future.complete(r);
            }
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public Optional<Flow> flow() {
            return Optional.empty();
        }

        @Override
        public TransactionState state() {
            return future.isDone() ? TransactionState.TERMINATED : TransactionState.PROCEEDING;
        }

        @Override
        public CompletableFuture<SipResponse> response() {
            return future.copy();
        }

        @Override
        public List<SipResponse> provisionalResponses() {
            return List.copyOf(provisionals);
        }

        @Override
        public void onResponse(Consumer<SipResponse> listener) {
            List<SipResponse> before;
            synchronized (this) {
                listeners.add(listener);
                before = List.copyOf(passedUp);
            }
            before.forEach(listener);
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        boolean awaitCancel() throws InterruptedException {
            return cancelled.await(10, TimeUnit.SECONDS);
        }

        @Override
        public Optional<TransactionFailure> failure() {
            return Optional.empty();
        }
    }

    private final BlockingQueue<HandTransaction> sent = new LinkedBlockingQueue<>();
    private final List<Destination> destinations = new CopyOnWriteArrayList<>();
    private final Outbound outbound = new Outbound() {
        private int branch;

        @Override
        public synchronized ClientTransaction sendRequest(SipRequest request, Destination explicit) {
            destinations.add(explicit);
            HandTransaction tx = new HandTransaction(request.toBuilder()
                    .via(Via.of("UDP", "192.0.2.1", 5060, "z9hG4bK-" + ++branch)).build());
            sent.add(tx);
            return tx;
        }

        @Override
        public SipMessage sendStateless(SipMessage message) {
            return message;
        }
    };
    private final ClientImpl client = new ClientImpl("parley-test",
            () -> NameAddress.of(SipUri.parse("sip:alice@example.com")), () -> "192.0.2.1", outbound,
            CredentialsProvider.of(new Credentials("alice", "secret")));

    private HandTransaction next() throws InterruptedException {
        HandTransaction tx = sent.poll(10, TimeUnit.SECONDS);
        assertNotNull(tx, "no request sent");
        return tx;
    }

    private ClientTransaction invite() {
        return client.request(client.newRequest(Method.INVITE, SipUri.parse("sip:bob@127.0.0.1:5070")).build(),
                Destination.of("udp", new java.net.InetSocketAddress("127.0.0.1", 5070)));
    }

    @Test
    void listenersFollowEveryAttemptButNeverSeeTheAnsweredChallenge() throws Exception {
        ClientTransaction exchange = invite();
        List<Integer> heard = new CopyOnWriteArrayList<>();
        exchange.onResponse(r -> heard.add(r.statusCode()));
        HandTransaction first = next();
        first.respond(100);
        first.respond(401, CHALLENGE);
        HandTransaction second = next();
        assertEquals(2, second.request.cseq().sequence());
        assertTrue(second.request.first(HeaderType.AUTHORIZATION).isPresent());
        second.respond(180);
        second.respond(200);
        assertEquals(200, exchange.response().get(10, TimeUnit.SECONDS).statusCode());
        assertSame(second.request, exchange.request(), "request() is the last attempt");
        assertEquals(List.of(180), exchange.provisionalResponses().stream().map(SipResponse::statusCode).toList(),
                "the provisionals of the last attempt");
        assertEquals(List.of(100, 180, 200), heard);
        assertEquals(2, destinations.size());
        assertEquals(destinations.get(0), destinations.get(1), "the retry goes where the first went");
        assertNull(sent.poll(), "nothing more sent");
    }

    @Test
    void aListenerAddedAfterTheRetryHearsTheCurrentAttempt() throws Exception {
        ClientTransaction exchange = invite();
        next().respond(401, CHALLENGE);
        HandTransaction second = next();
        List<Integer> heard = new ArrayList<>();
        exchange.onResponse(r -> {
            synchronized (heard) {
                heard.add(r.statusCode());
            }
        });
        second.respond(486);
        assertEquals(486, exchange.response().get(10, TimeUnit.SECONDS).statusCode());
        synchronized (heard) {
            assertEquals(List.of(486), heard);
        }
    }

    @Test
    void cancelStopsFurtherRetriesAndTheChallengeIsFinal() throws Exception {
        ClientTransaction exchange = invite();
        HandTransaction first = next();
        first.respond(180);
        exchange.cancel();
        assertTrue(first.awaitCancel());
        first.respond(401, CHALLENGE);
        SipResponse r = exchange.response().get(10, TimeUnit.SECONDS);
        assertEquals(401, r.statusCode());
        assertNull(sent.poll(), "no retry after cancel (the response completes only once none will follow)");
    }

    @Test
    void cancelDuringTheSecondAttemptCancelsThatOne() throws Exception {
        ClientTransaction exchange = invite();
        HandTransaction first = next();
        first.respond(401, CHALLENGE);
        HandTransaction second = next();
        // Maybe before the exchange has even taken the second attempt as its own: cancelled then.
        exchange.cancel();
        assertTrue(second.awaitCancel());
        second.respond(487);
        assertEquals(487, exchange.response().get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void onlyAnInviteCanBeCancelledAndAFailedCancelChangesNothing() throws Exception {
        ClientTransaction exchange = client.request(
                client.newRequest(Method.REGISTER, SipUri.parse("sip:example.com")).build());
        assertThrows(IllegalStateException.class, exchange::cancel);
        next().respond(401, CHALLENGE);
        next().respond(200);
        assertEquals(200, exchange.response().get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void theFinalResponseCannotBeCompletedByTheCaller() throws Exception {
        ClientTransaction exchange = invite();
        exchange.response().complete(SipResponse.forRequest(exchange.request(), 500));
        next().respond(603);
        assertEquals(603, exchange.response().get(10, TimeUnit.SECONDS).statusCode());
    }
}
