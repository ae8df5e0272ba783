package sip.fuzz.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;

/**
 * {@link DnsServerLocator#locate} against a hostile DNS server ({@link HostileResponder} serving
 * a {@link FuzzedZone}): for a fuzzer-chosen {@code sip}/{@code sips} URI (names that NAPTR, SRV
 * and CNAME records of the zone connect, a dotless name for the search list, IP literals, ports,
 * {@code transport=}, {@code maddr}) and a fuzzer-chosen set of protocols, the call returns
 * destinations or throws an {@link IOException}, within the lookup timeout, and the destinations
 * keep {@link LocatorContract}; the rules of RFC 3263 that need no DNS hold too: an IP literal
 * sends no query and gives itself, a port or {@code transport=} is kept, no protocol means no
 * query. Each input gets a fresh locator (no cache carried over); the responder serves the class.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays
 * {@code src/test/resources/sip/fuzz/dns/HostileAnswersFuzzTestInputs/hostileAnswers/}, and
 * {@link #hostileAnswersSeeded} runs the property over seeded inputs. See FUZZING.md.
 */
class HostileAnswersFuzzTest {
    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 150);

    private static final List<String> HOSTS = List.of("example.test", "EXAMPLE.Test", "example.test.", "sip1",
            "s1.example.test", "alias.example.test", "missing.example.test", "other.test", "127.0.0.1", "[::1]",
            "[2001:db8::1]", "10.0.0.1");
    private static final List<String> TRANSPORTS = List.of("udp", "tcp", "tls", "ws", "wss", "sctp", "UDP", "Tls");
    private static final List<String> PROTOCOLS = List.of("udp", "tcp", "tls", "ws", "wss");

    @RegisterExtension
    static final ClassResponder responder = new ClassResponder();

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void hostileAnswers(FuzzedDataProvider data) {
        SeededRuns.fuzz(responder, data, HostileAnswersFuzzTest::run);
    }

    @Test
    void hostileAnswersSeeded() {
        SeededRuns.seeded(responder, FIRST_SEED, SEEDS, HostileAnswersFuzzTest::run,
                Set.of("found", "empty", "TIMEOUT", "SERVER_FAILURE", "NO_SUCH_NAME",
                "NO_RECORDS", "MALFORMED", "REFUSED"));
    }

    /** What the caller asks: a URI, its protocols, the address family. */
    record Target(SipUri uri, Set<String> protocols, AddressFamily family) {
        static Target draw(Draws d) {
            StringBuilder s = new StringBuilder(d.percent(30) ? "sips:" : "sip:");
            if (d.bool()) {
                s.append("alice@");
            }
            s.append(d.pick(HOSTS));
            if (d.percent(25)) {
                s.append(':').append(d.pickOf(5060, 5061, 1, 65535, d.between(1, 65535)));
            }
            if (d.percent(30)) {
                s.append(";transport=").append(d.pick(TRANSPORTS));
            }
            if (d.percent(15)) {
                s.append(";maddr=").append(d.pick(HOSTS));
            }
            Set<String> protocols = new LinkedHashSet<>();
            for (String p : PROTOCOLS) {
                if (d.percent(60)) {
                    protocols.add(p);
                }
            }
            return new Target(SipUri.parse(s.toString()), Set.copyOf(protocols), d.pick(List.of(AddressFamily.values())));
        }

        /** The host located: maddr's when present. */
        String host() {
            String maddr = uri.parameter("maddr");
            return maddr != null && !maddr.isEmpty() ? maddr : uri.host();
        }

        /**
         * The protocol {@code transport=} asks for: as written for {@code sip}; for {@code sips}
         * TLS over tcp/tls, WSS over ws/wss, else none (null: SIPS needs TLS, RFC 3261 §26.2.2).
         */
        String wantedTransport() {
            String transport = uri.transport();
            if (!uri.secure()) {
                return transport;
            }
            return switch (transport) {
                case "tcp", "tls" -> "tls";
                case "ws", "wss" -> "wss";
                default -> null;
            };
        }

        boolean literal() {
            String h = host();
            return h.startsWith("[") || Character.isDigit(h.charAt(0));
        }
    }

    /** @return {@link LocatorContract#label} of the outcome */
    static String run(Draws d) {
        Target t = Target.draw(d);
        FuzzedZone zone = FuzzedZone.draw(d, 24, 30);
        responder.serve(zone);
        String what = "locate(" + t.uri() + ", " + t.protocols() + ", " + t.family() + ") from " + zone;
        LocatorContract.Outcome outcome;
        try (DnsServerLocator locator = LocatorContract.locator(responder.address(), t.family(), null)) {
            outcome = LocatorContract.call(what, () -> locator.locate(t.uri(), t.protocols()));
            if (outcome instanceof LocatorContract.Outcome.Found(List<Destination> found)) {
                LocatorContract.checkDestinations(what, found, t.protocols(), t.uri().secure(), t.uri().port(),
                        t.family(), t.literal() ? t.host() : null);
                String transport = t.uri().transport();
                if (transport != null) {
                    String wanted = t.wantedTransport();
                    for (Destination dest : found) {
                        assertEquals(wanted, dest.protocol(), what + ": transport= not kept: " + found);
                    }
                }
                for (Destination dest : found) {
                    if (dest.serverName() != null) {
                        String host = t.host().endsWith(".") ? t.host().substring(0, t.host().length() - 1) : t.host();
                        assertTrue(dest.serverName().equalsIgnoreCase(host)
                                || dest.serverName().equalsIgnoreCase(host + "." + FuzzedZone.DOMAIN),
                                what + ": server name " + dest.serverName() + " is not the SIP domain (RFC 5922)");
                    }
                }
            } else if (t.literal()) {
                throw new AssertionError(what + ": an IP literal needs no DNS, yet " + outcome);
            }
            // no usable transport: no protocol at all, or a sips URI naming one without TLS (finding D2)
            boolean noTransport = t.protocols().isEmpty() || t.uri().transport() != null && t.wantedTransport() == null;
            if (t.literal() || noTransport) {
                assertEquals(0, locator.stats().queriesSent(), what + ": queried DNS for " + t.host() + " " + t.protocols());
            }
            if (noTransport) {
                assertEquals(new LocatorContract.Outcome.Found(List.of()), outcome, what + ": no usable transport, yet");
            }
            LocatorContract.awaitNoFlights(what, locator);
            boolean neededDns = locator.stats().queriesSent() > 0;
            locator.close();
            if (neededDns) {   // a call that needs no lookup (a literal, no usable protocol) may still answer
                assertThrows(IOException.class, () -> locator.locate(t.uri(), t.protocols()), what + ": after close");
            }
        }
        assertNull(responder.failure(), "the responder itself failed");
        return LocatorContract.label(outcome);
    }
}
