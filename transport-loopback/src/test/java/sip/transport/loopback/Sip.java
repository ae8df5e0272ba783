package sip.transport.loopback;

import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Via;

/** SIP messages for the tests, built with sip.message as the stack will build them. */
final class Sip {

    static final SipUri BOB = SipUri.parse("sip:bob@biloxi.example.com");
    static final SipUri ALICE = SipUri.parse("sip:alice@atlanta.example.com");

    private Sip() {
    }

    /** An OPTIONS request numbered {@code cseq}, its branch unique per number. */
    static SipRequest options(long cseq) {
        return SipRequest.builder(Method.OPTIONS, BOB)
                .via(Via.of("MEM", "127.0.0.1", 5060, "z9hG4bK-" + cseq))
                .from(NameAddress.of("Alice", ALICE).withTag("alice-tag"))
                .to(NameAddress.of("Bob", BOB))
                .callId("call-" + cseq + "@atlanta.example.com")
                .cseq(cseq)
                .build();
    }
}
