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

    private static SipRequest request(String callId, String from, String to) {
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
}
