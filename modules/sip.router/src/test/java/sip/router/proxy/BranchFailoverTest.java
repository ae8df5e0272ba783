package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.UAS2;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * RFC 3263 §4.3 for a proxy's branches: a next hop the proxy does not know (no registered flow)
 * is located by its transaction layer, which fails over through what it finds, blocked
 * destinations last; the relay sees one branch.
 */
@Timeout(60)
class BranchFailoverTest {

    static final SipUri SERVICE = SipUri.parse("sip:bob@svc.test");

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /** The proxy, locating {@link #SERVICE} to {@code located}, relaying everything there. */
    private Proxy proxy(List<Destination> located, UnaryOperator<sip.router.proxy.RelayOptions.Builder> options)
            throws IOException {
        UserAgent ua = bed.agent("proxy", PROXY, b -> b.serverLocator((uri, protocols) ->
                uri.equals(SERVICE) ? located : ServerLocator.jdk().locate(uri, protocols)), "mem", "mem-stream");
        Proxy proxy = Proxy.newBuilder(ua).build();
        RelayOptions relay = options.apply(RelayOptions.newBuilder()).build();
        proxy.onRequest(req -> proxy.relay(req, List.of(Target.of(SERVICE)), relay));
        return proxy;
    }

    @Test
    void aBranchFailsOverPastARefusedConnectAndA503() throws Exception {
        Proxy proxy = proxy(List.of(Destination.of("mem-stream", LocatedFailoverTest.REFUSING),
                Destination.of("mem", UAS1), Destination.of("mem", UAS2)), b -> b);
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, SERVICE), Destination.of("mem", PROXY));
        ServerTransaction at1 = first.take(Method.INVITE);
        at1.respond(503);
        ServerTransaction at2 = second.take(Method.INVITE);
        assertNotEquals(at1.request().topVia().branch(), at2.request().topVia().branch());
        assertEquals(at1.request().topVia().branch().substring(at1.request().topVia().branch().lastIndexOf('.')),
                at2.request().topVia().branch().substring(at2.request().topVia().branch().lastIndexOf('.')),
                "the same loop-detection suffix on every attempt");
        List<NameAddress> rr = at2.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(1, rr.size(), "in and out over mem: one Record-Route " + rr);
        assertEquals("mem", ((SipUri) rr.getFirst().uri()).transport());
        at2.respond(180);
        ProxyBed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180), "the 180");
        at2.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        assertEquals(2, proxy.userAgent().stats().failovers());
        assertEquals(2, proxy.userAgent().stats().blockedDestinations());
        uac.client().ack(call.request(), ok);
        ProxyBed.await(() -> second.acks.size() == 1, "the ACK through the proxy");
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0, "the context ended");
        proxy.close();
        bed.drain();
        assertEquals(0, proxy.userAgent().stats().clientTransactions());
    }

    @Test
    void whenEveryDestinationAnswers503TheCallerGets500() throws Exception {
        Proxy proxy = proxy(List.of(Destination.of("mem", UAS1), Destination.of("mem", UAS2)), b -> b);
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ProxyBed.Uas second = bed.uas("uas2", UAS2);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, SERVICE), Destination.of("mem", PROXY));
        first.take(Method.INVITE).respond(503);
        second.take(Method.INVITE).respond(503);
        assertEquals(500, call.response().get(10, TimeUnit.SECONDS).statusCode(), "§16.7 item 6: 503 → 500");
        assertEquals(1, proxy.userAgent().stats().failovers());
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0, "the context ended");
        proxy.close();
        bed.drain();
    }

    @Test
    void aResponseTimeoutEndsTheBranchAndStopsItsFailover() throws Exception {
        Proxy proxy = proxy(List.of(Destination.of("mem", LocatedFailoverTest.SILENT), Destination.of("mem", UAS1)),
                b -> b.responseTimeout(Duration.ofSeconds(2)));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas first = bed.uas("uas1", UAS1);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, SERVICE), Destination.of("mem", PROXY));
        // The proxy's handler and its branch run on virtual threads, which settle() does not
        // wait for; the branch arms its response timer once its client transaction exists (after
        // the request is on the wire). Nothing else is due in exactly 2 s while the clock stands.
        ProxyBed.await(() -> bed.clock.pendingDelays().contains(Duration.ofSeconds(2)), "the response timer armed");
        bed.advance(Duration.ofSeconds(3));
        assertEquals(408, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.advance(Duration.ofSeconds(40)); // past the branch's own Timer B
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0, "the context ended");
        proxy.close();
        bed.drain();
        // Checked last: a failover would start on a virtual thread after Timer B, which nothing
        // public marks; checked at once it could pass before that thread sent anything, while by
        // now the drain has given it time to reach the UAS.
        assertTrue(first.requests.isEmpty(), "the abandoned branch did not fail over");
        assertEquals(0, proxy.userAgent().stats().failovers());
    }
}
