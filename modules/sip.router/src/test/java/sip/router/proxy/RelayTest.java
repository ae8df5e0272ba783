package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.memUri;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Via;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/** A call through the proxy on one transport: INVITE, 180, 200, ACK and BYE by the route set. */
@Timeout(60)
class RelayTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void callAndByeFollowTheRecordRoute() throws Exception {
        Proxy proxy = bed.proxy();
        CompletableFuture<RelayOutcome> outcome = new CompletableFuture<>();
        proxy.onRequest(req -> proxy.relay(req, req.request().requestUri()).thenAccept(outcome::complete));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);

        SipRequest invite = ProxyBed.invite(uac, memUri("bob", UAS1));
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        ServerTransaction atUas = uas.take(Method.INVITE);
        SipRequest relayed = atUas.request();

        // §16.6: Max-Forwards decremented, our Via on top of the UAC's, Record-Route with lr.
        assertEquals(69, relayed.maxForwards().getAsInt());
        List<Via> vias = relayed.vias();
        assertEquals(2, vias.size());
        assertEquals("10.0.0.10", vias.get(0).host());
        assertTrue(vias.get(0).branch().startsWith("z9hG4bK") && vias.get(0).branch().contains("."),
                "a branch with a loop-detection part: " + vias.get(0).branch());
        assertEquals(call.request().topVia().branch(), vias.get(1).branch());
        List<NameAddress> rr = relayed.all(HeaderType.RECORD_ROUTE);
        assertEquals(1, rr.size(), "one transport: one Record-Route");
        SipUri rrUri = (SipUri) rr.getFirst().uri();
        assertEquals("10.0.0.10", rrUri.host());
        assertEquals(5060, rrUri.port());
        assertTrue(rrUri.isLooseRouting());
        assertEquals(memUri("bob", UAS1), relayed.requestUri());
        assertEquals(invite.header(StandardHeader.CONTACT), relayed.header(StandardHeader.CONTACT),
                "a relayed request keeps its Contact");

        atUas.respond(180);
        bed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180), "180 upstream");
        atUas.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(1, ok.vias().size(), "the proxy's Via is gone");
        assertEquals(rr, ok.all(HeaderType.RECORD_ROUTE), "Record-Route comes back as the UAS echoed it");
        RelayOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(o.isSuccess());
        assertEquals(200, assertInstanceOf(RelayOutcome.Forwarded.class, o).response().statusCode());

        uac.client().ack(invite, ok);
        bed.await(() -> uas.acks.size() == 1, "the ACK reaches the UAS");
        SipRequest ack = uas.acks.getFirst();
        assertFalse(ack.hasHeader(StandardHeader.ROUTE), "the proxy removed its own Route");
        assertEquals(2, ack.vias().size(), "forwarded statelessly with the proxy's Via");

        SipRequest bye = ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2);
        ClientTransaction byeTx = uac.client().request(bye);
        ServerTransaction byeAtUas = uas.take(Method.BYE);
        assertFalse(byeAtUas.request().hasHeader(StandardHeader.ROUTE));
        assertFalse(byeAtUas.request().hasHeader(StandardHeader.RECORD_ROUTE), "no Record-Route inside a dialog");
        assertEquals(2, byeAtUas.request().vias().size());
        byeAtUas.respond(200);
        assertEquals(200, byeTx.response().get(10, TimeUnit.SECONDS).statusCode());

        bed.await(() -> proxy.stats().statelessForwarded() == 1, "the ACK counted");
        ProxyStats s = proxy.stats();
        assertEquals(2, s.relayed(), "INVITE and BYE: " + s);
        assertEquals(2, s.succeeded());
        assertEquals(1, s.statelessForwarded(), "the ACK");
        bed.drain();
        assertEquals(0, proxy.stats().liveContexts());
        assertNotEquals(0, bed.wire.size());
        assertNotNull(ok.toTag());
    }
}
