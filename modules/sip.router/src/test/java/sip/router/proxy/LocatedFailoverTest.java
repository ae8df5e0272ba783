package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.RetryAfter;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientDialog;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.ServerTransaction;
import sip.router.TransactionFailure;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.auth.Credentials;
import sip.router.auth.CredentialsProvider;

/**
 * RFC 3263 §4.3 for a user agent's own requests: a request whose destination the agent locates
 * tries what the locator found in order, each attempt a client transaction of its own, and
 * blocks the destinations that failed (Kamailio's {@code dst_blocklist}). The locator here is a
 * lambda naming in-memory addresses; time is the bed's virtual clock.
 */
@Timeout(60)
class LocatedFailoverTest {

    /** Nothing listens here on mem-stream: the connect is refused. */
    static final InetSocketAddress REFUSING = new InetSocketAddress("10.0.0.21", 5060);
    /** Nothing listens here on mem: datagrams are lost, so only Timer B/F ends an attempt. */
    static final InetSocketAddress SILENT = new InetSocketAddress("10.0.0.22", 5060);
    static final SipUri SERVICE = SipUri.parse("sip:svc@service.test");

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private UserAgent uac(List<Destination> located) throws IOException {
        return uac(located, b -> b);
    }

    private UserAgent uac(List<Destination> located, UnaryOperator<UserAgent.Builder> tune) throws IOException {
        // In-dialog requests go to a Contact's IP literal: the JDK locator's.
        return bed.agent("uac", UAC, b -> tune.apply(b.serverLocator((uri, protocols) ->
                uri.equals(SERVICE) ? located : ServerLocator.jdk().locate(uri, protocols))), "mem");
    }

    private static SipRequest options(UserAgent uac) {
        return uac.client().newRequest(Method.OPTIONS, SERVICE).build();
    }

    private static Destination mem(InetSocketAddress a) {
        return Destination.of("mem", a);
    }

    private static String branch(SipRequest r) {
        return r.topVia().branch();
    }

    @Test
    void aRefusedConnectAnd503WithoutRetryAfterFailOverToTheThirdDestination() throws Exception {
        UserAgent uac = uac(List.of(Destination.of("mem-stream", REFUSING), mem(UAS1), mem(UAS2)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(options(uac));
        ServerTransaction at1 = first.take(Method.OPTIONS);
        at1.respond(503);
        ServerTransaction at2 = second.take(Method.OPTIONS);
        at2.respond(200);
        SipResponse answer = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode());
        assertTrue(tx.failure().isEmpty());
        assertTrue(tx.provisionalResponses().isEmpty(), "the 503 is not passed up: " + tx.provisionalResponses());

        SipRequest sent1 = at1.request();
        SipRequest sent2 = at2.request();
        assertNotEquals(branch(sent1), branch(sent2), "a new transaction per attempt");
        assertEquals(sent1.cseq(), sent2.cseq(), "the same CSeq");
        assertEquals(sent1.callId(), sent2.callId());
        assertEquals(branch(sent2), branch(tx.request()), "request() is the current attempt's");
        assertEquals(UAS2, tx.flow().orElseThrow().remote());

        TransactionStats stats = uac.stats();
        assertEquals(2, stats.failovers());
        assertEquals(2, stats.blockedDestinations(), "the refusing and the 503 destination");
        assertEquals(3, stats.clientCreated(), "one per destination tried, the refused connect's too");
        bed.advance(Duration.ofSeconds(61));
        assertEquals(0, uac.stats().blockedDestinations(), "blocked 60 s by default");
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void anInviteFailsOverOnTimerBThenOn503AfterA100AndTheDialogIsTheLastAttempts() throws Exception {
        UserAgent uac = uac(List.of(mem(SILENT), mem(UAS1), mem(UAS2)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1, b -> b.inviteHandlerTimeout(Duration.ofHours(1)));
        ProxyBed.Uas second = bed.uas("uas2", UAS2, b -> b.inviteHandlerTimeout(Duration.ofHours(1)));
        SipRequest invite = ProxyBed.invite(uac, SERVICE);
        ClientDialog call = uac.client().invite(invite);
        // The live transaction: once answered, the dialog keeps only a summary of it.
        ClientTransaction tx = call.transaction();
        bed.settle();
        assertTrue(first.requests.isEmpty(), "nothing before Timer B");
        // Exactly Timer B (64×T1) on the silent destination: a second more and the next UAS's
        // automatic 100 (after 200 ms) would go out before the test's own.
        bed.advance(Duration.ofSeconds(32));
        ServerTransaction at1 = first.take(Method.INVITE);
        at1.respond(100);
        ProxyBed.await(() -> tx.provisionalResponses().size() == 1, "the 100 passed up");
        at1.respond(503);
        ServerTransaction at2 = second.take(Method.INVITE);
        at2.respond(180);
        ProxyBed.await(() -> tx.provisionalResponses().size() == 2, "the 180 passed up");
        at2.respond(200);
        SipResponse ok = call.answered().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(List.of(100, 180), tx.provisionalResponses().stream()
                .map(SipResponse::statusCode).toList(), "every attempt's provisionals, in order");
        assertEquals(branch(at2.request()), branch(call.transaction().request()));
        ProxyBed.await(() -> second.acks.size() == 1, "the ACK of the 2xx, to the last attempt's UAS");
        assertEquals(at2.request().cseq().sequence(), second.acks.getFirst().cseq().sequence());
        assertTrue(first.acks.stream().allMatch(a -> a.cseq().sequence() == at1.request().cseq().sequence()),
                "the first UAS got only the ACK of its 503 (a transaction-level ACK)");

        assertEquals(2, uac.stats().failovers());
        assertEquals(1, uac.stats().timeouts());
        var bye = call.bye();
        second.take(Method.BYE).respond(200);
        assertEquals(200, bye.get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void aNonInviteFailsOverOnTimerF() throws Exception {
        UserAgent uac = uac(List.of(mem(SILENT), mem(UAS1)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(options(uac));
        bed.advance(Duration.ofSeconds(33));
        first.take(Method.OPTIONS).respond(200);
        assertEquals(200, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, uac.stats().failovers());
        assertEquals(1, uac.stats().timeouts());
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void whenEveryAttemptFailsTheLastOnesFailureIsTheAnswer() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(SILENT)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(options(uac));
        first.take(Method.OPTIONS).respond(503);
        // The next attempt starts on a virtual thread and arms Timer F there: moved before, the
        // clock would leave Timer F in the future and no answer would come.
        bed.awaitSent(ProxyBed.from(UAC).and(ProxyBed.to(SILENT)), "the attempt at the silent destination sent");
        bed.advance(Duration.ofSeconds(33));
        SipResponse answer = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(408, answer.statusCode());
        assertEquals(new TransactionFailure.Timeout("F"), tx.failure().orElseThrow());
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void a503WithRetryAfterIsTheAnswerAndBlocksForItsSecondsThenTheBlockedGoesLast() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(UAS2)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);

        ClientTransaction tx = uac.client().request(options(uac));
        ServerTransaction at1 = first.take(Method.OPTIONS);
        at1.respond(at1.responseBuilder(503).set(HeaderType.RETRY_AFTER, RetryAfter.of(120)).build());
        SipResponse busy = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(503, busy.statusCode(), "passed up, no failover");
        assertEquals(0, uac.stats().failovers());
        assertEquals(1, uac.stats().blockedDestinations());
        bed.settle();
        assertTrue(second.requests.isEmpty(), "the second destination was not tried");

        // Blocked: tried last, so the next request goes to the second destination first.
        ClientTransaction next = uac.client().request(options(uac));
        second.take(Method.OPTIONS).respond(200);
        assertEquals(200, next.response().get(10, TimeUnit.SECONDS).statusCode());
        assertTrue(first.requests.isEmpty());

        bed.advance(Duration.ofSeconds(119));
        assertEquals(1, uac.stats().blockedDestinations(), "still within Retry-After");
        bed.advance(Duration.ofSeconds(2));
        assertEquals(0, uac.stats().blockedDestinations(), "Retry-After over");
        ClientTransaction again = uac.client().request(options(uac));
        first.take(Method.OPTIONS).respond(200);
        assertEquals(200, again.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void whenEveryDestinationIsBlockedTheyAreStillTriedInOrder() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(UAS2)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(options(uac));
        first.take(Method.OPTIONS).respond(503);
        second.take(Method.OPTIONS).respond(503);
        assertEquals(503, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(2, uac.stats().blockedDestinations());

        ClientTransaction next = uac.client().request(options(uac));
        first.take(Method.OPTIONS).respond(200);
        assertEquals(200, next.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void aZeroBlockTimeDisablesBlockingButNotFailover() throws Exception {
        UserAgent uac = uac(List.of(mem(UAS1), mem(UAS2)), b -> b.destinationBlockTime(Duration.ZERO));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(options(uac));
        first.take(Method.OPTIONS).respond(503);
        second.take(Method.OPTIONS).respond(200);
        assertEquals(200, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, uac.stats().failovers());
        assertEquals(0, uac.stats().blockedDestinations());
        ClientTransaction next = uac.client().request(options(uac));
        first.take(Method.OPTIONS).respond(200); // not blocked: still first
        assertEquals(200, next.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void cancelStopsFailover() throws Exception {
        UserAgent uac = uac(List.of(mem(SILENT), mem(UAS1)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(ProxyBed.invite(uac, SERVICE));
        bed.settle();
        tx.cancel(); // no provisional yet: the CANCEL waits for one (§9.1), none comes
        bed.advance(Duration.ofSeconds(33));
        SipResponse answer = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(408, answer.statusCode(), "the timeout is the answer: no next attempt");
        assertEquals(new TransactionFailure.Timeout("B"), tx.failure().orElseThrow());
        bed.settle();
        assertTrue(first.requests.isEmpty(), "the next destination was not tried");
        assertEquals(0, uac.stats().failovers());
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void cancelOfTheCurrentAttemptReachesItsDestination() throws Exception {
        UserAgent uac = uac(List.of(Destination.of("mem-stream", REFUSING), mem(UAS1), mem(UAS2)));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(ProxyBed.invite(uac, SERVICE));
        first.take(Method.INVITE).respond(503);
        ServerTransaction at2 = second.take(Method.INVITE);
        at2.respond(180);
        ProxyBed.await(() -> tx.provisionalResponses().size() == 1, "the 180");
        tx.cancel();
        SipResponse answer = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(487, answer.statusCode());
        assertTrue(at2.isCancelled(), "the CANCEL went to the current attempt's destination");
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
        assertEquals(0, second.ua.stats().serverTransactions());
    }

    @Test
    void aChallengeAnsweredAfterAFailoverGoesStraightToTheDestinationThatAnswered() throws Exception {
        UserAgent uac = uac(List.of(Destination.of("mem-stream", REFUSING), mem(UAS1)),
                b -> b.credentials(CredentialsProvider.of(new Credentials("alice", "pw"))));
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ClientTransaction tx = uac.client().request(options(uac));
        ServerTransaction challenged = first.take(Method.OPTIONS);
        challenged.respond(challenged.responseBuilder(401)
                .addHeader("WWW-Authenticate", "Digest realm=\"service.test\", nonce=\"n1\", algorithm=MD5")
                .build());
        ServerTransaction answered = first.take(Method.OPTIONS);
        assertTrue(answered.request().header("Authorization").isPresent());
        assertEquals(challenged.request().cseq().sequence() + 1, answered.request().cseq().sequence());
        answered.respond(200);
        assertEquals(200, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(branch(answered.request()), branch(tx.request()));
        assertEquals(1, uac.stats().failovers(), "the retry found the refusing destination blocked: tried last");
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void aConnectionClosedBeforeTheFinalResponseFailsOver() throws Exception {
        UserAgent uac = bed.agent("uac", UAC, b -> b.serverLocator((uri, protocols) -> uri.equals(SERVICE)
                ? List.of(Destination.of("mem-stream", UAS1), mem(UAS2))
                : ServerLocator.jdk().locate(uri, protocols)), "mem", "mem-stream");
        ProxyBed.Uas first = bed.uas("uas1", UAS1, "mem-stream");
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction tx = uac.client().request(options(uac));
        first.take(Method.OPTIONS);
        first.ua.close(); // its connection to the UAC closes with it, unanswered
        second.take(Method.OPTIONS).respond(200);
        assertEquals(200, tx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, uac.stats().failovers());
        assertEquals(1, uac.stats().blockedDestinations());
        bed.drain();
        assertEquals(0, uac.stats().clientTransactions());
    }

    @Test
    void aNegativeBlockTimeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> UserAgent.newBuilder().destinationBlockTime(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> UserAgent.newBuilder().destinationBlockTime(null));
    }
}
