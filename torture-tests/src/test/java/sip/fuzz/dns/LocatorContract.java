package sip.fuzz.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsServerLocator;
import sip.router.Destination;

/**
 * The contract every {@link DnsServerLocator} call keeps, whatever DNS answers: it returns
 * destinations or throws an {@link IOException} (a {@link DnsLookupException} with its reason,
 * name and type), nothing else, and never later than the lookup timeout plus a little; every
 * destination is resolved, distinct, over an allowed protocol, at a real port, at most 64 of
 * them; and once the call is over no query stays in flight for good.
 */
final class LocatorContract {
    /**
     * Per attempt: five attempts per lookup, moving on after each 200 ms as {@code sip.dns}
     * documents (its own UDP exchange keeps timeouts below a second; finding D1 is fixed).
     */
    static final Duration QUERY_TIMEOUT = Duration.ofMillis(200);
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(1);
    /** How much later than {@code lookupTimeout} a call may return (scheduling, GC, a loaded CI box). */
    static final Duration SLACK = Duration.ofMillis(Long.getLong("parley.fuzz.dnsSlackMillis", 750));
    /**
     * How long after a call its queries may still be in flight: {@code sip.dns} ends a query's
     * attempts by the deadline of the call that sent it (the last attempt cut short), so at most
     * one attempt past the call's return, plus scheduling.
     */
    static final Duration FLIGHT_DRAIN = Duration.ofMillis(Long.getLong("parley.fuzz.dnsDrainMillis",
            QUERY_TIMEOUT.plus(SLACK).toMillis()));

    private LocatorContract() {
    }

    /** The locator the targets use: the responder only, short timeouts, the test's search domain. */
    static DnsServerLocator locator(InetSocketAddress server, AddressFamily family, java.util.random.RandomGenerator random) {
        DnsServerLocator.Builder b = DnsServerLocator.newBuilder()
                .servers(List.of(server))
                .searchDomains(List.of(FuzzedZone.DOMAIN))
                .queryTimeout(QUERY_TIMEOUT)
                .lookupTimeout(LOOKUP_TIMEOUT)
                .addressFamily(family);
        return (random == null ? b : b.random(random)).build();
    }

    /** What one call gave. */
    sealed interface Outcome {
        record Found(List<Destination> destinations) implements Outcome {
        }

        record Failed(IOException failure) implements Outcome {
        }
    }

    /** "found N", "empty", a DnsLookupException's reason, or "IOException": what the seeded runs reached. */
    static String label(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Found(List<Destination> found) -> found.isEmpty() ? "empty" : "found";
            case Outcome.Failed(IOException e) -> e instanceof DnsLookupException d ? d.reason().name() : "IOException";
        };
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARM = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Once per JVM, before the first timed call: resolves a NAPTR → SRV (over TCP, too large for
     * UDP) → CNAME → A/AAAA chain against a responder of its own, untimed. The first calls load
     * sip.dns's and dnsjava's classes on the calling thread (and, fuzzing, Jazzer instruments each
     * as it loads, tens of ms apiece): seconds no locator can help, which the time bound is not about.
     */
    static void warmUp() {
        if (WARM.getAndSet(true)) {
            return;
        }
        try (HostileResponder server = HostileResponder.start()) {
            FuzzedZone zone = FuzzedZone.wellBehaved(true).naptr("example.test", "SIP+D2T", "_sip._tcp.example.test");
            for (int i = 0; i < 40; i++) {
                zone.srv("_sip._tcp.example.test", i % 3, i, 10_000 + i, "alias.example.test", 60);
            }
            zone.cname("alias.example.test", "s1.example.test")
                    .address("s1.example.test", new byte[] {127, 0, 0, 1}, 60)
                    .address("s1.example.test", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 60);
            server.serve(zone);
            for (AddressFamily family : AddressFamily.values()) {
                try (DnsServerLocator locator = locator(server.address(), family, null)) {
                    for (String uri : List.of("sip:example.test", "sip:example.test;transport=tcp", "sip:sip1:5060",
                            "sips:missing.example.test", "sip:[::1]", "sip:other.test;maddr=[::1]")) {
                        try {
                            locator.locate(sip.message.SipUri.parse(uri), java.util.Set.of("udp", "tcp", "tls"));
                        } catch (IOException | IllegalArgumentException e) {
                            // any outcome: only the classes are wanted
                        }
                    }
                    try {
                        locator.locateSentBy("tcp", "example.test", -1);
                    } catch (IOException e) {
                        // likewise
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code call}; fails the test on any other throwable, or when it took too long. */
    static Outcome call(String what, Callable<List<Destination>> call) {
        warmUp();
        long start = System.nanoTime();
        Outcome outcome;
        try {
            List<Destination> found = call.call();
            assertNotNull(found, what + ": null list");
            outcome = new Outcome.Found(found);
        } catch (IOException e) {
            outcome = new Outcome.Failed(e);
        } catch (Throwable t) {
            throw new AssertionError(what + ": threw neither destinations nor an IOException: " + t, t);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(LOOKUP_TIMEOUT.plus(SLACK)) <= 0,
                what + ": took " + took.toMillis() + " ms, lookupTimeout is " + LOOKUP_TIMEOUT.toMillis() + " ms; " + outcome);
        if (outcome instanceof Outcome.Failed(IOException e)) {
            checkFailure(what, e);
        }
        return outcome;
    }

    /**
     * A failure says what failed; no exception of the locator's own code (a RuntimeException) is
     * hidden in it: a hostile answer is the server's fault, reported as such, never a crash
     * wrapped into an IOException.
     */
    static void checkFailure(String what, IOException e) {
        if (e instanceof DnsLookupException d) {
            assertNotNull(d.reason(), what);
            assertNotNull(d.name(), what);
            assertNotNull(d.type(), what);
            assertTrue(d.getMessage().startsWith("DNS " + d.reason() + " for "), what + ": message " + d.getMessage());
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RuntimeException || c instanceof Error) {
                throw new AssertionError(what + ": a " + c.getClass().getName() + " inside the IOException: " + e, e);
            }
        }
    }

    /**
     * What every list of destinations satisfies.
     *
     * @param explicitPort the port the caller named (-1: none); without one, a port of DNS or a default
     * @param literal the IP literal located, or null for a name
     */
    static void checkDestinations(String what, List<Destination> found, Set<String> protocols, boolean secure,
                                  int explicitPort, AddressFamily family, String literal) {
        assertTrue(found.size() <= 64, what + ": " + found.size() + " destinations");
        record Key(String protocol, InetSocketAddress address) {
        }
        Set<Key> keys = new HashSet<>();
        for (Destination d : found) {
            String where = what + ": " + d + " in " + found;
            assertTrue(protocols.contains(d.protocol()), where + ": protocol not in " + protocols);
            assertNotNull(d.address().getAddress(), where + ": unresolved");
            if (explicitPort >= 0) {
                assertEquals(explicitPort, d.address().getPort(), where + ": not the port asked for");
            } else {
                int port = d.address().getPort();
                if (port < 1 || port > 65535) {   // port 0 of an SRV record included (finding D3)
                    fail(where + ": port " + port);
                }
            }
            if (secure) {
                assertTrue(d.protocol().equals("tls") || d.protocol().equals("wss"), where + ": sips over " + d.protocol());
            }
            assertTrue(keys.add(new Key(d.protocol(), d.address())), where + ": duplicate");
            if (family == AddressFamily.IPV4_ONLY && literal == null) {   // a literal is used as it is
                assertTrue(d.address().getAddress() instanceof java.net.Inet4Address, where + ": IPv6 with IPV4_ONLY");
            }
            if (literal != null) {
                assertEquals(null, d.serverName(), where + ": server name for an IP literal");
            } else {
                assertNotNull(d.serverName(), where + ": no server name for a host name");
            }
        }
        if (literal != null) {
            assertTrue(found.size() <= 1, what + ": an IP literal gave " + found);
        }
    }

    /** No query of the call stays in flight: each ends after its attempts at the latest. */
    static void awaitNoFlights(String what, DnsServerLocator locator) {
        long deadline = System.nanoTime() + FLIGHT_DRAIN.toNanos();
        while (locator.stats().inFlight() != 0) {
            if (System.nanoTime() > deadline) {
                fail(what + ": still in flight " + FLIGHT_DRAIN.toMillis() + " ms after the call: " + locator.stats());
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
