package sip.router.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;

/** The proxy's keyed tokens: what verifies, and that nothing else does. */
class ProxyKeysTest {

    private final ProxyKeys keys = new ProxyKeys();

    /** A BYE of the dialog {@code callId} with those tags. */
    static SipRequest request(String callId, String from, String to) {
        return SipRequest.builder(Method.BYE, SipUri.parse("sip:bob@192.0.2.2"))
                .callId(callId)
                .from(NameAddress.of(SipUri.parse("sip:a@192.0.2.1")).withTag(from))
                .to(NameAddress.of(SipUri.parse("sip:b@192.0.2.2")).withTag(to))
                .cseq(2)
                .via(Via.of("UDP", "192.0.2.1", 5060, "z9hG4bK-up"))
                .build();
    }

    private List<SipUri> route(String callId, String callerTag) {
        return List.of(SipUri.parse("sip:192.0.2.10;lr").withParameter(ProxyKeys.PARAMETER,
                keys.dialogToken(callId, callerTag)));
    }

    @Test
    void theDialogTokenVerifiesBothDirectionsOfItsDialogOnly() {
        List<SipUri> own = route("c1", "caller");
        assertTrue(keys.verifies(own, request("c1", "caller", "callee")), "caller to callee");
        assertTrue(keys.verifies(own, request("c1", "callee", "caller")), "callee to caller");
        assertFalse(keys.verifies(own, request("c2", "caller", "callee")), "another Call-ID");
        assertFalse(keys.verifies(own, request("c1", "x", "y")), "other tags");
        assertFalse(keys.verifies(List.of(SipUri.parse("sip:192.0.2.10;lr")), request("c1", "caller", "callee")));
        assertFalse(new ProxyKeys().verifies(own, request("c1", "caller", "callee")), "another proxy's key");
    }

    @Test
    void theBranchMacBindsCallIdAndTheUpstreamVia() {
        SipRequest routed = request("c1", "caller", null);
        String suffix = keys.branchSuffix("HASH", routed);
        assertTrue(suffix.endsWith(".HASH"), "loop detection still finds the hash");
        SipRequest sent = routed.toBuilder().addFirst(sip.message.HeaderType.VIA,
                Via.of("UDP", "192.0.2.10", 5060, "z9hG4bKrandom." + suffix)).build();
        SipResponse ok = SipResponse.builder(sent, 200).build();
        assertTrue(keys.verifiesBranch(ok));
        SipResponse redirected = ok.toBuilder().removeHeader("Via")
                .addHeader("Via", "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKrandom." + suffix)
                .addHeader("Via", "SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK-up")
                .build();
        assertFalse(keys.verifiesBranch(redirected), "a second Via pointing elsewhere");
        SipResponse otherCall = ok.toBuilder().callId("c2").build();
        assertFalse(keys.verifiesBranch(otherCall));
    }

    private static final sip.transport.spi.Flow WS = new sip.transport.spi.Flow("wss",
            new java.net.InetSocketAddress("192.0.2.10", 8443), new java.net.InetSocketAddress("[2001:db8::7]", 50123));
    private static final sip.transport.spi.Flow UDP = new sip.transport.spi.Flow("udp",
            new java.net.InetSocketAddress("192.0.2.10", 5060), new java.net.InetSocketAddress("192.0.2.2", 5060));

    @Test
    void aFlowTokenGivesBackItsFlowAndNothingElseDoes() {
        String dialog = keys.dialogToken("c1", "caller");
        String token = keys.flowToken(WS, dialog);
        org.junit.jupiter.api.Assertions.assertEquals(WS, keys.flowOf(token, dialog));
        org.junit.jupiter.api.Assertions.assertNull(new ProxyKeys().flowOf(token, dialog), "another proxy instance's");
        org.junit.jupiter.api.Assertions.assertNull(keys.flowOf(token, keys.dialogToken("c2", "caller")),
                "beside another dialog's token");
        String other = keys.flowToken(UDP, dialog);
        String forged = token.substring(0, token.indexOf('.')) + other.substring(other.indexOf('.'));
        org.junit.jupiter.api.Assertions.assertNull(keys.flowOf(forged, dialog), "a flow with another flow's MAC");
        for (String junk : List.of("", ".", "abc", "abc.def", "!!!.x", token + "x")) {
            org.junit.jupiter.api.Assertions.assertNull(keys.flowOf(junk, dialog), junk);
        }
    }

    @Test
    void theFlowBackIsTheOtherSidesNotTheSendersOwn() {
        String dialog = keys.dialogToken("c1", "caller");
        SipUri facingBrowser = SipUri.parse("sip:192.0.2.10:8443;transport=ws;lr").withParameter(ProxyKeys.PARAMETER, dialog)
                .withParameter(ProxyKeys.FLOW_PARAMETER, keys.flowToken(WS, dialog));
        SipUri facingUdp = SipUri.parse("sip:192.0.2.10;lr").withParameter(ProxyKeys.PARAMETER, dialog);
        List<SipUri> own = List.of(facingUdp, facingBrowser);
        SipRequest bye = request("c1", "callee", "caller");
        org.junit.jupiter.api.Assertions.assertEquals(WS, keys.flowBack(own, UDP, bye), "from the datagram side: the browser's");
        org.junit.jupiter.api.Assertions.assertNull(keys.flowBack(own, WS, bye), "from the browser: its own flow is no way on");
        org.junit.jupiter.api.Assertions.assertNull(keys.flowBack(List.of(facingUdp), UDP, bye));
        org.junit.jupiter.api.Assertions.assertNull(keys.flowBack(List.of(facingUdp,
                SipUri.parse("sip:192.0.2.10;lr;pf=bogus.x").withParameter(ProxyKeys.PARAMETER, dialog)), UDP, bye));
    }
}
