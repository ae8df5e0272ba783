package sip.dns.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.testkit.Dnsmasq;

/**
 * Failures are typed and bounded: a server that never answers is a TIMEOUT within
 * {@code lookupTimeout}, a stopped server a clean error, REFUSED and SERVFAIL keep their reason,
 * and {@link DnsServerLocator#close()} ends the lookups in flight at once.
 */
class FailureTest {
    private static final Set<String> UDP = Set.of("udp");
    /** Scheduling slack on a busy machine on top of a configured bound. */
    private static final Duration SLACK = Duration.ofMillis(1_000);

    private static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Matrix.requireDnsmasq();
        dns = Dnsmasq.builder().domain("example.test").host("known.example.test", "127.0.0.111")
                .ttl(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    private static DnsServerLocator.Builder on(InetSocketAddress server, Duration queryTimeout, Duration lookupTimeout) {
        return Matrix.locatorOn(server).addressFamily(AddressFamily.IPV4_ONLY)
                .queryTimeout(queryTimeout).lookupTimeout(lookupTimeout);
    }

    @Test
    void aServerThatNeverAnswersIsATimeoutWithinTheLookupBound() throws Exception {
        Duration lookupTimeout = Duration.ofMillis(500);
        try (StubDnsServer silent = StubDnsServer.silent();
             DnsServerLocator locator = on(silent.address(), Duration.ofMillis(100), lookupTimeout).build()) {
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:quiet.example.test:5060"), UDP));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(DnsLookupException.Reason.TIMEOUT, e.reason(), e::getMessage);
            assertEquals("quiet.example.test", e.name());
            assertEquals("A", e.type());
            assertTrue(e.getMessage().startsWith("DNS TIMEOUT for quiet.example.test A"), e::getMessage);
            assertTrue(took.compareTo(lookupTimeout.plus(SLACK)) < 0, () -> "took " + took);
            assertTrue(took.toMillis() >= 100, () -> "gave up before one query timeout: " + took);
            assertTrue(silent.count("A quiet.example.test") >= 1, silent.questions()::toString);
        }
    }

    @Test
    void eachAttemptWaitsTheQueryTimeoutSoTheServerIsAskedAgainWithinTheLookup() throws Exception {
        // 100 ms attempts in a 500 ms lookup: about five attempts. (dnsjava's NIO client checks its
        // own timeouts only once a second, by default: relying on it gives one attempt here.)
        try (StubDnsServer silent = StubDnsServer.silent();
             DnsServerLocator locator = on(silent.address(), Duration.ofMillis(100), Duration.ofMillis(500)).build()) {
            assertThrows(DnsLookupException.class, () -> locator.locate(SipUri.parse("sip:quiet.example.test:5060"), UDP));
            assertTrue(silent.count("A quiet.example.test") >= 3, () -> "attempts: " + silent.questions());
        }
    }

    @Test
    void aQueryThatGetsNoAnswerEndsWithItsAttemptsAndIsCountedAsATimeout() throws Exception {
        Duration lookupTimeout = Duration.ofMillis(500);
        try (StubDnsServer silent = StubDnsServer.silent();
             DnsServerLocator locator = on(silent.address(), Duration.ofMillis(100), lookupTimeout).build()) {
            long start = System.nanoTime();
            assertThrows(DnsLookupException.class, () -> locator.locate(SipUri.parse("sip:quiet.example.test:5060"), UDP));
            // Its attempts fit in the lookup timeout: soon after it nothing may be left in flight.
            Duration left = lookupTimeout.plus(SLACK).minusNanos(System.nanoTime() - start);
            Matrix.await(locator, s -> s.inFlight() == 0 && s.timeouts() >= 1, left.isNegative() ? Duration.ZERO : left);
        }
    }

    @Test
    void theLookupTimeoutBoundsTheCallEvenWhenOneQueryMayWaitLonger() throws Exception {
        Duration lookupTimeout = Duration.ofMillis(300);
        try (StubDnsServer silent = StubDnsServer.silent();
             DnsServerLocator locator = on(silent.address(), Duration.ofSeconds(5), lookupTimeout).build()) {
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:quiet.example.test:5060"), UDP));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(DnsLookupException.Reason.TIMEOUT, e.reason(), e::getMessage);
            assertTrue(took.compareTo(lookupTimeout.plus(SLACK)) < 0, () -> "took " + took);
        }
    }

    @Test
    void aStoppedServerIsACleanErrorNotAHang() throws Exception {
        Dnsmasq stopped = Dnsmasq.builder().domain("example.test").host("gone.example.test", "127.0.0.112").start();
        InetSocketAddress closedPort = stopped.address();
        stopped.close();
        Duration lookupTimeout = Duration.ofMillis(1_000);
        try (DnsServerLocator locator = on(closedPort, Duration.ofMillis(200), lookupTimeout).build()) {
            long start = System.nanoTime();
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:gone.example.test:5060"), UDP));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.reason() == DnsLookupException.Reason.TIMEOUT || e.reason() == DnsLookupException.Reason.SERVER_FAILURE,
                    e::getMessage);
            assertEquals("gone.example.test", e.name());
            assertTrue(took.compareTo(lookupTimeout.plus(SLACK)) < 0, () -> "took " + took);
            Matrix.await(locator, s -> s.inFlight() == 0);
        }
    }

    @Test
    void aRefusedQueryIsReportedAsRefused() throws Exception {
        // dnsmasq forwards nowhere (--no-resolv, no --server): a name outside its domain is REFUSED.
        try (DnsServerLocator locator = on(dns.address(), Duration.ofMillis(1_000), Duration.ofMillis(3_000)).build()) {
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:elsewhere.invalid:5060"), UDP));
            assertEquals(DnsLookupException.Reason.REFUSED, e.reason(), e::getMessage);
            assertEquals("elsewhere.invalid", e.name());
            assertTrue(locator.stats().failures() >= 1, locator.stats()::toString);
        }
    }

    @Test
    void servfailIsAServerFailure() throws Exception {
        try (StubDnsServer failing = StubDnsServer.answering(Rcode.SERVFAIL);
             DnsServerLocator locator = on(failing.address(), Duration.ofMillis(500), Duration.ofMillis(2_000)).build()) {
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:broken.example.test:5060"), UDP));
            assertEquals(DnsLookupException.Reason.SERVER_FAILURE, e.reason(), e::getMessage);
            assertTrue(locator.stats().failures() >= 1, locator.stats()::toString);
        }
    }

    @Test
    void anUnknownNameThroughTheWholeChainIsNoSuchName() throws Exception {
        try (DnsServerLocator locator = on(dns.address(), Duration.ofMillis(1_000), Duration.ofMillis(3_000)).build()) {
            DnsLookupException e = assertThrows(DnsLookupException.class,
                    () -> locator.locate(SipUri.parse("sip:alice@ghost.example.test"), Set.of("udp", "tcp")));
            assertEquals(DnsLookupException.Reason.NO_SUCH_NAME, e.reason(), e::getMessage);
            assertEquals("ghost.example.test", e.name());
            assertEquals("A", e.type());
        }
    }

    @Test
    void closeEndsTheLookupsInFlightAtOnce() throws Exception {
        try (StubDnsServer silent = StubDnsServer.silent()) {
            DnsServerLocator locator = on(silent.address(), Duration.ofSeconds(5), Duration.ofSeconds(5)).build();
            CompletableFuture<Object> lookup = CompletableFuture.supplyAsync(() -> {
                try {
                    return locator.locate(SipUri.parse("sip:pending.example.test:5060"), UDP);
                } catch (IOException e) {
                    return e;
                }
            }, r -> Thread.ofVirtual().start(r));
            Matrix.await(locator, s -> s.inFlight() >= 1);
            locator.close();
            // Ended by close(), not by its 5 s timeouts: get() throws if it is still waiting 2 s on.
            Object outcome = lookup.get(2, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, outcome, String.valueOf(outcome));
            IOException later = assertThrows(IOException.class,
                    () -> locator.locate(SipUri.parse("sip:known.example.test:5060"), UDP));
            assertTrue(later.getMessage() != null && !later.getMessage().isBlank(), String.valueOf(later));
            assertEquals(0, locator.stats().inFlight(), locator.stats()::toString);
            locator.close();   // idempotent
        }
    }

    @Test
    void anInterruptedCallerGetsAnInterruptedIoExceptionAndKeepsItsInterruptStatus() throws Exception {
        try (StubDnsServer silent = StubDnsServer.silent();
             DnsServerLocator locator = on(silent.address(), Duration.ofSeconds(5), Duration.ofSeconds(5)).build()) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    outcome.complete(locator.locate(SipUri.parse("sip:pending.example.test:5060"), UDP));
                } catch (IOException e) {
                    outcome.complete(List.of(e, Thread.currentThread().isInterrupted()));
                }
            });
            Matrix.await(locator, s -> s.inFlight() >= 1);
            caller.interrupt();
            Object result = outcome.get(2, TimeUnit.SECONDS);
            assertInstanceOf(List.class, result, String.valueOf(result));
            assertInstanceOf(java.io.InterruptedIOException.class, ((List<?>) result).get(0), String.valueOf(result));
            assertEquals(true, ((List<?>) result).get(1), "interrupt status kept");
        }
    }

    @Test
    void aNaptrQueryTheServerFailsCountsAsNoNaptr() throws Exception {
        // Some servers and middleboxes fail NAPTR queries they do not know; SRV and A still work.
        try (StubDnsServer relay = StubDnsServer.relayFailing(dns.address(), q -> q.startsWith("NAPTR "));
             DnsServerLocator locator = on(relay.address(), Duration.ofMillis(500), Duration.ofMillis(2_000)).build()) {
            assertEquals(List.of("udp:127.0.0.111:5060"),
                    Matrix.targets(locator.locate(SipUri.parse("sip:alice@known.example.test"), UDP)));
        }
    }
}
