package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.registrar.Registers.FLOW;
import static sip.router.registrar.Registers.register;
import static sip.router.registrar.Registers.registerFor;

import java.time.Duration;
import java.time.Instant;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.VirtualScheduler;

/** REGISTER processing, RFC 3261 §10.3 step by step, on a virtual clock. */
class RegistrarTest {

    private static final AddressOfRecord ALICE = AddressOfRecord.parse("sip:alice@example.com");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final LocationService store = LocationService.inMemory(clock);
    private Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();

    @AfterEach
    void close() {
        store.close();
    }

    private SipResponse accepted(SipRequest register) {
        RegisterOutcome o = registrar.process(register, FLOW);
        RegisterOutcome.Accepted a = assertInstanceOf(RegisterOutcome.Accepted.class, o, () -> o.response().build().toString());
        SipResponse r = a.response().build();
        assertEquals(200, r.statusCode());
        return r;
    }

    private SipResponse rejected(SipRequest register, int code) {
        RegisterOutcome o = registrar.process(register, FLOW);
        RegisterOutcome.Rejected r = assertInstanceOf(RegisterOutcome.Rejected.class, o, () -> o.response().build().toString());
        assertEquals(code, r.status().code());
        SipResponse response = r.response().build();
        assertEquals(code, response.statusCode());
        return response;
    }

    private static List<String> contacts(SipResponse r) {
        return r.headerValues(StandardHeader.CONTACT);
    }

    // ------------------------------------------------------------ step 6: expiry

    @Test
    void bindingTimesAreEpochInstantsOnTheStoresClock() {
        // The virtual clock starts at the epoch; the registrar has no clock but the store's.
        clock.advance(Duration.ofSeconds(100));
        accepted(register("c1", 1, "Contact: <sip:alice@192.0.2.1:5070>;expires=600\n"));
        Binding b = store.lookup(ALICE).getFirst();
        assertEquals(Instant.EPOCH.plusSeconds(100), b.updatedAt());
        assertEquals(Instant.EPOCH.plusSeconds(700), b.expiresAt());
        assertEquals(600, b.remainingSeconds(store.clock().instant()));
    }

    @Test
    void closingTheRegistrarStopsItsStoresSweep() {
        assertEquals(List.of(Duration.ofSeconds(30)), clock.pendingDelays());
        registrar.close();
        assertEquals(0, clock.pending());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(0, clock.pending(), "nothing re-armed");
        registrar.close();
    }

    @Test
    void aContactWithoutExpiryGetsTheDefaultAndThe200ListsIt() {
        SipResponse r = accepted(register("c1", 1, "Contact: <sip:alice@192.0.2.1:5070>\n"));
        assertEquals(List.of("<sip:alice@192.0.2.1:5070>;expires=3600"), contacts(r));
        Binding b = store.lookup(ALICE).getFirst();
        assertEquals(Duration.ofHours(1), b.remaining(clock.instants().instant()));
        assertEquals("c1", b.callId());
        assertEquals(1, b.cseq());
        assertEquals(FLOW, b.flow());
        assertEquals(1.0, b.q());
    }

    @Test
    void theExpiresHeaderAppliesToContactsWithoutAParameterWhichWins() {
        SipResponse r = accepted(register("c1", 1, "Expires: 600\n"
                + "Contact: <sip:a@192.0.2.1>, <sip:b@192.0.2.2>;expires=900\n"));
        assertEquals(List.of("<sip:a@192.0.2.1>;expires=600", "<sip:b@192.0.2.2>;expires=900"),
                contacts(r).stream().sorted().toList());
    }

    @Test
    void anExpiryAboveTheMaximumIsShortened() {
        SipResponse r = accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>;expires=100000\n"));
        assertEquals(List.of("<sip:a@192.0.2.1>;expires=7200"), contacts(r));
        assertEquals(Duration.ofSeconds(7200), store.lookup(ALICE).getFirst().remaining(clock.instants().instant()));
    }

    @Test
    void anExpiryBelowTheMinimumIs423WithMinExpiresAndChangesNothing() {
        SipResponse r = rejected(register("c1", 1, "Contact: <sip:a@192.0.2.1>, <sip:b@192.0.2.1>;expires=59\n"), 423);
        assertEquals("60", r.header(StandardHeader.MIN_EXPIRES).orElseThrow());
        assertEquals("Interval Too Brief", r.status().reason());
        assertEquals(0, store.bindingCount());
        rejected(register("c1", 2, "Expires: 1\nContact: <sip:a@192.0.2.1>\n"), 423);
        accepted(register("c1", 3, "Contact: <sip:a@192.0.2.1>;expires=60\n"));
    }

    @Test
    void theMinimumIsConfigurable() {
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).minExpires(Duration.ofSeconds(300)).build();
        assertEquals("300", rejected(register("c1", 1, "Contact: <sip:a@192.0.2.1>;expires=299\n"), 423)
                .header(StandardHeader.MIN_EXPIRES).orElseThrow());
        assertThrows(IllegalArgumentException.class,
                () -> Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).minExpires(Duration.ofSeconds(3601)));
    }

    @Test
    void aMalformedExpiresParameterIs400() {
        SipResponse r = rejected(Registers.lazyRegister("c1", 1, "Contact: <sip:a@192.0.2.1>;expires=soon\n"), 400);
        assertTrue(r.status().reason().startsWith("Bad Request ("), r.status().reason());
    }

    // ------------------------------------------------------------ step 7: add, refresh, remove

    @Test
    void aRefreshReplacesTheBindingAndRestartsItsExpiry() {
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>\n"));
        clock.advance(Duration.ofSeconds(1000));
        assertEquals(List.of("<sip:a@192.0.2.1>;expires=2600"), contacts(accepted(register("c1", 2, ""))));
        SipResponse r = accepted(register("c1", 3, "Contact: <sip:a@192.0.2.1>;expires=1800\n"));
        assertEquals(List.of("<sip:a@192.0.2.1>;expires=1800"), contacts(r));
        assertEquals(1, store.bindingCount());
        assertEquals(3, store.lookup(ALICE).getFirst().cseq());
    }

    @Test
    void expiresZeroRemovesOneBindingAndThe200ListsTheRest() {
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>, <sip:b@192.0.2.2>\n"));
        SipResponse r = accepted(register("c1", 2, "Contact: <sip:a@192.0.2.1>;expires=0\n"));
        assertEquals(List.of("<sip:b@192.0.2.2>;expires=3600"), contacts(r));
        assertEquals(1, store.bindingCount());
        SipResponse none = accepted(register("c1", 3, "Expires: 0\nContact: <sip:b@192.0.2.2>\n"));
        assertEquals(List.of(), contacts(none));
        assertEquals(0, store.aorCount());
    }

    @Test
    void contactsAreMatchedByUriEquivalenceNotText() {
        accepted(register("c1", 1, "Contact: <sip:a@EXAMPLE.net;transport=udp>\n"));
        accepted(register("c1", 2, "Contact: \"A\" <sip:%61@example.net;transport=UDP>;expires=0\n"));
        assertEquals(0, store.bindingCount());
    }

    @Test
    void aQueryListsEveryBindingWithItsRemainingExpiryAndChangesNothing() {
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>;expires=100\n"));
        accepted(register("other", 1, "Contact: <sip:b@192.0.2.2>;expires=200\n"));
        clock.advance(Duration.ofMillis(10_500));
        SipResponse r = accepted(register("third", 9, ""));
        // Rounded up: a binding still alive never reports expires=0.
        assertEquals(List.of("<sip:a@192.0.2.1>;expires=90", "<sip:b@192.0.2.2>;expires=190"),
                contacts(r).stream().sorted().toList());
        assertEquals(2, store.bindingCount());
    }

    // ------------------------------------------------------------ step 7: Call-ID and CSeq

    @Test
    void sameCallIdWithACSeqNotHigherIs500AndChangesNothing() {
        accepted(register("c1", 5, "Contact: <sip:a@192.0.2.1>;expires=100\n"));
        for (long cseq : new long[] {5, 4}) {
            SipResponse r = rejected(register("c1", cseq, "Contact: <sip:a@192.0.2.1>;expires=0, <sip:new@192.0.2.9>\n"), 500);
            assertTrue(r.status().reason().startsWith("Server Internal Error ("), r.status().reason());
        }
        // All or nothing: the new contact in the aborted requests was not added either.
        List<Binding> now = store.lookup(ALICE);
        assertEquals(1, now.size());
        assertEquals(5, now.getFirst().cseq());
        accepted(register("c1", 6, "Contact: <sip:a@192.0.2.1>;expires=0\n"));
        assertEquals(0, store.bindingCount());
    }

    @Test
    void anotherCallIdUpdatesWhateverItsCSeq() {
        accepted(register("c1", 50, "Contact: <sip:a@192.0.2.1>;expires=100\n"));
        accepted(register("rebooted", 1, "Contact: <sip:a@192.0.2.1>;expires=300\n"));
        Binding b = store.lookup(ALICE).getFirst();
        assertEquals("rebooted", b.callId());
        assertEquals(Duration.ofSeconds(300), b.remaining(clock.instants().instant()));
    }

    // ------------------------------------------------------------ step 6: the wildcard

    @Test
    void wildcardWithExpiresZeroRemovesEveryBinding() {
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>\n"));
        accepted(register("c2", 1, "Contact: <sip:b@192.0.2.2>\n"));
        SipResponse r = accepted(register("c3", 1, "Contact: *\nExpires: 0\n"));
        assertEquals(List.of(), contacts(r));
        assertEquals(0, store.bindingCount());
        assertEquals(0, store.aorCount());
    }

    @Test
    void wildcardWithTheSameCallIdNeedsAHigherCSeq() {
        accepted(register("c1", 7, "Contact: <sip:a@192.0.2.1>\n"));
        rejected(register("c1", 7, "Contact: *\nExpires: 0\n"), 500);
        assertEquals(1, store.bindingCount());
        accepted(register("c1", 8, "Contact: *\nExpires: 0\n"));
        assertEquals(0, store.bindingCount());
    }

    @Test
    void wildcardMustStandAloneWithExpiresZero() {
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>\n"));
        rejected(register("c2", 1, "Contact: *\n"), 400);
        rejected(register("c2", 2, "Contact: *\nExpires: 10\n"), 400);
        rejected(register("c2", 3, "Contact: *, <sip:b@192.0.2.2>\nExpires: 0\n"), 400);
        rejected(register("c2", 4, "Contact: <sip:b@192.0.2.2>\nContact: *\nExpires: 0\n"), 400);
        assertEquals(1, store.bindingCount());
    }

    // ------------------------------------------------------------ q, bounds, AoR, hooks

    @Test
    void lookupsAreOrderedByQThenMostRecent() {
        accepted(register("c1", 1, "Contact: <sip:low@192.0.2.1>;q=0.1\n"));
        clock.advance(Duration.ofSeconds(1));
        accepted(register("c1", 2, "Contact: <sip:old@192.0.2.2>;q=0.7\n"));
        clock.advance(Duration.ofSeconds(1));
        accepted(register("c1", 3, "Contact: <sip:top@192.0.2.3>\n"));
        clock.advance(Duration.ofSeconds(1));
        SipResponse r = accepted(register("c1", 4, "Contact: <sip:new@192.0.2.4>;q=0.7\n"));
        List<String> order = store.lookup(ALICE).stream().map(b -> ((SipUri) b.uri()).user()).toList();
        assertEquals(List.of("top", "new", "old", "low"), order);
        assertEquals(List.of(1.0, 0.7, 0.7, 0.1), store.lookup(ALICE).stream().map(Binding::q).toList());
        assertEquals("<sip:top@192.0.2.3>;expires=3599", contacts(r).getFirst());
    }

    @Test
    void bindingsBeyondTheBoundAre403AndChangeNothing() {
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).maxBindingsPerAor(2).build();
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>, <sip:b@192.0.2.2>\n"));
        SipResponse r = rejected(register("c1", 2, "Contact: <sip:c@192.0.2.3>\n"), 403);
        assertEquals("Forbidden (too many bindings)", r.status().reason());
        assertEquals(2, store.bindingCount());
        // Replacing one within the bound is fine.
        accepted(register("c1", 3, "Contact: <sip:a@192.0.2.1>;expires=0, <sip:c@192.0.2.3>\n"));
        assertEquals(2, store.bindingCount());
    }

    @Test
    void aRegistrarNeedsAnAuthorizerNamedExplicitly() {
        assertThrows(IllegalStateException.class, () -> Registrar.newBuilder(store).build());
    }

    @Test
    void bindingsBeyondTheGlobalBoundAre503WithRetryAfterAndChangeNothing() {
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).maxBindings(2).build();
        accepted(register("c1", 1, "Contact: <sip:a@192.0.2.1>\n"));
        accepted(registerFor("sip:bob@example.com", "c2", 1, "Expires: 120\nContact: <sip:b@192.0.2.2>\n"));
        SipResponse r = rejected(registerFor("sip:carol@example.com", "c3", 1, "Contact: <sip:c@192.0.2.3>\n"), 503);
        assertEquals("Service Unavailable (registrar full)", r.status().reason());
        assertEquals("60", r.header("Retry-After").orElseThrow());
        assertEquals(2, store.bindingCount());
        // A refresh adds nothing and still goes through at the bound.
        accepted(register("c1", 2, "Contact: <sip:a@192.0.2.1>\n"));
        // Expired bindings do not count, even before the periodic sweep removes them.
        clock.advance(Duration.ofSeconds(121));
        accepted(registerFor("sip:carol@example.com", "c3", 2, "Contact: <sip:c@192.0.2.3>\n"));
        assertEquals(2, store.aorCount());
    }

    @Test
    void moreThanTheAllowedPathEntriesIs403AndChangesNothing() {
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).maxPathEntries(2).build();
        SipResponse r = rejected(register("c1", 1, "Path: <sip:p1.example.net;lr>, <sip:p2.example.net;lr>, "
                + "<sip:p3.example.net;lr>\nContact: <sip:a@192.0.2.1>\n"), 403);
        assertEquals("Forbidden (too many Path entries)", r.status().reason());
        assertEquals(0, store.bindingCount());
        accepted(register("c1", 2, "Path: <sip:p1.example.net;lr>, <sip:p2.example.net;lr>\n"
                + "Contact: <sip:a@192.0.2.1>\n"));
        assertEquals(2, store.lookup(ALICE).getFirst().path().size());
    }

    @Test
    void theAorIsTheCanonicalToUri() {
        accepted(registerFor("sip:%61lice@EXAMPLE.com;user=phone", "c1", 1, "Contact: <sip:a@192.0.2.1>\n"));
        assertEquals(1, store.lookup(ALICE).size());
        assertEquals(ALICE, AddressOfRecord.parse("sip:alice@example.com;transport=tcp?Subject=x"));
        assertEquals(List.of(), store.lookup(AddressOfRecord.parse("sips:alice@example.com")));
        assertEquals(List.of(), store.lookup(AddressOfRecord.parse("sip:alice@example.com:5060")));
        assertEquals(List.of(), store.lookup(AddressOfRecord.parse("sip:Alice@example.com")));
    }

    @Test
    void aToThatIsNoSipUriOrOfAnotherDomainIs404() {
        rejected(registerFor("tel:+15551234", "c1", 1, "Contact: <sip:a@192.0.2.1>\n"), 404);
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).domains("Example.COM").build();
        rejected(registerFor("sip:alice@example.org", "c1", 2, "Contact: <sip:a@192.0.2.1>\n"), 404);
        accepted(register("c1", 3, "Contact: <sip:a@192.0.2.1>\n"));
        assertEquals(1, store.bindingCount());
    }

    @Test
    void anAorNotOfTheRequestUriDomainIs404UnlessBothAreConfiguredAliases() {
        // The Request-URI is sip:example.com; Bob's AoR is of another domain.
        rejected(registerFor("sip:bob@example.org", "c1", 1, "Contact: <sip:b@192.0.2.2>\n"), 404);
        SipRequest toAddress = Registers.parse(register("c2", 1, "Contact: <sip:a@192.0.2.1>\n").toString()
                .replace("REGISTER sip:example.com ", "REGISTER sip:192.0.2.10 ")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        rejected(toAddress, 404);
        assertEquals(0, store.bindingCount());
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll())
                .domains("example.com", "192.0.2.10").build();
        accepted(toAddress);
        rejected(registerFor("sip:bob@example.org", "c1", 2, "Contact: <sip:b@192.0.2.2>\n"), 404);
        assertEquals(1, store.bindingCount());
    }

    @Test
    void theAuthorizerRunsWithTheAorBeforeAnyBindingIsTouched() {
        AtomicReference<AddressOfRecord> seen = new AtomicReference<>();
        registrar = Registrar.newBuilder(store).authorizer((req, aor, flow, responses) -> {
            seen.set(aor);
            return req.header("Authorization").isPresent() ? Optional.empty()
                    : Optional.of(responses.apply(401).addHeader("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"n\""));
        }).build();
        SipResponse r = rejected(register("c1", 1, "Contact: <sip:a@192.0.2.1>\n"), 401);
        assertEquals("Digest realm=\"example.com\", nonce=\"n\"", r.header("WWW-Authenticate").orElseThrow());
        assertEquals(ALICE, seen.get());
        assertEquals(0, store.bindingCount());
        accepted(register("c1", 2, "Authorization: Digest username=\"alice\"\nContact: <sip:a@192.0.2.1>\n"));
        assertEquals(1, store.bindingCount());
    }

    @Test
    void onlyRegisterIsProcessed() {
        SipRequest options = Registers.parse(register("c1", 1, "").toString().replace("REGISTER", "OPTIONS")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Method.OPTIONS, options.method());
        assertThrows(IllegalArgumentException.class, () -> registrar.process(options, FLOW));
    }

    @Test
    void a200CarriesDateOnlyWithAWallClock() {
        assertTrue(accepted(register("c1", 1, "")).header(StandardHeader.DATE).isEmpty());
        registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll())
                .date(InstantSource.fixed(Instant.parse("2026-11-27T11:40:00.750Z"))).build();
        assertEquals("Fri, 27 Nov 2026 11:40:00 GMT",
                accepted(register("c1", 2, "")).header(StandardHeader.DATE).orElseThrow());
    }

    @Test
    void aMalformedPathOrSupportedIs400BeforeAnythingIsWritten() {
        rejected(Registers.lazyRegister("c1", 1, "Path: <sip:edge.example.net;lr\nContact: <sip:a@192.0.2.1>\n"), 400);
        rejected(Registers.lazyRegister("c1", 2, "Supported: pa th\nContact: <sip:a@192.0.2.1>\n"), 400);
        assertEquals(0, store.bindingCount());
    }

    @Test
    void theLocationServiceIsTheOneGiven() {
        assertSame(store, registrar.locationService());
    }
}
