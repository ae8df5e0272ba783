package sip.router.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.StandardHeader;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipResponse;

/**
 * §16.7 item 3 decided per response (REVIEW1 F2): the proxy's Via is removed when it is on top,
 * whatever the branch's transaction (and its current RFC 3263 attempt) looks like by then.
 */
class RelayContextUpstreamFormTest {

    private static final String CALLER = "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-caller";
    private static final String PROXY = "SIP/2.0/MEM 10.0.0.10:5060;branch=z9hG4bK-proxy.hash";

    private static SipResponse response(int code, String... vias) {
        StringBuilder text = new StringBuilder("SIP/2.0 " + code + " X\r\n");
        for (String v : vias) {
            text.append("Via: ").append(v).append("\r\n");
        }
        text.append("From: <sip:alice@example.com>;tag=a\r\n"
                + "To: <sip:bob@example.com>;tag=b\r\n"
                + "Call-ID: uf-1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n");
        ParseResult r = SipParser.lenient().parse(text.toString().getBytes(StandardCharsets.UTF_8));
        return (SipResponse) ((ParseResult.Parsed) r).message();
    }

    private static List<String> vias(SipResponse r) {
        return r.headerValues(StandardHeader.VIA);
    }

    @Test
    void aResponseWithTheProxysViaOnTopLosesIt() {
        SipResponse up = RelayContext.upstreamForm(response(183, PROXY, CALLER), "z9hG4bK-caller");
        assertEquals(List.of(CALLER), vias(up));
    }

    @Test
    void aResponseMadeBeforeAnythingWasSentKeepsTheCallersVia() {
        SipResponse up = RelayContext.upstreamForm(response(503, CALLER), "z9hG4bK-caller");
        assertEquals(List.of(CALLER), vias(up));
    }

    @Test
    void anRfc2543CallerWithoutABranchStillHasTheProxysViaRemoved() {
        String oldCaller = "SIP/2.0/UDP 10.0.0.1:5060";
        assertEquals(List.of(oldCaller), vias(RelayContext.upstreamForm(response(180, PROXY, oldCaller), null)));
        assertEquals(List.of(oldCaller), vias(RelayContext.upstreamForm(response(408, oldCaller), null)));
    }
}
