package sip.router.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipUri;

/** §16.6 items 3 and 6 on a copy forwarded statelessly (an ACK for a 2xx). */
class StatelessCopyTest {

    private static SipRequest parse(String maxForwards, String route) {
        String text = "ACK sip:bob@10.0.0.2 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-sc\r\n"
                + maxForwards
                + route
                + "From: <sip:alice@example.com>;tag=a\r\n"
                + "To: <sip:bob@example.com>;tag=b\r\n"
                + "Call-ID: sc-1\r\n"
                + "CSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
        ParseResult r = SipParser.lenient().parse(text.getBytes(StandardCharsets.UTF_8));
        return (SipRequest) ((ParseResult.Parsed) r).message();
    }

    @Test
    void maxForwardsIsDecrementedOr70WhenAbsent() {
        assertEquals(9, BranchBuilder.statelessCopy(parse("Max-Forwards: 10\r\n", "")).maxForwards().getAsInt());
        assertEquals(70, BranchBuilder.statelessCopy(parse("", "")).maxForwards().getAsInt());
    }

    @Test
    void aStrictNextHopTakesTheRequestUri() {
        SipRequest copy = BranchBuilder.statelessCopy(parse("Max-Forwards: 70\r\n", "Route: <sip:10.0.0.20>\r\n"));
        assertEquals(SipUri.parse("sip:10.0.0.20"), copy.requestUri());
        assertEquals(List.of(NameAddress.of(SipUri.parse("sip:bob@10.0.0.2"))), copy.all(HeaderType.ROUTE));
    }
}
