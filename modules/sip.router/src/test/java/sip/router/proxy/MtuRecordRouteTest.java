package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import sip.transport.spi.TransportConfig;

/**
 * A branch over the MTU leaves over TCP (RFC 3261 §18.1.1) after its Record-Route was chosen for
 * UDP: the Record-Route facing the callee must name TCP (RFC 5658). Real UDP/TCP on 127.0.0.1.
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

    private UserAgent agent(String name, TransportConfig config, String... protocols) throws Exception {
        UserAgent.Builder b = UserAgent.newBuilder().name(name).closeTimeout(Duration.ZERO);
        if (config != null) {
            b.transportConfig(config);
        }
        UserAgent ua = b.build();
        open.add(ua);
        int port = ua.listen(protocols[0], "127.0.0.1:0").localAddress().getPort();
        for (int i = 1; i < protocols.length; i++) {
            ua.listen(protocols[i], "127.0.0.1:" + port);
        }
        return ua;
    }

    @Test
    void aBranchMovedToTcpRecordRoutesTcpTowardsTheCallee() throws Exception {
        UserAgent proxyUa = agent("proxy", TransportConfig.newBuilder().mtu(600).build(), "udp", "tcp");
        int proxyPort = proxyUa.listeners().getFirst().localAddress().getPort();
        UserAgent uasUa = agent("uas", null, "udp", "tcp");
        int uasPort = uasUa.listeners().getFirst().localAddress().getPort();
        BlockingQueue<ServerTransaction> atUas = new LinkedBlockingQueue<>();
        uasUa.server().onDefault(atUas::add);
        UserAgent uac = agent("uac", null, "udp");

        Proxy proxy = Proxy.newBuilder(proxyUa).build();
        open.add(proxy);
        SipUri bob = SipUri.parse("sip:bob@127.0.0.1:" + uasPort);
        proxy.onRequest(req -> proxy.relay(req, bob));

        SipRequest invite = uac.client().newRequest(sip.message.Method.INVITE, bob)
                .setHeader("X-Pad", "x".repeat(400)).build();
        ClientTransaction call = uac.client().request(invite, Destination.of("udp",
                new java.net.InetSocketAddress("127.0.0.1", proxyPort)));
        ServerTransaction tx = atUas.poll(20, TimeUnit.SECONDS);
        assertNotNull(tx, "the INVITE reached the callee");
        assertEquals("TCP", tx.request().topVia().transport(), "over the MTU: TCP");
        List<NameAddress> rr = tx.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "TCP towards the callee, UDP towards the caller: " + rr);
        SipUri toCallee = (SipUri) rr.get(0).uri();
        SipUri toCaller = (SipUri) rr.get(1).uri();
        assertEquals("tcp", toCallee.transport().toLowerCase(java.util.Locale.ROOT));
        assertEquals(toCaller.parameter("pr"), toCallee.parameter("pr"), "the dialog token kept");
        tx.respond(486);
        assertEquals(486, call.response().get(20, TimeUnit.SECONDS).statusCode());
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0, "the context ended");
    }
}
