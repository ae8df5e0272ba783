package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Connection;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;

/**
 * An interrupt of a thread blocked on the shared channel closes it (NIO's rule); the listener is
 * everyone's, so it binds its address again and goes on receiving.
 */
class UdpRebindTest extends UdpTestBase {

    @Test
    void aListenerWhoseChannelWasClosedUnderItBindsAgainAndKeepsReceiving() throws Exception {
        Recorder handler = new Recorder();
        Transport udp = open(handler);
        Listener listener = udp.listen(loopback(V4));
        Transport peer = open(new Recorder());
        peer.listen(loopback(V4));
        Connection toListener = peer.connect(listener.localAddress());
        toListener.send(Datagrams.request("before"));
        assertEquals("before@example.com", handler.next().message().callId());

        UdpSocket socket = (UdpSocket) listener;
        DatagramChannel old = socket.channel();
        old.close(); // what an interrupt of its reader or of a blocked sender does
        await("the listener to bind again", Duration.ofSeconds(10), () -> socket.rebinds() == 1);

        assertTrue(listener.isOpen());
        assertFalse(old.isOpen());
        assertTrue(socket.channel().isOpen());
        assertEquals(listener.localAddress(), socket.channel().getLocalAddress(), "the same address");
        assertEquals(1, udp.stats().sockets(), "still one socket, counted once");
        toListener.send(Datagrams.request("after"));
        assertEquals("after@example.com", handler.next().message().callId());
    }

    @Test
    void aClosedListenerIsNotBoundAgain() throws Exception {
        Transport udp = open(new Recorder());
        Listener listener = udp.listen(loopback(V4));
        UdpSocket socket = (UdpSocket) listener;
        listener.close();
        socket.rebind(); // as a late reader or sender would
        assertEquals(0, socket.rebinds());
        assertFalse(socket.channel().isOpen());
        assertEquals(0, udp.stats().sockets());
    }
}
