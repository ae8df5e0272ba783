package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.transport.spi.Listener;
import sip.transport.spi.TransportConfig;

/**
 * A branch over the MTU leaves over TCP (RFC 3261 §18.1.1) after its Record-Route was chosen for
 * UDP: the Record-Route facing the callee must name TCP (RFC 5658); to a callee without TCP it
 * is retried over UDP at its size, Record-Route and Via naming UDP. Real UDP/TCP on 127.0.0.1.
 */
@Timeout(60)
class MtuRecordRouteTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /**
     * A user agent listening on {@code protocols}, all on one port number of 127.0.0.1, as a SIP
     * server has (§18.2.1). Binding TCP on the port just given to UDP can fail: the number may be
     * in use for TCP (another connection's ephemeral port), so a few ports are tried.
     */
    private UserAgent agent(String name, TransportConfig config, String... protocols) throws Exception {
        UserAgent.Builder b = UserAgent.newBuilder().name(name).closeTimeout(Duration.ZERO);
        if (config != null) {
            b.transportConfig(config);
        }
        UserAgent ua = b.build();
        open.add(ua);
        for (int attempt = 1; ; attempt++) {
            List<Listener> bound = new ArrayList<>();
            bound.add(ua.listen(protocols[0], "127.0.0.1:0"));
            int port = bound.getFirst().localAddress().getPort();
            try {
                for (int i = 1; i < protocols.length; i++) {
                    bound.add(ua.listen(protocols[i], "127.0.0.1:" + port));
                }
                return ua;
            } catch (BindException taken) {
                bound.forEach(Listener::close);
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    private static int portOf(UserAgent ua, String protocol) {
        return ua.listeners().stream().filter(l -> l.protocol().name().equals(protocol)).findFirst()
                .orElseThrow().localAddress().getPort();
    }

    /** A proxy relaying to the callee, its INVITE as the callee got it, and the caller's transaction. */
    private record Relayed(Proxy proxy, ClientTransaction call, ServerTransaction atCallee) {
    }

    /**
     * A UDP caller's INVITE, padded with {@code pad} bytes, relayed by the agent {@code proxyUa}
     * to {@code uasUa} (at its UDP port, no transport parameter: UDP as located).
     */
    private Relayed relay(UserAgent proxyUa, UserAgent uasUa, int pad) throws Exception {
        BlockingQueue<ServerTransaction> atUas = new LinkedBlockingQueue<>();
        uasUa.server().onDefault(atUas::add);
        UserAgent uac = agent("uac", null, "udp");
        Proxy proxy = Proxy.newBuilder(proxyUa).build();
        open.add(proxy);
        SipUri bob = SipUri.parse("sip:bob@127.0.0.1:" + portOf(uasUa, "udp"));
        proxy.onRequest(req -> proxy.relay(req, bob));

        SipRequest invite = uac.client().newRequest(sip.message.Method.INVITE, bob)
                .setHeader("X-Pad", "x".repeat(pad)).build();
        ClientTransaction call = uac.client().request(invite, Destination.of("udp",
                new java.net.InetSocketAddress("127.0.0.1", portOf(proxyUa, "udp"))));
        ServerTransaction tx = atUas.poll(20, TimeUnit.SECONDS);
        assertNotNull(tx, "the INVITE reached the callee");
        return new Relayed(proxy, call, tx);
    }

    @Test
    void aBranchMovedToTcpRecordRoutesTcpTowardsTheCallee() throws Exception {
        UserAgent proxyUa = agent("proxy", TransportConfig.newBuilder().mtu(600).build(), "udp", "tcp");
        Relayed relayed = relay(proxyUa, agent("uas", null, "udp", "tcp"), 400);
        ServerTransaction tx = relayed.atCallee();
        assertEquals("TCP", tx.request().topVia().transport(), "over the MTU: TCP");
        List<NameAddress> rr = tx.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "TCP towards the callee, UDP towards the caller: " + rr);
        SipUri toCallee = (SipUri) rr.get(0).uri();
        SipUri toCaller = (SipUri) rr.get(1).uri();
        assertEquals("tcp", toCallee.transport().toLowerCase(java.util.Locale.ROOT));
        assertEquals(portOf(proxyUa, "tcp"), toCallee.port(), "the proxy's TCP listener: " + toCallee);
        assertEquals(portOf(proxyUa, "udp"), toCaller.port(), "the proxy's UDP listener: " + toCaller);
        assertEquals(portOf(proxyUa, "tcp"), tx.request().topVia().port(), "the Via names the TCP listener");
        assertEquals(toCaller.parameter("pr"), toCallee.parameter("pr"), "the dialog token kept");
        tx.respond(486);
        assertEquals(486, relayed.call().response().get(20, TimeUnit.SECONDS).statusCode());
        ProxyBed.await(() -> relayed.proxy().stats().liveContexts() == 0, "the context ended");
    }

    @Test
    void aBranchOverTheMtuToACalleeWithoutTcpIsRetriedOverUdpAtItsSize() throws Exception {
        UserAgent proxyUa = agent("proxy", TransportConfig.newBuilder().mtu(600).build(), "udp", "tcp");
        int proxyPort = portOf(proxyUa, "udp");
        // The callee listens on UDP only: the proxy's move to TCP meets a reset (§18.1.1).
        Relayed relayed = relay(proxyUa, agent("uas", null, "udp"), 900);
        ServerTransaction tx = relayed.atCallee();
        assertTrue(tx.request().toBytes().length > 600, "over the proxy's MTU: " + tx.request().toBytes().length);
        assertEquals("UDP", tx.request().topVia().transport(), "retried over UDP");
        assertEquals(proxyPort, tx.request().topVia().port());
        List<NameAddress> rr = tx.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(1, rr.size(), "UDP on both sides: one Record-Route: " + rr);
        SipUri recordRoute = (SipUri) rr.getFirst().uri();
        assertEquals(proxyPort, recordRoute.port());
        assertTrue(recordRoute.transport() == null || recordRoute.transport().equalsIgnoreCase("udp"), rr.toString());
        tx.respond(486);
        assertEquals(486, relayed.call().response().get(20, TimeUnit.SECONDS).statusCode(), "the callee's answer, not a 500");
        ProxyBed.await(() -> relayed.proxy().stats().liveContexts() == 0, "the context ended");
    }
}
