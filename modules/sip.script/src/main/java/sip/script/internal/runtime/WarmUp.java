package sip.script.internal.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Via;
import sip.script.internal.js.JsRequest;
import sip.transport.spi.Flow;

/** The synthetic request a fresh context's warm-up reads (never sent, never seen by user code). */
final class WarmUp {

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    private WarmUp() {
    }

    static JsRequest request() {
        SipRequest req = SipRequest.builder(sip.message.Method.INVITE, SipUri.parse("sip:warm-up@127.0.0.1:5060;transport=udp"))
                .via(Via.of("UDP", "127.0.0.1", 5062, Via.MAGIC_COOKIE + "warmup"))
                .setHeader("From", "\"Warm Up\" <sip:warm-up@127.0.0.1>;tag=w1")
                .setHeader("To", "<sip:warm-up@127.0.0.1>")
                .callId("warm-up@127.0.0.1")
                .cseq(1)
                .maxForwards(70)
                .addHeader("Contact", "<sip:warm-up@127.0.0.1:5062>")
                .addHeader("Subject", "warm-up")
                .build();
        Flow flow = new Flow("udp", new InetSocketAddress(LOOPBACK, 5060), new InetSocketAddress(LOOPBACK, 5062));
        return new JsRequest(req, flow, false);
    }
}
