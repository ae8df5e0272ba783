package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Connection;
import sip.transport.spi.Listener;
import sip.transport.spi.MessageTooLargeException;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;

/** RFC 3261 §18.1.1: requests above the MTU go over TCP; responses may be as large as UDP allows. */
class UdpSizeLimitTest extends UdpTestBase {

    private final Recorder peer = new Recorder();
    private Transport sender;
    private Transport receiver;
    private Connection toPeer;

    private void connect(TransportConfig config) throws Exception {
        sender = open(config, new Recorder());
        receiver = open(peer);
        sender.listen(loopback(V4));
        Listener listener = receiver.listen(loopback(V4));
        toPeer = sender.connect(listener.localAddress());
    }

    @Test
    void aRequestAboveTheMtuIsRefusedAndNothingIsSent() throws Exception {
        connect(TransportConfig.defaults());
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> toPeer.send(Datagrams.request("big", 1400)));
        assertEquals(1400, e.size());
        assertEquals(1300, e.limit());

        // Datagrams on loopback arrive in order: if the big one had gone out, it would come first.
        toPeer.send(Datagrams.request("small"));
        assertEquals("small", peer.next().id());
        assertEquals(1, sender.stats().messagesOut());
        assertEquals(Datagrams.request("small").length, receiver.stats().bytesIn());
    }

    @Test
    void aResponseAboveTheMtuGoesThrough() throws Exception {
        connect(TransportConfig.defaults());
        toPeer.send(Datagrams.response("r1", 1400));
        Recorder.Received r = peer.next();
        assertEquals("r1", r.id());
        assertEquals(1400, r.message().toBytes().length);
        assertEquals(1400, receiver.stats().bytesIn());
    }

    @Test
    void aLargerConfiguredMtuLetsTheRequestThrough() throws Exception {
        connect(TransportConfig.newBuilder().mtu(2000).build());
        toPeer.send(Datagrams.request("big", 1400));
        assertEquals("big", peer.next().id());
        assertEquals(1400, sender.stats().bytesOut());
    }

    @Test
    void nothingAboveTheLargestDatagramIsSentAndTheLargestOneIs() throws Exception {
        connect(TransportConfig.defaults());
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> toPeer.send(Datagrams.response("huge", 65_508)));
        assertEquals(65_508, e.size());
        assertEquals(65_507, e.limit());

        toPeer.send(Datagrams.response("largest", 65_507));
        assertEquals("largest", peer.next().id());
        assertEquals(65_507, receiver.stats().bytesIn());
        assertEquals(1, sender.stats().messagesOut());
    }

    @Test
    void aRequestAboveTheMtuGoesThroughWhenSentAboveTheMtu() throws Exception {
        connect(TransportConfig.defaults());
        // RFC 3261 §18.1.1: the retry over UDP after the peer refused TCP travels at its size.
        toPeer.sendAboveMtu(ByteBuffer.wrap(Datagrams.request("retry", 2200)));
        Recorder.Received r = peer.next();
        assertEquals("retry", r.id());
        assertEquals(2200, r.message().toBytes().length);
        assertEquals(2200, sender.stats().bytesOut());
        // Only that send is exempt: the policy still holds for ordinary ones.
        assertThrows(MessageTooLargeException.class, () -> toPeer.send(Datagrams.request("plain", 2200)));
        assertEquals(1, sender.stats().messagesOut());
    }

    @Test
    void sendingAboveTheMtuStillStopsAtTheLargestDatagram() throws Exception {
        connect(TransportConfig.defaults());
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> toPeer.sendAboveMtu(ByteBuffer.wrap(Datagrams.request("huge", 65_508))));
        assertEquals(65_508, e.size());
        assertEquals(65_507, e.limit());

        toPeer.sendAboveMtu(ByteBuffer.wrap(Datagrams.request("largest", 65_507)));
        assertEquals("largest", peer.next().id());
        assertEquals(1, sender.stats().messagesOut());
    }

    @Test
    void sendingAboveTheMtuOnAClosedFlowIsRefused() throws Exception {
        connect(TransportConfig.defaults());
        toPeer.close();
        assertThrows(sip.transport.spi.ConnectionClosedException.class,
                () -> toPeer.sendAboveMtu(ByteBuffer.wrap(Datagrams.request("late", 2000))));
        assertEquals(0, sender.stats().messagesOut());
    }
}
