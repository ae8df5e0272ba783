package sip.router.internal.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Via;
import sip.transport.spi.Flow;

/** What dialogs read from messages: secure flag, route sets, tags, RSeq and RAck; and the §14.1 back-off. */
class DialogMessagesTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 5061);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 5071);

    private static SipRequest invite() {
        return SipRequest.builder(Method.INVITE, SipUri.parse("sip:bob@127.0.0.1:5071"))
                .via(Via.of("UDP", "127.0.0.1", 5061, Via.MAGIC_COOKIE + "x1"))
                .from(NameAddress.of(SipUri.parse("sip:alice@127.0.0.1")).withTag("a1"))
                .to(NameAddress.of(SipUri.parse("sip:bob@127.0.0.1")))
                .callId("c1").cseq(7)
                .add(HeaderType.RECORD_ROUTE, NameAddress.of(SipUri.parse("sip:p1.invalid;lr")))
                .add(HeaderType.RECORD_ROUTE, NameAddress.of(SipUri.parse("sip:p2.invalid;lr")))
                .build();
    }

    @Test
    void secureNeedsSipsOverTls() {
        SipUri sips = SipUri.parse("sips:bob@127.0.0.1");
        SipUri sip = SipUri.parse("sip:bob@127.0.0.1");
        assertTrue(DialogMessages.secure(sips, new Flow("tls", A, B)));
        assertFalse(DialogMessages.secure(sip, new Flow("tls", A, B)), "sip: over TLS is not secure (§12.1.1)");
        assertFalse(DialogMessages.secure(sips, new Flow("tcp", A, B)));
        assertFalse(DialogMessages.secure(sips, null));
    }

    @Test
    void routeSetsAndTags() {
        SipRequest invite = invite();
        List<NameAddress> rr = invite.all(HeaderType.RECORD_ROUTE);
        assertEquals(rr, DialogMessages.recordRoute(invite), "UAS: in order");
        assertEquals(rr.reversed(), DialogMessages.reversedRecordRoute(invite), "UAC: reversed");
        assertNull(DialogMessages.untagged(invite.from()).tag());
        assertEquals(invite.from().uri(), DialogMessages.untagged(invite.from()).uri());
        assertEquals(invite.requestUri(), DialogMessages.contactOr(invite, invite.requestUri()), "no Contact: the fallback");
    }

    @Test
    void rseqAndRackAreParsedOrRefused() {
        SipResponse r = SipResponse.builder(invite(), 183).setHeader(StandardHeader.RSEQ, "42").build();
        assertEquals(42, DialogMessages.rseq(r));
        assertEquals(-1, DialogMessages.rseq(r.toBuilder().setHeader(StandardHeader.RSEQ, "0").build()));
        assertEquals(-1, DialogMessages.rseq(r.toBuilder().setHeader(StandardHeader.RSEQ, "x").build()));
        assertEquals(-1, DialogMessages.rseq(r.toBuilder().removeHeader(StandardHeader.RSEQ).build()));
        assertTrue(DialogMessages.requires(r.toBuilder().setHeader(StandardHeader.REQUIRE, "100REL").build(), "100rel"));

        SipRequest prack = invite().toBuilder().method(Method.PRACK).cseq(8)
                .setHeader(StandardHeader.RACK, "42 7 INVITE").build();
        assertEquals(new DialogMessages.RAck(42, 7, "INVITE"), DialogMessages.RAck.of(prack));
        assertNull(DialogMessages.RAck.of(prack.toBuilder().setHeader(StandardHeader.RACK, "42 INVITE").build()));
        assertNull(DialogMessages.RAck.of(prack.toBuilder().setHeader(StandardHeader.RACK, "a 7 INVITE").build()));
    }

    @Test
    void glareBackOffIsInTheRfcRangesInUnitsOf10ms() {
        for (int i = 0; i < 2000; i++) {
            Duration owner = Reinvites.backOff(true);
            Duration other = Reinvites.backOff(false);
            assertTrue(owner.toMillis() >= 2100 && owner.toMillis() <= 4000, owner.toString());
            assertTrue(other.toMillis() >= 0 && other.toMillis() <= 2000, other.toString());
            assertEquals(0, owner.toMillis() % 10);
            assertEquals(0, other.toMillis() % 10);
        }
    }
}
