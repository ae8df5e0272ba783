package sip.router.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.message.Via;

/** §16.4 route processing and the loop-detection hash, as pure functions. */
class RouteProcessingTest {

    private static final Predicate<SipUri> OURS = u -> u.host().equals("10.0.0.10") && u.port() == 5060;
    private static final NameAddress OWN_UDP = NameAddress.of(SipUri.parse("sip:10.0.0.10:5060;lr"));
    private static final NameAddress OWN_TCP = NameAddress.of(SipUri.parse("sip:10.0.0.10:5060;transport=tcp;lr"));
    private static final NameAddress NEXT = NameAddress.of(SipUri.parse("sip:10.0.0.20;lr"));

    private static SipRequest request(Uri uri, NameAddress... routes) {
        SipRequest.Builder b = SipRequest.builder(Method.INVITE, uri)
                .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("a"))
                .to(NameAddress.of(SipUri.parse("sip:bob@example.com")))
                .callId("rp-1").cseq(1)
                .via(Via.of("UDP", "10.0.0.1", 5060, "z9hG4bK-1"));
        for (NameAddress r : routes) {
            b.add(HeaderType.ROUTE, r);
        }
        return b.build();
    }

    @Test
    void untouchedWithoutOwnRoutes() {
        SipRequest r = request(SipUri.parse("sip:bob@example.com"), NEXT);
        RouteProcessing.Routed routed = RouteProcessing.process(r, OURS);
        assertSame(r, routed.request());
        assertFalse(routed.toUs());
    }

    @Test
    void bothOwnRoutesOfADoubleRecordRouteAreRemoved() {
        RouteProcessing.Routed routed = RouteProcessing.process(
                request(SipUri.parse("sip:bob@example.com"), OWN_UDP, OWN_TCP, NEXT), OURS);
        assertTrue(routed.toUs());
        assertEquals(List.of(NEXT), routed.request().all(HeaderType.ROUTE));
    }

    @Test
    void aStrictRoutedRequestGetsItsRequestUriBack() {
        SipUri target = SipUri.parse("sip:bob@10.0.0.2");
        RouteProcessing.Routed routed = RouteProcessing.process(
                request(OWN_UDP.uri(), NEXT, NameAddress.of(target)), OURS);
        assertTrue(routed.toUs());
        assertEquals(target, routed.request().requestUri());
        assertEquals(List.of(NEXT), routed.request().all(HeaderType.ROUTE));
    }

    @Test
    void theLoopHashFollowsRoutingInputsNotVias() {
        SipRequest a = request(SipUri.parse("sip:bob@example.com"), NEXT);
        SipRequest sameOtherVia = a.toBuilder().via(Via.of("UDP", "10.0.0.10", 5060, "z9hG4bK-x")).build();
        SipRequest retargeted = a.toBuilder().requestUri(SipUri.parse("sip:bob@10.0.0.2")).build();
        assertEquals(LoopHash.of(a), LoopHash.of(sameOtherVia));
        assertNotEquals(LoopHash.of(a), LoopHash.of(retargeted));
        String hash = LoopHash.of(a);
        SipRequest back = a.toBuilder().via(Via.of("UDP", "10.0.0.10", 5060, "z9hG4bKrandom." + hash)).build();
        assertTrue(LoopHash.isLoop(back, hash, OURS));
        SipRequest elsewhere = a.toBuilder().via(Via.of("UDP", "10.0.0.99", 5060, "z9hG4bKrandom." + hash)).build();
        assertFalse(LoopHash.isLoop(elsewhere, hash, OURS), "not our Via");
        assertFalse(LoopHash.isLoop(back, LoopHash.of(retargeted), OURS), "a spiral");
    }
}
