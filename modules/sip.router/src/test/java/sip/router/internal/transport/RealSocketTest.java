package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.ServerLocator;
import sip.router.internal.Counters;
import sip.transport.spi.Connection;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/**
 * Real UDP and TCP on 127.0.0.1: a request over the MTU leaves UDP for TCP (RFC 3261 §18.1.1),
 * and a UDP round trip comes back through the sent-by this layer stamped.
 */
@Timeout(20)
class RealSocketTest {

    record Arrival(SipMessage message, Connection connection) {
    }

    private final LinkedBlockingQueue<Arrival> atPeer = new LinkedBlockingQueue<>();
    private final RecordingSink sink = new RecordingSink();
    private final Counters counters = new Counters();
    private TransportLayer layer;
    private Listener layerUdp;
    private Listener layerTcp;
    private Transport peerUdp;
    private Transport peerTcp;
    private int peerPort;

    @BeforeEach
    void open() throws IOException {
        TransportConfig config = TransportConfig.defaults();
        layer = new TransportLayer(Fixtures.settings(config, null, ServerLocator.jdk()), sink, counters);
        layerUdp = layer.listen("udp", new InetSocketAddress("127.0.0.1", 0));
        layerTcp = layer.listen("tcp", new InetSocketAddress("127.0.0.1", 0));
        InboundHandler recorder = (connection, message) -> atPeer.add(new Arrival(message, connection));
        peerUdp = Transports.open("udp", config, recorder);
        peerTcp = Transports.open("tcp", config, recorder);
        for (int attempt = 0; ; attempt++) { // one port number for both, as a SIP server has
            Listener tcp = peerTcp.listen(new InetSocketAddress("127.0.0.1", 0));
            try {
                peerUdp.listen(tcp.localAddress());
                peerPort = tcp.localAddress().getPort();
                break;
            } catch (BindException taken) {
                tcp.close();
                if (attempt == 10) {
                    throw taken;
                }
            }
        }
    }

    @AfterEach
    void close() {
        layer.close();
        peerUdp.close();
        peerTcp.close();
    }

    private Arrival nextAtPeer() throws InterruptedException {
        Arrival a = atPeer.poll(5, TimeUnit.SECONDS);
        if (a == null) {
            throw new AssertionError("nothing reached the peer within 5 s");
        }
        return a;
    }

    @Test
    void aRequestOverTheMtuGoesOverTcpWithATcpVia() throws Exception {
        byte[] body = new byte[2000];
        Arrays.fill(body, (byte) 'x');
        SipRequest big = Fixtures.options("sip:bob@127.0.0.1:" + peerPort).toBuilder()
                .body(ContentType.of("text", "plain"), body).build();
        OutboundRequest out = layer.prepare(big, null);
        assertEquals("tcp", out.destination().protocol());
        assertEquals("tcp", out.connection().protocol().name());
        Via via = out.request().topVia();
        assertEquals("TCP", via.transport());
        assertEquals(layerTcp.localAddress().getPort(), via.port());
        assertEquals(1, out.request().vias().size(), "the UDP Via was not kept");
        layer.send(out);
        Arrival got = nextAtPeer();
        assertEquals("tcp", got.connection().protocol().name());
        assertArrayEquals(out.bytes(), got.message().toBytes());
    }

    @Test
    void aRequestOverTheMtuFallsBackToUdpWhenTcpIsRefusedAndLeavesAtItsSize() throws Exception {
        peerTcp.listeners().forEach(Listener::close); // a UDP-only peer: its TCP port answers with a reset
        byte[] body = new byte[2000];
        Arrays.fill(body, (byte) 'x');
        SipRequest big = Fixtures.options("sip:bob@127.0.0.1:" + peerPort).toBuilder()
                .body(ContentType.of("text", "plain"), body).build();
        OutboundRequest out = layer.prepare(big, null);
        assertEquals("udp", out.destination().protocol());
        assertEquals("udp", out.connection().protocol().name());
        assertEquals(new InetSocketAddress("127.0.0.1", peerPort), out.connection().remoteAddress());
        Via via = out.request().topVia();
        assertEquals("UDP", via.transport());
        assertEquals(layerUdp.localAddress().getPort(), via.port());
        assertTrue(out.bytes().length > TransportConfig.defaults().mtu(), "over the MTU: " + out.bytes().length);

        layer.send(out); // RFC 3261 §18.1.1: retried over UDP, at its size
        Arrival got = nextAtPeer();
        assertEquals("udp", got.connection().protocol().name());
        assertEquals(layerUdp.localAddress(), got.connection().remoteAddress(), "from the UDP listener");
        assertArrayEquals(out.bytes(), got.message().toBytes());
        assertEquals("UDP", ((SipRequest) got.message()).topVia().transport());
        out.connection().send(out.bytes()); // a retransmission goes the same way
        assertArrayEquals(out.bytes(), nextAtPeer().message().toBytes());
        assertEquals(0, counters.transportErrors.sum());
    }

    @Test
    void theUdpRetryIsForRefusalsNotForTimeoutsOrOurOwnLimits() {
        assertTrue(UdpRetry.applies(new java.net.ConnectException("Connection refused")));
        assertTrue(UdpRetry.applies(new java.net.NoRouteToHostException("No route to host")));
        assertTrue(UdpRetry.applies(new java.net.SocketException("Protocol not available")));
        assertFalse(UdpRetry.applies(new java.net.SocketTimeoutException("Connect timed out")));
        assertFalse(UdpRetry.applies(new java.net.ConnectException("Connection timed out")));
        assertFalse(UdpRetry.applies(new sip.transport.spi.ConnectionLimitException("tcp", 10)));
        assertFalse(UdpRetry.applies(new sip.transport.spi.ConnectionClosedException("tcp", null, null)));
    }

    @Test
    void aRequestOverTheMtuWithoutTheMoveStaysRefusedOnUdp() throws Exception {
        OutboundRequest small = layer.prepare(Fixtures.options("sip:bob@127.0.0.1:" + peerPort), null);
        byte[] big = new byte[2000];
        Arrays.fill(big, (byte) 'x');
        // An ordinary UDP connection of this layer keeps the MTU policy: only the retry waives it.
        assertThrows(sip.transport.spi.MessageTooLargeException.class, () -> small.connection().send(big));
    }

    @Test
    void aSmallRequestStaysOnUdpAndItsResponseComesBack() throws Exception {
        OutboundRequest out = layer.prepare(Fixtures.options("sip:bob@127.0.0.1:" + peerPort), null);
        assertEquals("udp", out.destination().protocol());
        Via via = out.request().topVia();
        assertEquals("UDP", via.transport());
        assertEquals("127.0.0.1", via.host());
        assertEquals(layerUdp.localAddress().getPort(), via.port());
        layer.send(out);
        Arrival got = nextAtPeer();
        assertEquals(layerUdp.localAddress(), got.connection().remoteAddress(), "sent from the listener");
        got.connection().send(SipResponse.forRequest((SipRequest) got.message(), 200));
        RecordingSink.Received<SipResponse> response = sink.nextResponse();
        assertEquals(via.branch(), response.message().topVia().branch());
        assertEquals(0, counters.strayResponses.sum());
    }

    @Test
    void aResponseToAUdpRequestUsesRportOverRealSockets() throws Exception {
        Connection c = peerUdp.connect(layerUdp.localAddress());
        c.send(Fixtures.wire("""
                OPTIONS sip:bob@127.0.0.1 SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1:5999;branch=z9hG4bKnat;rport
                From: <sip:alice@example.com>;tag=1
                To: <sip:bob@example.com>
                Call-ID: nat@test
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """));
        RecordingSink.Received<SipRequest> request = sink.nextRequest();
        assertEquals(peerPort, request.message().topVia().rport().getAsInt());
        assertEquals("127.0.0.1", request.message().topVia().received());
        layer.sendResponse(SipResponse.forRequest(request.message(), 200), request.connection());
        Arrival got = nextAtPeer();
        assertTrue(got.message() instanceof SipResponse);
        assertEquals(peerPort, got.connection().localAddress().getPort());
    }

    @Test
    void aWildcardListenerStampsTheAddressTheRouteLeavesFromAndItsOwnPort() throws Exception {
        try (TransportLayer wildcard = new TransportLayer(
                Fixtures.settings(TransportConfig.defaults(), null, ServerLocator.jdk()), sink, counters)) {
            Listener any = wildcard.listen("udp", new InetSocketAddress("0.0.0.0", 0));
            OutboundRequest out = wildcard.prepare(Fixtures.options("sip:bob@127.0.0.1:" + peerPort), null);
            Via via = out.request().topVia();
            assertEquals("127.0.0.1", via.host());
            assertEquals(any.localAddress().getPort(), via.port());
            wildcard.send(out);
            Arrival got = nextAtPeer();
            got.connection().send(SipResponse.forRequest((SipRequest) got.message(), 200));
            assertEquals(via.branch(), sink.nextResponse().message().topVia().branch());
        }
    }
}
