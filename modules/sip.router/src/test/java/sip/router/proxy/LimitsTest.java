package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.memUri;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.transport.loopback.Packet;
import sip.transport.spi.Transport;
import sip.transport.spi.Transports;

/**
 * Bounds and leftovers: the live-context cap answers 503 with Retry-After; a 2xx arriving after
 * every transaction of its call ended is forwarded statelessly (RFC 6026); one proxy per agent;
 * close gives the agent's traffic back to its server handlers.
 */
@Timeout(60)
class LimitsTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void beyondMaxContextsRelaysAre503WithRetryAfter() throws Exception {
        Proxy proxy = bed.proxy(b -> b.maxContexts(1));
        CompletableFuture<RelayOutcome> second = new CompletableFuture<>();
        proxy.onRequest(req -> {
            var o = proxy.relay(req, req.request().requestUri());
            if (o.isDone()) {
                second.complete(o.join());
            }
        });
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        ClientTransaction first = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        ServerTransaction at = uas.take(Method.INVITE);
        at.respond(180);
        ClientTransaction refused = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        SipResponse busy = refused.response().get(10, TimeUnit.SECONDS);
        assertEquals(503, busy.statusCode());
        assertEquals(5L, busy.first(HeaderType.RETRY_AFTER).orElseThrow().seconds());
        assertEquals(RelayOutcome.Cause.OVERLOADED,
                assertInstanceOf(RelayOutcome.Answered.class, second.get(10, TimeUnit.SECONDS)).cause());
        assertEquals(1, proxy.stats().overloaded());
        assertEquals(1, proxy.stats().liveContexts());
        at.respond(486);
        assertEquals(486, first.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void aLate2xxIsForwardedStatelessly() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        uas.take(Method.INVITE).respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        uac.client().ack(call.request(), ok);
        bed.await(() -> uas.acks.size() == 1, "ACK");
        bed.drain();

        // The UAS's 2xx once more, after every transaction of the call ended.
        List<Packet> fromUas = bed.wire.stream()
                .filter(p -> p.from().equals(UAS1) && p.startLine().startsWith("SIP/2.0 200")).toList();
        assertEquals(1, fromUas.size());
        long before = proxy.stats().statelessForwarded();
        int toUacBefore = bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAC))
                .and(ProxyBed.startsWith("SIP/2.0 200"))).size();
        Transport raw = Transports.open("mem", bed.network.transportConfig().build(), (c, m) -> { });
        try {
            raw.listen(new InetSocketAddress("10.0.0.4", 5060));
            raw.connect(PROXY).send(fromUas.getFirst().bytes());
            bed.await(() -> proxy.stats().statelessForwarded() == before + 1, "forwarded statelessly");
            bed.settle();
        } finally {
            raw.close();
        }
        List<SipMessage> toUac = bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAC)).and(ProxyBed.startsWith("SIP/2.0 200")));
        assertEquals(toUacBefore + 1, toUac.size());
        assertEquals(1, toUac.getLast().vias().size(), "the proxy's Via removed");
        bed.drain();
    }

    @Test
    void oneProxyPerAgentAndCloseGivesTheTrafficBack() throws Exception {
        Proxy proxy = bed.proxy();
        assertThrows(IllegalStateException.class, () -> Proxy.newBuilder(proxy.userAgent()).build());
        proxy.close();
        proxy.userAgent().server().onOptions(tx -> tx.respond(299));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipResponse r = uac.client().request(uac.client().newRequest(Method.OPTIONS, memUri(null, PROXY)).build(),
                Destination.of("mem", PROXY)).response().get(10, TimeUnit.SECONDS);
        assertEquals(299, r.statusCode(), "the server handler answers again");
        Proxy again = Proxy.newBuilder(proxy.userAgent()).build();
        assertTrue(again.stats().relayed() == 0);
        again.close();
        bed.drain();
    }
}
