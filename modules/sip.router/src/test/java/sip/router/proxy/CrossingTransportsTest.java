package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * Calls through the proxy over the stream transport, and from the datagram transport to the
 * stream one: a double Record-Route (RFC 5658), and in-dialog requests from either side.
 */
@Timeout(60)
class CrossingTransportsTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private static SipUri uri(String user, java.net.InetSocketAddress at, String transport) {
        return SipUri.of(user, at.getAddress().getHostAddress(), at.getPort()).withParameter("transport", transport);
    }

    private static SipRequest invite(UserAgent uac, SipUri target, String transport) {
        return uac.client().newRequest(Method.INVITE, target)
                .contact(Contact.of(uri("alice", UAC, transport))).build();
    }

    @Test
    void streamToStream() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent uac = bed.agent("uac", UAC, "mem-stream");
        ProxyBed.Uas uas = bed.uas("uas", UAS1, "mem-stream");

        SipRequest invite = invite(uac, uri("bob", UAS1, "mem-stream"), "mem-stream");
        ClientTransaction call = uac.client().request(invite, Destination.of("mem-stream", PROXY));
        ServerTransaction atUas = uas.take(Method.INVITE);
        List<NameAddress> rr = atUas.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(1, rr.size(), "same transport and interface both ways: " + rr);
        assertEquals("mem-stream", ((SipUri) rr.getFirst().uri()).transport());
        assertEquals("MEM-STREAM", atUas.request().topVia().transport());
        atUas.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        uac.client().ack(invite, ok);
        bed.await(() -> uas.acks.size() == 1, "ACK over the stream");

        ClientTransaction bye = uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2));
        uas.take(Method.BYE).respond(200);
        assertEquals(200, bye.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(2, proxy.stats().succeeded());
        bed.drain();
    }

    @Test
    void datagramToStreamRecordRoutesTwiceAndRoutesBothWays() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1, "mem-stream");
        // The callee's BYE goes back to the caller: it needs a handler there.
        java.util.concurrent.BlockingQueue<ServerTransaction> atUac = new java.util.concurrent.LinkedBlockingQueue<>();
        uac.server().onBye(atUac::add);

        SipRequest invite = invite(uac, uri("bob", UAS1, "mem-stream"), "mem");
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        ServerTransaction atUas = uas.take(Method.INVITE);
        List<NameAddress> rr = atUas.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "RFC 5658 double Record-Route: " + rr);
        SipUri toUas = (SipUri) rr.get(0).uri();
        SipUri toUac = (SipUri) rr.get(1).uri();
        assertEquals("mem-stream", toUas.transport(), "the top one faces the UAS");
        assertEquals("mem", toUac.transport(), "the second faces the UAC");
        assertTrue(toUas.isLooseRouting() && toUac.isLooseRouting());
        assertEquals("MEM-STREAM", atUas.request().topVia().transport());

        atUas.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(rr, ok.all(HeaderType.RECORD_ROUTE));
        uac.client().ack(invite, ok);
        bed.await(() -> uas.acks.size() == 1, "ACK crosses to the stream");
        assertFalse(uas.acks.getFirst().hasHeader(StandardHeader.ROUTE), "both own Routes removed");

        // The callee hangs up: its route set is the Record-Route in order, first hop over the stream.
        SipRequest atUasInvite = atUas.request();
        SipRequest.Builder bye = SipRequest.builder(Method.BYE, atUasInvite.contacts().getFirst().uri())
                .callId(atUasInvite.callId())
                .from(ok.to())
                .to(atUasInvite.from())
                .cseq(1);
        for (NameAddress r : rr) {
            bye.add(HeaderType.ROUTE, r);
        }
        ClientTransaction byeTx = uas.ua.client().request(bye.build());
        ServerTransaction byeAtUac = atUac.poll(10, TimeUnit.SECONDS);
        assertEquals(Method.BYE, byeAtUac.request().method());
        assertFalse(byeAtUac.request().hasHeader(StandardHeader.ROUTE));
        assertEquals("MEM", byeAtUac.request().topVia().transport(), "back out on the datagram side");
        byeAtUac.respond(200);
        assertEquals(200, byeTx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(2, proxy.stats().succeeded());
        bed.drain();
    }
}
