package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;
import static sip.router.proxy.ProxyBed.memUri;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
import sip.message.Uri;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * RFC 3261 §16.3 validation (483, 482 against a spiral, 420, 416) and §16.4 route processing
 * (own Route removed, strict-router rewrite, and §16.6 item 6 towards a strict router).
 */
@Timeout(60)
class ValidationAndRoutingTest {

    private static final NameAddress OWN_ROUTE = NameAddress.of(
            SipUri.of(null, "10.0.0.10", 5060).withParameter("transport", "mem").withParameter("lr", null));

    private final ProxyBed bed = new ProxyBed();
    private final List<SipRequest> seenByHandler = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private SipResponse send(UserAgent uac, SipRequest request) throws Exception {
        return uac.client().request(request, Destination.of("mem", PROXY)).response().get(10, TimeUnit.SECONDS);
    }

    /** A proxy whose handler notes what it got and relays to the Request-URI. */
    private Proxy recordingProxy() throws Exception {
        Proxy proxy = bed.proxy(b -> b.supported("known-ext"));
        proxy.onRequest(req -> {
            seenByHandler.add(req.request());
            proxy.relay(req, req.request().requestUri());
        });
        return proxy;
    }

    @Test
    void maxForwardsZeroIs483AndNeverReachesTheHandler() throws Exception {
        Proxy proxy = recordingProxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest options = uac.client().newRequest(Method.OPTIONS, memUri("bob", UAS1)).maxForwards(0).build();
        assertEquals(483, send(uac, options).statusCode());
        assertTrue(seenByHandler.isEmpty());
        assertEquals(1, proxy.stats().rejected());
        bed.drain();
    }

    @Test
    void proxyRequireOfAnUnknownTagIs420WithUnsupported() throws Exception {
        recordingProxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        SipRequest unknown = uac.client().newRequest(Method.OPTIONS, memUri("bob", UAS1))
                .addHeader("Proxy-Require", "foo, known-ext").build();
        SipResponse r = send(uac, unknown);
        assertEquals(420, r.statusCode());
        assertEquals("foo", r.header(StandardHeader.UNSUPPORTED).orElseThrow());

        // A supported tag passes.
        SipRequest known = uac.client().newRequest(Method.OPTIONS, memUri("bob", UAS1))
                .addHeader("Proxy-Require", "known-ext").build();
        var pending = uac.client().request(known, Destination.of("mem", PROXY));
        uas.take(Method.OPTIONS).respond(200);
        assertEquals(200, pending.response().get(10, TimeUnit.SECONDS).statusCode());

        // Require is for the UAS, not the proxy: relayed, and the UAS's own 420 comes back.
        SipRequest required = uac.client().newRequest(Method.OPTIONS, memUri("bob", UAS1))
                .addHeader("Require", "whatever").build();
        SipResponse fromUas = send(uac, required);
        assertEquals(420, fromUas.statusCode());
        assertEquals("whatever", fromUas.header(StandardHeader.UNSUPPORTED).orElseThrow());
        assertEquals(3, seenByHandler.size() + 1, "the first was refused by the proxy, the others relayed");
        bed.drain();
    }

    @Test
    void aForeignUriSchemeIs416() throws Exception {
        recordingProxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest im = uac.client().newRequest(Method.MESSAGE, Uri.parse("im:bob@example.com")).build();
        assertEquals(416, send(uac, im).statusCode());
        assertTrue(seenByHandler.isEmpty());
        bed.drain();
    }

    @Test
    void aRequestComingBackUnchangedIsALoop() throws Exception {
        Proxy proxy = bed.proxy();
        // Misrouted: everything goes to the proxy itself, Request-URI unchanged.
        proxy.onRequest(req -> proxy.relay(req, memUri("bob", PROXY)));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest options = uac.client().newRequest(Method.OPTIONS, memUri("bob", PROXY)).build();
        SipResponse r = send(uac, options);
        assertEquals(482, r.statusCode(), "the second pass is refused, and its 482 is the best response");
        ProxyStats s = proxy.stats();
        assertEquals(1, s.loops(), s::toString);
        bed.drain();
    }

    @Test
    void aRequestComingBackRetargetedIsASpiral() throws Exception {
        Proxy proxy = bed.proxy();
        // alice@proxy → bob@proxy (through the proxy itself again) → bob@UAS1.
        proxy.onRequest(req -> {
            SipUri u = (SipUri) req.request().requestUri();
            proxy.relay(req, u.user().equals("alice") ? memUri("bob", PROXY) : memUri("bob", UAS1));
        });
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        SipRequest options = uac.client().newRequest(Method.OPTIONS, memUri("alice", PROXY)).build();
        var pending = uac.client().request(options, Destination.of("mem", PROXY));
        ServerTransaction at = uas.take(Method.OPTIONS);
        assertEquals(3, at.request().vias().size(), "two passes through the proxy");
        assertEquals(68, at.request().maxForwards().getAsInt());
        at.respond(200);
        assertEquals(200, pending.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(0, proxy.stats().loops());
        bed.drain();
    }

    @Test
    void ownRouteIsRemovedAndTheNextRouteIsTheNextHop() throws Exception {
        recordingProxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas2 = bed.uas("uas2", UAS2);
        NameAddress next = NameAddress.of(memUri(null, UAS2).withParameter("lr", null));
        SipRequest options = uac.client().newRequest(Method.OPTIONS, memUri("bob", UAS1))
                .add(HeaderType.ROUTE, OWN_ROUTE).add(HeaderType.ROUTE, next).build();
        var pending = uac.client().request(options, Destination.of("mem", PROXY));
        ServerTransaction at = uas2.take(Method.OPTIONS);
        assertEquals(List.of(next), at.request().all(HeaderType.ROUTE), "ours gone, the next one left");
        assertEquals(memUri("bob", UAS1), at.request().requestUri());
        assertEquals(1, seenByHandler.size());
        assertEquals(List.of(next), seenByHandler.getFirst().all(HeaderType.ROUTE));
        at.respond(200);
        assertEquals(200, pending.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void aStrictRouterBeforeUsIsUndone() throws Exception {
        Proxy proxy = recordingProxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        // A strict router put our Record-Route URI in the Request-URI and the target last in Route.
        SipRequest bye = SipRequest.builder(Method.BYE, OWN_ROUTE.uri())
                .from(NameAddress.of(memUri("alice", UAC)).withTag("a1"))
                .to(NameAddress.of(memUri("bob", UAS1)).withTag("b1"))
                .callId("strict-1").cseq(2)
                .add(HeaderType.ROUTE, NameAddress.of(memUri("bob", UAS1)))
                .build();
        var pending = uac.client().request(bye, Destination.of("mem", PROXY));
        ServerTransaction at = uas.take(Method.BYE);
        assertEquals(memUri("bob", UAS1), at.request().requestUri());
        assertFalse(at.request().hasHeader(StandardHeader.ROUTE));
        assertTrue(seenByHandler.isEmpty(), "in a dialog routed through us: relayed without the handler");
        at.respond(200);
        assertEquals(200, pending.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, proxy.stats().relayed());
        bed.drain();
    }

    @Test
    void theNextHopIsAStrictRouter() throws Exception {
        recordingProxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas2 = bed.uas("uas2", UAS2);
        SipUri strict = memUri(null, UAS2); // no lr
        SipRequest options = uac.client().newRequest(Method.OPTIONS, memUri("bob", UAS1))
                .add(HeaderType.ROUTE, NameAddress.of(strict)).build();
        var pending = uac.client().request(options, Destination.of("mem", PROXY));
        ServerTransaction at = uas2.take(Method.OPTIONS);
        // §16.6 item 6: the strict router's URI becomes the Request-URI, the target the last Route.
        assertEquals(strict, at.request().requestUri());
        assertEquals(List.of(NameAddress.of(memUri("bob", UAS1))), at.request().all(HeaderType.ROUTE));
        at.respond(200);
        assertEquals(200, pending.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void withoutAHandlerRequestsGoToTheirRequestUriAndToTheProxyItselfAre404() throws Exception {
        bed.proxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        var pending = uac.client().request(uac.client().newRequest(Method.MESSAGE, memUri("bob", UAS1)).build(),
                Destination.of("mem", PROXY));
        uas.take(Method.MESSAGE).respond(202);
        assertEquals(202, pending.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(404, send(uac, uac.client().newRequest(Method.MESSAGE, memUri("bob", PROXY)).build()).statusCode());
        SipResponse ping = send(uac, uac.client().newRequest(Method.OPTIONS, memUri(null, PROXY)).build());
        assertEquals(200, ping.statusCode());
        assertNotNull(ping.toTag());
        bed.drain();
    }
}
