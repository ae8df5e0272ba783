package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.registrar.Registers.FLOW;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sip.message.NameAddress;
import sip.message.Parameters;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.VirtualScheduler;

/**
 * The RFC 4475 REGISTER cases (MANIFEST.tsv rows cparam01, cparam02, regescrt, regaut01), read
 * byte-exact from the shared corpus, registered and queried back; and Path (RFC 3327) round trips.
 */
class TortureContactTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final LocationService store = LocationService.inMemory(clock);
    private final Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();

    @AfterEach
    void close() {
        store.close();
    }

    private Binding registerOnly(String file, String aor) {
        SipRequest register = Registers.parse(Registers.torture(file));
        RegisterOutcome.Accepted a = assertInstanceOf(RegisterOutcome.Accepted.class, registrar.process(register, FLOW));
        assertEquals(AddressOfRecord.parse(aor), a.aor());
        List<Binding> bindings = store.lookup(a.aor());
        assertEquals(1, bindings.size());
        assertEquals(bindings, a.bindings());
        return bindings.getFirst();
    }

    /** The Contact values a query for {@code to} gets back: what the registrar returns later. */
    private List<String> queried(String to) {
        SipRequest query = Registers.registerFor(to, "query", 1, "");
        SipResponse r = registrar.process(query, FLOW).response().build();
        assertEquals(200, r.statusCode());
        return r.headerValues(StandardHeader.CONTACT);
    }

    @Test
    void cparam01BareAddrSpecParameterIsAContactParameter() {
        Binding b = registerOnly("cparam01.dat", "sip:watson@example.com");
        SipUri uri = assertInstanceOf(SipUri.class, b.uri());
        assertEquals(Parameters.EMPTY, uri.parameters());
        assertTrue(b.contact().parameters().has("unknownparam"));
        assertNull(b.contact().parameters().value("unknownparam"));
        assertEquals(List.of("<sip:+19725552222@gw1.example.net>;unknownparam;expires=3600"),
                queried("sip:watson@example.com"));
    }

    @Test
    void cparam02BracketedParameterIsAUriParameter() {
        Binding b = registerOnly("cparam02.dat", "sip:watson@example.com");
        SipUri uri = assertInstanceOf(SipUri.class, b.uri());
        assertTrue(uri.parameters().has("unknownparam"));
        assertEquals(Parameters.EMPTY, b.contact().parameters());
        assertEquals(List.of("<sip:+19725552222@gw1.example.net;unknownparam>;expires=3600"),
                queried("sip:watson@example.com"));
    }

    @Test
    void cparam01AndCparam02AreDifferentBindingsOfOneAor() {
        registerOnly("cparam01.dat", "sip:watson@example.com");
        SipRequest second = Registers.parse(Registers.torture("cparam02.dat"));
        RegisterOutcome.Accepted a = assertInstanceOf(RegisterOutcome.Accepted.class, registrar.process(second, FLOW));
        // A URI parameter present on one side only is ignored by §19.1.4 unless it is one of the
        // listed ones, so the two contacts are the same URI: cparam02 (another Call-ID)
        // replaces cparam01's binding rather than adding one.
        assertEquals(1, a.bindings().size());
        assertEquals("cparam02.70710@saturn.example.com", a.bindings().getFirst().callId());
    }

    @Test
    void regescrtKeepsTheEscapedRouteHeaderByteForByte() {
        Binding b = registerOnly("regescrt.dat", "sip:user@example.com");
        SipUri uri = assertInstanceOf(SipUri.class, b.uri());
        assertEquals("<sip:sip.example.com>", uri.headers().value("Route"));
        assertEquals(List.of("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>;expires=3600"),
                queried("sip:user@example.com"));
        assertEquals(14398234, b.cseq());
    }

    @Test
    void regaut01UnknownSchemeIsChallengedByTheAuthorizerNeverAccepted() {
        Registrar guarded = Registrar.newBuilder(store).authorizer((req, aor, flow, responses) -> {
            String auth = req.header("Authorization").orElse("");
            return auth.regionMatches(true, 0, "Digest ", 0, 7) ? Optional.<SipResponse.Builder>empty()
                    : Optional.of(responses.apply(401).addHeader("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"x\""));
        }).build();
        SipRequest register = Registers.parse(Registers.torture("regaut01.dat"));
        RegisterOutcome.Rejected r = assertInstanceOf(RegisterOutcome.Rejected.class, guarded.process(register, FLOW));
        assertEquals(401, r.status().code());
        assertEquals(0, store.bindingCount());
    }

    // ------------------------------------------------------------ RFC 3327 Path

    private static final String PATH = "Path: <sip:edge.example.net;lr>, <sip:core.example.net;lr>\n";

    @Test
    void pathIsStoredInOrderAndReturnedToAUaSupportingIt() {
        SipRequest register = Registers.register("c1", 1, PATH + "Supported: path\nContact: <sip:a@192.0.2.1>\n");
        RegisterOutcome.Accepted a = assertInstanceOf(RegisterOutcome.Accepted.class, registrar.process(register, FLOW));
        List<NameAddress> path = a.bindings().getFirst().path();
        assertEquals(List.of("<sip:edge.example.net;lr>", "<sip:core.example.net;lr>"),
                path.stream().map(NameAddress::toString).toList());
        SipResponse r = a.response().build();
        assertEquals(List.of("<sip:edge.example.net;lr>", "<sip:core.example.net;lr>"),
                r.all(sip.message.HeaderType.PATH).stream().map(NameAddress::toString).toList());
        assertEquals(path, store.lookup(AddressOfRecord.parse("sip:alice@example.com")).getFirst().path());
    }

    @Test
    void pathIsStoredButNotReturnedToAUaThatDidNotSaySupportedPath() {
        SipRequest register = Registers.register("c1", 1, PATH + "Contact: <sip:a@192.0.2.1>\n");
        RegisterOutcome.Accepted a = assertInstanceOf(RegisterOutcome.Accepted.class, registrar.process(register, FLOW));
        assertEquals(2, a.bindings().getFirst().path().size());
        assertTrue(a.response().build().headerValues(StandardHeader.PATH).isEmpty());
    }

    @Test
    void aRefreshWithoutPathClearsTheStoredPath() {
        registrar.process(Registers.register("c1", 1, PATH + "Contact: <sip:a@192.0.2.1>\n"), FLOW);
        registrar.process(Registers.register("c1", 2, "Contact: <sip:a@192.0.2.1>\n"), FLOW);
        assertEquals(List.of(), store.lookup(AddressOfRecord.parse("sip:alice@example.com")).getFirst().path());
    }
}
