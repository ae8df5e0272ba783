package sip.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.internal.transport.HostAddresses;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.LocationService;
import sip.transport.spi.Flow;

/** REVIEW-R findings on SIP over WebSocket above the transport (see /work/notes/ws-review-router.md). */
@Timeout(10)
class ReviewWsFindingsTest {

    private static final Flow WS_ALICE = new Flow("ws", new InetSocketAddress("192.0.2.10", 8443),
            new InetSocketAddress("198.51.100.7", 40000));
    private static final AddressOfRecord ALICE = AddressOfRecord.of(SipUri.parse("sip:alice@example.com"));

    private final VirtualScheduler clock = new VirtualScheduler();
    private final LocationService store = LocationService.inMemory(clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theReservedTopLevelNameItselfIsInvalid() {
        assertTrue(HostAddresses.isInvalidName("invalid"), "RFC 6761 §6.4: 'invalid.' and every name under it");
        assertTrue(HostAddresses.isInvalidName("INVALID."), "a trailing dot, any case");
    }

    @Test
    void aBindingStoredAfterItsFlowClosedDoesNotSurvive() {
        // The order a REGISTER handler thread and the flow-closed thread can take: the close is
        // handled first (nothing indexed yet), then the REGISTER received just before it commits.
        store.removeBindingsOver(WS_ALICE);
        Binding late = new Binding(NameAddress.of(SipUri.parse("sip:alice@df7jal23ls0d.invalid;transport=ws")),
                clock.instants().instant().plus(Duration.ofSeconds(600)), 1.0, "call-1", 1, List.of(), WS_ALICE,
                clock.instants().instant());
        store.update(ALICE, l -> List.of(late));

        assertEquals(List.of(), store.lookup(ALICE),
                "a binding over a closed WebSocket flow can never be reached, yet stays for its whole lifetime");
    }

    @Test
    void aFlowClosedLongerAgoThanATransactionLivesNoLongerDropsItsBindings() {
        store.removeBindingsOver(WS_ALICE);
        clock.advance(Duration.ofSeconds(33));
        Binding later = new Binding(NameAddress.of(SipUri.parse("sip:alice@df7jal23ls0d.invalid;transport=ws")),
                clock.instants().instant().plus(Duration.ofSeconds(600)), 1.0, "call-2", 1, List.of(), WS_ALICE,
                clock.instants().instant());
        store.update(ALICE, l -> List.of(later));

        assertEquals(List.of(later), store.lookup(ALICE), "the close is remembered for 32 s only");
    }
}
