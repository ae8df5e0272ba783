package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;

/** Requests and responses between two transports on loopback, and the flows they travel on. */
class UdpExchangeTest extends UdpTestBase {

    @ParameterizedTest
    @ValueSource(strings = {V4, V6})
    void requestAndResponseTravelOnTheSameFlow(String host) throws Exception {
        Recorder alice = new Recorder();
        Recorder bob = new Recorder();
        Transport a = open(alice);
        Transport b = open(bob);
        Listener aListener = a.listen(loopback(host));
        Listener bListener = b.listen(loopback(host));
        assertNotEquals(0, aListener.localAddress().getPort(), "port 0 binds an ephemeral port");

        Connection out = a.connect(bListener.localAddress());
        assertFalse(out.inbound());
        assertEquals(aListener.localAddress(), out.localAddress(), "sent from the listener");
        out.send(Datagrams.request("q1"));

        Recorder.Received request = bob.next();
        assertInstanceOf(SipRequest.class, request.message());
        assertEquals("q1", request.id());
        Connection in = request.connection();
        assertTrue(in.inbound());
        assertEquals(Protocol.UDP, in.protocol());
        assertEquals(new Flow("udp", bListener.localAddress(), aListener.localAddress()), in.flow());

        in.send(SipResponse.forRequest((SipRequest) request.message(), 200));

        Recorder.Received response = alice.next();
        assertEquals(200, ((SipResponse) response.message()).statusCode());
        assertEquals("q1", response.id());
        // Flow symmetry: the answer comes back to the listener that sent the request.
        assertEquals(out.flow(), response.connection().flow());
        assertEquals(1, a.stats().messagesOut());
        assertEquals(1, a.stats().messagesIn());
        assertEquals(1, b.stats().messagesIn());
        assertEquals(1, b.stats().messagesOut());
        assertEquals(a.stats().bytesOut(), b.stats().bytesIn());
        assertEquals(2, a.stats().sockets() + b.stats().sockets(), "no client socket was needed");
    }

    @Test
    void withoutAListenerAClientSocketSendsAndHearsTheAnswer() throws Exception {
        Recorder server = new Recorder();
        Recorder client = new Recorder();
        Transport s = open(server);
        Transport c = open(client);
        Listener listener = s.listen(loopback(V4));

        Connection out = c.connect(listener.localAddress());
        assertEquals(1, c.stats().sockets(), "one ephemeral client socket");
        assertEquals(0, c.stats().listeners());
        assertTrue(c.listeners().isEmpty());
        out.send(Datagrams.request("q2"));

        Recorder.Received request = server.next();
        assertEquals(out.localAddress().getPort(), request.connection().remoteAddress().getPort());
        request.connection().send(Datagrams.response("q2", 0));

        Recorder.Received response = client.next();
        assertEquals("q2", response.id());
        assertTrue(response.connection().inbound());
        assertEquals(out.localAddress(), response.connection().localAddress());

        // The same client socket serves the next flow of that family.
        c.connect(new InetSocketAddress(listener.localAddress().getAddress(), 9));
        assertEquals(1, c.stats().sockets());
    }

    @Test
    void connectPicksTheListenerOfThePeersAddressFamily() throws Exception {
        InetSocketAddress v6 = loopback(V6);
        Transport a = open(new Recorder());
        Transport b = open(new Recorder());
        Listener a4 = a.listen(loopback(V4));
        Listener a6 = a.listen(v6);
        Listener b4 = b.listen(loopback(V4));
        Listener b6 = b.listen(v6);

        assertEquals(a4.localAddress(), a.connect(b4.localAddress()).localAddress());
        assertEquals(a6.localAddress(), a.connect(b6.localAddress()).localAddress());
        assertEquals(2, a.stats().sockets(), "no client socket while listeners serve both families");
        assertEquals(2, a.listeners().size());
    }

    @Test
    void findReturnsAViewOfAFlowWhileItsListenerIsOpen() throws Exception {
        Recorder bob = new Recorder();
        Recorder alice = new Recorder();
        Transport a = open(alice);
        Transport b = open(bob);
        Listener aListener = a.listen(loopback(V4));
        Listener bListener = b.listen(loopback(V4));
        a.connect(bListener.localAddress()).send(Datagrams.request("f1"));
        Flow flow = bob.next().connection().flow();

        Connection found = b.find(flow).orElseThrow();
        assertEquals(flow, found.flow());
        assertTrue(found.isOpen());
        found.send(Datagrams.response("f1", 0));
        assertEquals("f1", alice.next().id());

        // Closing a view forgets only that view.
        found.close();
        assertFalse(found.isOpen());
        assertThrows(ConnectionClosedException.class, () -> found.send(Datagrams.response("f2", 0)));
        b.find(flow).orElseThrow().send(Datagrams.response("f3", 0));
        assertEquals("f3", alice.next().id());

        assertTrue(b.find(new Flow("tcp", flow.local(), flow.remote())).isEmpty());
        assertTrue(b.find(new Flow("udp", new InetSocketAddress(flow.local().getAddress(), 9), flow.remote()))
                .isEmpty());

        bListener.close();
        assertFalse(bListener.isOpen());
        assertTrue(b.find(flow).isEmpty(), "no flow once its listener is closed");
        assertEquals(0, b.stats().sockets());
        assertEquals(List.of(), b.listeners());
        assertEquals(List.of(aListener), a.listeners());
    }
}
