package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;

/** close() gives back every socket and ends every thread the transport started. */
class UdpCloseTest extends UdpTestBase {

    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private final ThreadFactory recording = runnable -> {
        Thread t = Thread.ofVirtual().name("udp-test-", started.size()).unstarted(runnable);
        started.add(t);
        return t;
    };

    @Test
    void closeStopsEverythingAndLaterSendsFail() throws Exception {
        Recorder peerHandler = new Recorder();
        Transport peer = open(peerHandler);
        Listener peerListener = peer.listen(loopback(V4));
        Transport udp = open(TransportConfig.newBuilder().receiveWorkers(2).threadFactory(recording).build(),
                new Recorder());
        Listener listener = udp.listen(loopback(V4));
        Connection overListener = udp.connect(peerListener.localAddress());
        overListener.send(Datagrams.request("c1"));
        Connection reply = peerHandler.next().connection();
        // A loopback-bound listener cannot reach a non-loopback peer: a client socket opens (and reads).
        Connection overClient = udp.connect(new InetSocketAddress("192.0.2.1", 5060));
        assertEquals(new InetSocketAddress("0.0.0.0", overClient.localAddress().getPort()),
                overClient.localAddress());
        TransportStats before = udp.stats();
        assertEquals(2, before.sockets());
        assertEquals(1, before.listeners());
        assertEquals(0, before.connections());
        assertEquals(2 + 2, started.size(), "two workers and two readers");

        udp.close();
        udp.close(); // idempotent

        TransportStats after = udp.stats();
        assertEquals(0, after.sockets());
        assertEquals(0, after.listeners());
        assertEquals(0, after.connections());
        assertTrue(udp.listeners().isEmpty());
        assertFalse(listener.isOpen());
        assertFalse(overListener.isOpen());
        assertFalse(overClient.isOpen());
        for (Thread t : started) {
            assertTrue(t.join(Duration.ofSeconds(5)), t + " still running after close");
        }
        assertThrows(ConnectionClosedException.class, () -> overListener.send(Datagrams.request("c2")));
        assertThrows(ConnectionClosedException.class, () -> overClient.send(Datagrams.request("c3")));
        assertThrows(ConnectionClosedException.class, () -> udp.connect(peerListener.localAddress()));
        assertThrows(IOException.class, () -> udp.listen(loopback(V4)));
        assertTrue(udp.find(overListener.flow()).isEmpty());
        assertEquals(1, udp.stats().messagesOut(), "the refused sends were not counted");
        assertEquals(started.size(), 4, "closing started nothing");

        // The peer was not affected; its view of the flow still sends (to a closed port).
        assertTrue(reply.isOpen());
        reply.send(Datagrams.response("c1", 0));
    }

    @Test
    void aListenerClosedAloneGivesBackItsSocketAndItsReader() throws Exception {
        Transport udp = open(TransportConfig.newBuilder().receiveWorkers(1).threadFactory(recording).build(),
                new Recorder());
        Listener first = udp.listen(loopback(V4));
        Listener second = udp.listen(loopback(V4));
        assertEquals(2, udp.stats().listeners());
        Thread firstReader = started.get(1);

        first.close();
        first.close();
        assertEquals(1, udp.stats().sockets());
        assertEquals(1, udp.stats().listeners());
        assertEquals(List.of(second), udp.listeners());
        assertTrue(firstReader.join(Duration.ofSeconds(5)), "the closed listener's reader ended");
    }
}
