package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.VirtualScheduler;
import sip.transport.spi.Flow;

/**
 * Bindings reached only over their flow ({@link Binding#reachedOnlyOverFlow}) in the in-memory
 * store: removed by flow, AoR by AoR, leaving other flows and other bindings alone; the index by
 * flow empties with the bindings however they go (removal, expiry and sweep, a REGISTER
 * replacing them); a store without an index removes nothing.
 */
@Timeout(10)
class FlowBindingsTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("192.0.2.10", 8443);
    private static final Flow WS_ALICE = new Flow("ws", PROXY, new InetSocketAddress("198.51.100.7", 40000));
    private static final Flow WS_BOB = new Flow("wss", PROXY, new InetSocketAddress("198.51.100.8", 40001));
    private static final Flow TCP = new Flow("tcp", new InetSocketAddress("192.0.2.10", 5060),
            new InetSocketAddress("198.51.100.9", 40002));
    private static final AddressOfRecord ALICE = AddressOfRecord.of(SipUri.parse("sip:alice@example.com"));
    private static final AddressOfRecord BOB = AddressOfRecord.of(SipUri.parse("sip:bob@example.com"));

    private final VirtualScheduler clock = new VirtualScheduler();
    private final InMemoryLocationService store = (InMemoryLocationService) LocationService.inMemory(clock);

    @AfterEach
    void close() {
        store.close();
    }

    private Binding binding(String contact, Flow flow, Duration lifetime) {
        return new Binding(NameAddress.of(SipUri.parse(contact)), clock.instants().instant().plus(lifetime), 1.0,
                "call-" + contact, 1, List.of(), flow, clock.instants().instant());
    }

    @Test
    void whatIsReachedOnlyOverItsFlow() {
        assertTrue(binding("sip:a@host.example.com;transport=ws", WS_ALICE, Duration.ofHours(1)).reachedOnlyOverFlow(),
                "a WebSocket flow, whatever the Contact names");
        assertTrue(binding("sip:a@df7jal23ls0d.INVALID;transport=tcp", TCP, Duration.ofHours(1)).reachedOnlyOverFlow(),
                "a *.invalid Contact, whatever the transport");
        assertFalse(binding("sip:a@198.51.100.9:5060;transport=tcp", TCP, Duration.ofHours(1)).reachedOnlyOverFlow(),
                "a TCP Contact naming a host: reachable without this connection");
        assertFalse(binding("sip:a@x.invalid", null, Duration.ofHours(1)).reachedOnlyOverFlow(), "no flow known");
    }

    @Test
    void removingAFlowTakesItsBindingsOnlyAndEmptiesTheIndex() {
        Binding aliceWs = binding("sip:alice@df7jal23ls0d.invalid;transport=ws", WS_ALICE, Duration.ofHours(1));
        Binding aliceTcp = binding("sip:alice@198.51.100.9:5060;transport=tcp", TCP, Duration.ofHours(1));
        Binding bobWss = binding("sip:bob@k2j3h4.invalid;transport=ws", WS_BOB, Duration.ofHours(1));
        store.update(ALICE, l -> List.of(aliceWs, aliceTcp));
        store.update(BOB, l -> List.of(bobWss));
        assertEquals(2, store.indexedFlows(), "the two WebSocket flows; not the TCP one");

        Map<AddressOfRecord, List<Binding>> removed = store.removeBindingsOver(WS_ALICE);

        assertEquals(Map.of(ALICE, List.of(aliceWs)), removed);
        assertEquals(List.of(aliceTcp), store.lookup(ALICE));
        assertEquals(List.of(bobWss), store.lookup(BOB));
        assertEquals(2, store.storedBindingCount());
        assertEquals(1, store.indexedFlows());
        assertEquals(Map.of(), store.removeBindingsOver(WS_ALICE), "nothing left on it");
        assertEquals(Map.of(), store.removeBindingsOver(TCP), "a TCP contact naming a host stays");
        assertEquals(List.of(aliceTcp), store.lookup(ALICE));
    }

    @Test
    void oneFlowCarryingSeveralAorsLosesThemAll() {
        Binding alice = binding("sip:alice@a.invalid;transport=ws", WS_ALICE, Duration.ofHours(1));
        Binding bob = binding("sip:bob@a.invalid;transport=ws", WS_ALICE, Duration.ofHours(1));
        store.update(ALICE, l -> List.of(alice));
        store.update(BOB, l -> List.of(bob));

        assertEquals(Map.of(ALICE, List.of(alice), BOB, List.of(bob)), store.removeBindingsOver(WS_ALICE));
        assertEquals(0, store.aorCount());
        assertEquals(0, store.storedBindingCount());
        assertEquals(0, store.indexedFlows());
    }

    @Test
    void theIndexForgetsBindingsThatExpireOrAreReplaced() {
        store.update(ALICE, l -> List.of(binding("sip:alice@a.invalid;transport=ws", WS_ALICE, Duration.ofSeconds(60))));
        store.update(BOB, l -> List.of(binding("sip:bob@b.invalid;transport=ws", WS_BOB, Duration.ofHours(1))));
        assertEquals(2, store.indexedFlows());

        clock.advance(Duration.ofSeconds(61));
        store.sweep();
        assertEquals(1, store.indexedFlows(), "Alice's binding expired and was swept");
        assertEquals(Map.of(), store.removeBindingsOver(WS_ALICE));

        store.update(BOB, l -> List.of()); // unregistered
        assertEquals(0, store.indexedFlows());

        // Re-registering over a new connection moves the entry to the new flow.
        store.update(ALICE, l -> List.of(binding("sip:alice@a.invalid;transport=ws", WS_ALICE, Duration.ofHours(1))));
        store.update(ALICE, l -> List.of(binding("sip:alice@a.invalid;transport=ws", WS_BOB, Duration.ofHours(1))));
        assertEquals(1, store.indexedFlows());
        assertEquals(Map.of(), store.removeBindingsOver(WS_ALICE), "the old flow carries nothing now");
        assertEquals(1, store.removeBindingsOver(WS_BOB).get(ALICE).size());
        assertEquals(0, store.indexedFlows());
    }

    @Test
    void aRegistrarRemovesWhatTheStoreRemovesAndAStoreWithoutAnIndexRemovesNothing() {
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        RegisterOutcome out = registrar.process(Registers.registerFor("sip:alice@example.com", "c1", 1,
                "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\n"), WS_ALICE);
        assertEquals(200, out.response().build().statusCode());

        Map<AddressOfRecord, List<Binding>> removed = registrar.flowClosed(WS_ALICE);
        assertEquals(1, removed.get(ALICE).size());
        assertEquals(WS_ALICE, removed.get(ALICE).getFirst().flow());
        assertEquals(List.of(), store.lookup(ALICE));

        LocationService plain = new Delegating(LocationService.inMemory(clock));
        Registrar unindexed = Registrar.newBuilder(plain).authorizer(RegisterAuthorizer.allowAll()).build();
        unindexed.process(Registers.registerFor("sip:alice@example.com", "c2", 1,
                "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\n"), WS_ALICE);
        assertEquals(Map.of(), unindexed.flowClosed(WS_ALICE), "the SPI's default: nothing, the binding expires");
        assertEquals(1, plain.lookup(ALICE).size());
        unindexed.close();
    }

    /** A store implementing only what the SPI had before {@link LocationService#removeBindingsOver}. */
    private record Delegating(LocationService inner) implements LocationService {
        @Override
        public List<Binding> lookup(AddressOfRecord aor) {
            return inner.lookup(aor);
        }

        @Override
        public List<Binding> update(AddressOfRecord aor, UnaryOperator<List<Binding>> change) {
            return inner.update(aor, change);
        }

        @Override
        public int bindingCount() {
            return inner.bindingCount();
        }

        @Override
        public int storedBindingCount() {
            return inner.storedBindingCount();
        }

        @Override
        public int aorCount() {
            return inner.aorCount();
        }

        @Override
        public InstantSource clock() {
            return inner.clock();
        }

        @Override
        public void sweep() {
            inner.sweep();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
