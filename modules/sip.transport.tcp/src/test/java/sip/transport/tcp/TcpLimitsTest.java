package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipResponse;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.ConnectionLimitException;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;

/** The message size limit, the connection limit, and malformed input. */
class TcpLimitsTest extends TransportTestBase {

    @Test
    void aMessageOverTheMaximumSizeIsRejectedWith413AndTheConnectionClosed() throws Exception {
        Recorder serverSide = new Recorder().answering();
        SipParser small = SipParser.newBuilder().maxMessageSize(1024).build();
        Transport server = open(TransportConfig.newBuilder().parser(small).build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        peer.write(TestMessages.inviteHead("too-big", 5000)); // refused before the body is sent

        ParseResult.Malformed malformed = serverSide.malformed();
        assertEquals(413, malformed.error().status().code());
        assertEquals("too-big", malformed.partial().orElseThrow().callId());
        ConnectionEvent.Opened opened = serverSide.await(ConnectionEvent.Opened.class);
        assertEquals(CloseReason.MALFORMED, serverSide.closeReason(opened.connection()));
        // The handler's answer went out before the connection closed.
        assertTrue(peer.readUntilClosed().startsWith("SIP/2.0 413 "));
        assertEquals(1, server.stats().malformed());
        assertEquals(0, server.stats().messagesIn());
    }

    @Test
    void malformedBytesCloseOnlyTheirConnectionNeverTheListener() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer garbage = raw(listener.localAddress());
        garbage.write("THIS IS NOT SIP AT ALL\r\n\r\n");
        serverSide.malformed();
        ConnectionEvent.Closed closed = serverSide.await(ConnectionEvent.Closed.class);
        assertEquals(CloseReason.MALFORMED, closed.reason());
        garbage.readUntilClosed();

        assertTrue(listener.isOpen());
        assertEquals(1, server.listeners().size());
        RawPeer fine = raw(listener.localAddress());
        fine.write(TestMessages.options("still-listening"));
        SipResponse answer = assertInstanceOf(SipResponse.class, fine.readMessage());
        assertEquals("still-listening", answer.callId());
    }

    @Test
    void inboundConnectionsOverTheLimitAreClosedAtOnce() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(TransportConfig.newBuilder().maxConnections(1).build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer first = raw(listener.localAddress());
        serverSide.await(ConnectionEvent.Opened.class);

        RawPeer second = raw(listener.localAddress());
        ConnectionEvent.Failed failed = serverSide.await(ConnectionEvent.Failed.class);
        assertTrue(failed.inbound());
        assertEquals("tcp", failed.protocol());
        assertEquals(second.localAddress(), failed.remote());
        assertInstanceOf(ConnectionLimitException.class, failed.cause());
        assertEquals("", second.readUntilClosed());
        assertEquals(1, server.stats().refused());

        first.write(TestMessages.options("first-still-served"));
        assertEquals("first-still-served", first.readMessage().callId());
        assertEquals(1, server.stats().connections());
        assertEquals(1, serverSide.count(ConnectionEvent.Opened.class, e -> true));
    }

    @Test
    void outboundConnectsOverTheLimitThrowUntilASlotIsFree() throws Exception {
        Transport server = open(new Recorder());
        Listener a = server.listen(ANY_V4);
        Listener b = server.listen(ANY_V4);
        Recorder clientSide = new Recorder();
        Transport client = open(TransportConfig.newBuilder().maxConnections(1).build(), clientSide);
        Connection first = client.connect(a.localAddress());

        assertThrows(ConnectionLimitException.class, () -> client.connect(b.localAddress()));
        assertEquals(1, client.stats().refused());
        ConnectionEvent.Failed failed = clientSide.await(ConnectionEvent.Failed.class);
        assertFalse(failed.inbound());
        assertEquals(b.localAddress(), failed.remote());
        assertEquals(first, client.connect(a.localAddress())); // reuse needs no new slot

        first.close();
        Connection second = client.connect(b.localAddress());
        assertNotSame(first, second);
        assertTrue(second.isOpen());
        assertEquals(2, client.stats().connected());
    }
}
