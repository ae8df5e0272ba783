package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipResponse;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.ConnectionLimitException;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

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
    void aFramedButInvalidMessageIsAnsweredAndTheConnectionGoesOn() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        String bad = new String(TestMessages.options("bad-hops"), java.nio.charset.StandardCharsets.US_ASCII)
                .replace("Max-Forwards: 70", "Max-Forwards: many");
        peer.write(bad);
        assertEquals(400, serverSide.malformed().error().status().code());
        SipResponse rejected = assertInstanceOf(SipResponse.class, peer.readMessage());
        assertEquals(400, rejected.statusCode());

        peer.write(TestMessages.options("after-bad"));
        SipResponse answer = assertInstanceOf(SipResponse.class, peer.readMessage());
        assertEquals("after-bad", answer.callId(), "the same connection carries the next request");
        assertEquals(1, server.stats().connections());
        assertEquals(1, server.stats().malformed());
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
    void oneAddressCannotTakeMoreThanItsShareWhileOthersStillGetIn() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(TransportConfig.newBuilder().maxConnectionsPerAddress(2).build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        java.net.InetAddress greedy = java.net.InetAddress.getByName("127.0.0.1");
        java.net.InetAddress other = java.net.InetAddress.getByName("127.0.0.2");
        RawPeer first = closeLater(new RawPeer(listener.localAddress(), greedy));
        RawPeer second = closeLater(new RawPeer(listener.localAddress(), greedy));
        first.write(TestMessages.options("one"));
        second.write(TestMessages.options("two"));
        assertEquals("one", first.readMessage().callId());
        assertEquals("two", second.readMessage().callId());

        RawPeer third = closeLater(new RawPeer(listener.localAddress(), greedy));
        ConnectionEvent.Failed failed = serverSide.await(ConnectionEvent.Failed.class);
        ConnectionLimitException why = assertInstanceOf(ConnectionLimitException.class, failed.cause());
        assertTrue(why.getMessage().endsWith("connection limit of 2 per address reached for 127.0.0.1"),
                why.getMessage());
        assertEquals("", third.readUntilClosed());
        assertEquals(1, server.stats().refused());

        RawPeer elsewhere = closeLater(new RawPeer(listener.localAddress(), other));
        elsewhere.write(TestMessages.options("other-host"));
        assertEquals("other-host", elsewhere.readMessage().callId(), "another address still gets in");

        first.close(); // frees one of the greedy address's two places
        assertEquals(CloseReason.PEER, serverSide.await(ConnectionEvent.Closed.class).reason());
        RawPeer again = closeLater(new RawPeer(listener.localAddress(), greedy));
        again.write(TestMessages.options("again"));
        assertEquals("again", again.readMessage().callId());
        assertEquals(1, server.stats().refused());

        server.close();
        assertEquals(0, ((sip.transport.tcp.internal.StreamTransport) server).addressesTracked(),
                "no address is remembered once its connections are gone");
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

    @Test
    void aHandlerStuckOnARefusalDoesNotStopTheAcceptLoop() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        closeLater(unblock::countDown); // never leave the handler stuck, whatever the outcome
        InboundHandler handler = new InboundHandler() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                recorder.onMessage(connection, message);
            }

            @Override
            public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
                recorder.onMalformed(connection, malformed);
            }

            @Override
            public void onEvent(ConnectionEvent event) {
                if (event instanceof ConnectionEvent.Failed) {
                    reporting.countDown();
                    try {
                        unblock.await(Recorder.WAIT_MILLIS * 2, TimeUnit.MILLISECONDS); // a slow handler
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                recorder.onEvent(event);
            }
        };
        Transport server = track(Transports.open("tcp", TransportConfig.newBuilder().maxConnections(1).build(), handler));
        Listener listener = server.listen(ANY_V4);
        raw(listener.localAddress());
        recorder.await(ConnectionEvent.Opened.class);

        RawPeer refused = raw(listener.localAddress());
        assertTrue(reporting.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals("", refused.readUntilClosed());
        // The handler is still stuck on the first refusal; the next connection is accepted and refused all the same.
        RawPeer alsoRefused = raw(listener.localAddress());
        assertEquals("", alsoRefused.readUntilClosed());
        assertEquals(2, server.stats().refused());
        assertEquals(0, recorder.count(ConnectionEvent.Failed.class, e -> true));

        unblock.countDown();
        eventually(() -> recorder.count(ConnectionEvent.Failed.class, e -> true) == 2, "both refusals reported");
        assertTrue(recorder.seen(ConnectionEvent.Failed.class, e -> e.remote().equals(alsoRefused.localAddress())
                && e.cause() instanceof ConnectionLimitException));
        assertEquals(1, server.stats().connections());
    }
}
