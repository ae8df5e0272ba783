package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.dns.DnsServerLocator;
import sip.dns.DnsStats;
import sip.message.SipUri;
import sip.router.SipTimers;
import sip.router.TransactionFailure;
import sip.router.TransactionStats;
import sip.router.UserAgent;

/**
 * A DNS server that never answers: a UDP socket on 127.0.0.1 that reads nothing. The request
 * must end with a local 503 naming the DNS timeout within the locator's lookup timeout, never
 * hang, and leave no transaction behind. No dnsmasq needed: silence is the point.
 */
class DnsTimeoutInteropTest {

    private static final Duration QUERY_TIMEOUT = Duration.ofMillis(300);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Slack over the lookup timeout for scheduling on a loaded machine: the request is answered
     * 1.0 s after it is sent on a quiet one, and once took 4.6 s at a load average of 13 (other
     * builds sharing the machine).
     */
    private static final Duration SLACK = Duration.ofSeconds(4);
    /**
     * When the abandoned query must have ended, counted from the request: as many attempts as
     * fit in the lookup timeout, rounded up (4 here), each ending on the first tick of dnsjava's
     * NIO selector (every 1 s when idle: {@code dnsjava.nio.selector_timeout}) after
     * queryTimeout, so about 4 s rather than 1.2 s; plus slack.
     */
    private static final Duration QUERIES_END = Duration.ofSeconds(10);
    private static final SipTimers TIMERS =
            new SipTimers(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(250));

    @ParameterizedTest(name = "{0} to sip:alice@example.test, DNS silent: local 503 naming the timeout")
    @ValueSource(strings = {"INVITE", "OPTIONS"})
    void silentDnsServerEndsTheRequestWithA503(String method) throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DnsServerLocator locator = DnsServerLocator.newBuilder()
                        .servers(List.of((InetSocketAddress) silent.getLocalSocketAddress()))
                        .queryTimeout(QUERY_TIMEOUT)
                        .lookupTimeout(LOOKUP_TIMEOUT)
                        .build();
                LocatingUac uac = new LocatingUac(UserAgent.newBuilder()
                        .name("parley-dns-e2e").timers(TIMERS).serverLocator(locator).build())) {
            SipUri alice = SipUri.parse("sip:alice@example.test");
            String callId = UUID.randomUUID() + "@parley.test";

            long start = System.nanoTime();
            LocatingUac.Exchange answer = method.equals("INVITE")
                    ? uac.invite(alice, callId, 1) : uac.options(alice, callId, 1);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(503, answer.status(), answer.describe());
            TransactionFailure failure = answer.transaction().failure()
                    .orElseThrow(() -> new AssertionError("a 503 from the network, not a local one: " + answer.describe()));
            assertInstanceOf(TransactionFailure.Unresolvable.class, failure, failure.toString());
            String reason = answer.response().status().reason();
            assertTrue(reason.matches("(?is).*\\bDNS\\b.*\\bTIMEOUT\\b.*"), "the reason names the DNS timeout: " + reason);
            assertTrue(reason.contains("example.test"), "the reason names what was looked up: " + reason);
            assertEquals(reason.indexOf("cannot resolve"), reason.lastIndexOf("cannot resolve"),
                    "the reason says 'cannot resolve' once: " + reason);
            assertTrue(took.compareTo(LOOKUP_TIMEOUT.plus(SLACK)) < 0,
                    "answered in " + took + ", lookup timeout " + LOOKUP_TIMEOUT);

            // The queries went to this silent server (and so not to the system resolver).
            assertTrue(receivedDatagrams(silent) > 0, "no query reached the silent server");
            // The locator stops waiting at the lookup timeout; the query goes on in the background
            // until its attempts have run out, and only then counts as a timeout. It must end.
            DnsStats dnsStats = awaitNoQueryInFlight(locator, QUERIES_END.minus(Duration.ofNanos(System.nanoTime() - start)));
            assertEquals(0, dnsStats.inFlight(), "queries still out " + QUERIES_END + " after the request: " + dnsStats);
            assertTrue(dnsStats.timeouts() >= 1, dnsStats.toString());

            TransactionStats parley = awaitNoLiveTransactions(uac.userAgent(), Duration.ofSeconds(5));
            assertEquals(0, parley.liveTransactions(), "live transactions\n" + parley);
        }
    }

    /** How many datagrams wait in {@code socket}'s receive buffer: the queries sent to it. */
    private static int receivedDatagrams(DatagramSocket socket) throws java.io.IOException {
        socket.setSoTimeout(1);
        int count = 0;
        byte[] buffer = new byte[1500];
        try {
            while (true) {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                count++;
            }
        } catch (SocketTimeoutException drained) {
            return count;
        }
    }

    private static DnsStats awaitNoQueryInFlight(DnsServerLocator locator, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        DnsStats stats = locator.stats();
        while (stats.inFlight() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = locator.stats();
        }
        return stats;
    }

    /**
     * The stats once no transaction is live, or as they are at {@code within}. A failed
     * resolution ends the transaction with no timer to wait for, so this should return at once.
     * (sip.interop.LiveTransactions does this, but is package-private there.)
     */
    private static TransactionStats awaitNoLiveTransactions(UserAgent ua, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        TransactionStats stats = ua.stats();
        while (stats.liveTransactions() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = ua.stats();
        }
        return stats;
    }
}
