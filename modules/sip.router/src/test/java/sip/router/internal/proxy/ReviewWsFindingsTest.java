package sip.router.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.transport.spi.Flow;

/**
 * REVIEW-R findings on the proxy's flow token ({@code pf}). Here, not in sip.router, because
 * {@link ProxyKeys} is package-private.
 */
@Timeout(10)
class ReviewWsFindingsTest {

    private static final InetSocketAddress WS_LISTENER = new InetSocketAddress("192.0.2.10", 8443);
    private static final Flow ALICE_FIRST = new Flow("ws", WS_LISTENER, new InetSocketAddress("198.51.100.7", 40000));
    /** The same browser after its WebSocket reconnected (JsSIP keeps its dialogs across that). */
    private static final Flow ALICE_AGAIN = new Flow("ws", WS_LISTENER, new InetSocketAddress("198.51.100.7", 40123));

    private static final Flow UDP_CALLEE = new Flow("udp", new InetSocketAddress("192.0.2.10", 5060),
            new InetSocketAddress("203.0.113.5", 5060));

    private final ProxyKeys keys = new ProxyKeys();

    @Test
    void aRequestFromTheBrowserSideNeverFollowsTheTokenOfItsOwnSide() {
        String dialog = keys.dialogToken("call-1", "alice-tag");
        // Alice (WS, caller) called a UDP phone: Record-Route [towards UDP, towards Alice(pf)];
        // as the caller she sends Route in reverse: first the one facing her, then the UDP one.
        SipUri facingAlice = towardsWs(dialog, keys.flowToken(ALICE_FIRST, dialog));
        SipUri facingUdp = towardsUdp(dialog);

        // Her BYE arrives over her new connection: it must go on to the UDP side (no flow), not
        // back over her dead first connection (which the proxy then answers 430 Flow Failed).
        Flow back = keys.flowBack(List.of(facingAlice, facingUdp), ALICE_AGAIN, bye("call-1", "alice-tag", "bob-tag"));

        assertNull(back, "the BYE was sent back towards its own sender's old flow: " + back);
    }

    @Test
    void aRequestFromTheFarSideFollowsTheTokenOfTheRouteAfterTheFirst() {
        String dialog = keys.dialogToken("call-1", "alice-tag");
        SipUri facingAlice = towardsWs(dialog, keys.flowToken(ALICE_FIRST, dialog));
        SipUri facingUdp = towardsUdp(dialog);

        // The UDP callee (a UAS) keeps the Record-Route order: first the Route facing it.
        assertEquals(ALICE_FIRST, keys.flowBack(List.of(facingUdp, facingAlice), UDP_CALLEE, bye("call-1", "bob-tag", "alice-tag")));
        // One own Route alone faces its sender: its token is never followed.
        assertNull(keys.flowBack(List.of(facingAlice), UDP_CALLEE, bye("call-1", "bob-tag", "alice-tag")));
    }

    @Test
    void aFlowTokenIsFollowedOnlyInItsOwnDialog() {
        // The UDP callee of Alice's call saw both Record-Routes, so it knows her flow token; it
        // also holds another dialog through this proxy (call-2), whose token it may present.
        String aliceDialog = keys.dialogToken("call-1", "alice-tag");
        String otherDialog = keys.dialogToken("call-2", "carol-tag");
        String alicesFlow = keys.flowToken(ALICE_FIRST, aliceDialog);
        SipUri facingUdp = towardsUdp(otherDialog);
        SipRequest inOtherDialog = bye("call-2", "bob-tag", "carol-tag");

        SipUri besideOther = towardsWs(otherDialog, alicesFlow);
        assertNull(keys.flowBack(List.of(facingUdp, besideOther), UDP_CALLEE, inOtherDialog),
                "Alice's flow token beside another dialog's token");
        SipUri besideAlices = towardsWs(aliceDialog, alicesFlow);
        assertNull(keys.flowBack(List.of(facingUdp, besideAlices), UDP_CALLEE, inOtherDialog),
                "Alice's own Route in a request of another dialog");
    }

    /** This proxy's Record-Route facing the WebSocket side: dialog token and flow token. */
    private static SipUri towardsWs(String dialog, String flowToken) {
        return SipUri.parse("sip:192.0.2.10:8443;transport=ws;lr").withParameter(ProxyKeys.PARAMETER, dialog)
                .withParameter(ProxyKeys.FLOW_PARAMETER, flowToken);
    }

    private static SipUri towardsUdp(String dialog) {
        return SipUri.parse("sip:192.0.2.10:5060;lr").withParameter(ProxyKeys.PARAMETER, dialog);
    }

    private static SipRequest bye(String callId, String fromTag, String toTag) {
        return ProxyKeysTest.request(callId, fromTag, toTag);
    }
}
