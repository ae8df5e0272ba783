package sip.transport.loopback;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.ConnectionLimitException;
import sip.transport.spi.Flow;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;

/** {@code mem-stream}: connections, their events and reuse, framing; single-stepped. */
class StreamTest {

    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5060);

    private final TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().manualDelivery().build());
    private final LoopbackNetwork network = net.network;

    @AfterEach
    void closeAndCheckCounts() {
        net.close();
    }

    @Test
    void connectOpensBothEndsAndIsReused() throws Exception {
        Inbox alice = new Inbox();
        Inbox bob = new Inbox((c, m) -> c.send(SipResponse.forRequest((SipRequest) m, 200)));
        Transport a = net.open("mem-stream", alice);
        a.listen(A);
        Transport b = net.open("mem-stream", bob);
        b.listen(B);

        Connection out = a.connect(B);
        assertFalse(out.inbound());
        assertEquals(B, out.remoteAddress());
        assertEquals("10.0.0.1", out.localAddress().getAddress().getHostAddress(), "from its listener's address");
        assertSame(out, a.connect(B), "reused (RFC 3261 §18.1.1)");
        assertEquals(1, a.stats().connected());
        network.deliverAll();

        Connection opened = assertInstanceOf(ConnectionEvent.Opened.class, alice.takeEvent()).connection();
        assertSame(out, opened);
        Connection accepted = assertInstanceOf(ConnectionEvent.Opened.class, bob.takeEvent()).connection();
        assertTrue(accepted.inbound());
        assertEquals(new Flow("mem-stream", B, out.localAddress()), accepted.flow());
        assertSame(accepted, b.find(accepted.flow()).orElseThrow());
        assertEquals(1, b.stats().accepted());
        assertEquals(2, a.stats().sockets(), "a listener and a connection");
        assertEquals(1, a.stats().connections());

        out.send(Sip.options(1));
        network.deliverAll();
        Inbox.Received request = bob.take();
        assertSame(accepted, request.connection());
        Inbox.Received answer = alice.take();
        assertSame(out, answer.connection(), "the answer comes back on the same connection");
        assertEquals(200, ((SipResponse) answer.message()).statusCode());
        assertSame(accepted, b.connect(out.localAddress()), "the accepted one is reused the other way too");
    }

    @Test
    void closeTellsThisSideLocalAndThePeerPeer() throws Exception {
        Inbox alice = new Inbox();
        Inbox bob = new Inbox();
        Transport a = net.open("mem-stream", alice);
        Transport b = net.open("mem-stream", bob);
        b.listen(B);
        Connection out = a.connect(B);
        network.deliverAll();
        alice.drainEvents();
        Connection accepted = ((ConnectionEvent.Opened) bob.takeEvent()).connection();

        out.send(Sip.options(1));
        out.close();
        out.close(); // idempotent
        assertFalse(out.isOpen());
        assertThrows(ConnectionClosedException.class, () -> out.send(Sip.options(2)));
        assertEquals(0, a.stats().connections(), "counted down at once");
        network.deliverAll();

        assertEquals(List.of(new ConnectionEvent.Closed(out, CloseReason.LOCAL)), alice.drainEvents());
        assertEquals(List.of(1L), bob.drainSequences(), "what was sent before the close still arrives");
        assertEquals(List.of(new ConnectionEvent.Closed(accepted, CloseReason.PEER)), bob.drainEvents());
        assertFalse(accepted.isOpen());
        assertEquals(0, b.stats().connections());
        assertTrue(b.find(accepted.flow()).isEmpty());
        assertTrue(a.connect(B) != out, "a new connection after the close");
    }

    @Test
    void transportCloseClosesItsConnectionsAndThePeersSee() throws Exception {
        Inbox bob = new Inbox();
        Transport a = net.open("mem-stream", new Inbox());
        Transport b = net.open("mem-stream", bob);
        Listener listener = b.listen(B);
        a.connect(B);
        network.deliverAll();
        bob.drainEvents();
        listener.close();
        assertEquals(1, b.stats().connections(), "closing a listener leaves its connections open");
        a.close();
        network.deliverAll();
        assertEquals(CloseReason.PEER, ((ConnectionEvent.Closed) bob.takeEvent()).reason());
        assertEquals(0, b.stats().connections());
        assertEquals(0, b.stats().sockets());
    }

    /** SPI Transport.listen: a closed transport throws ConnectionClosedException, as TCP does. */
    @Test
    void listenAndConnectOnAClosedTransportThrowConnectionClosed() throws Exception {
        Transport b = net.open("mem-stream", new Inbox());
        b.listen(B);
        Transport a = net.open("mem-stream", new Inbox());
        a.close();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, () -> a.listen(A));
        assertTrue(e.getMessage().contains("mem-stream") && e.getMessage().contains("10.0.0.1"), e.getMessage());
        assertThrows(ConnectionClosedException.class, () -> a.connect(B));

        Transport c = net.open("mem-stream", new Inbox());
        network.close();
        assertThrows(ConnectionClosedException.class, () -> c.listen(A), "its network closed");
        assertThrows(ConnectionClosedException.class, () -> c.connect(B), "its network closed");
    }

    @Test
    void connectingWhereNobodyListensIsRefused() throws Exception {
        Inbox alice = new Inbox();
        Transport a = net.open("mem-stream", alice);
        InetSocketAddress nobody = new InetSocketAddress("10.9.9.9", 5060);
        ConnectException e = assertThrows(ConnectException.class, () -> a.connect(nobody));
        assertTrue(e.getMessage().contains("10.9.9.9"), e.getMessage());
        network.deliverAll();
        ConnectionEvent.Failed failed = assertInstanceOf(ConnectionEvent.Failed.class, alice.takeEvent());
        assertEquals(new ConnectionEvent.Failed("mem-stream", nobody, false, e), failed);
        assertEquals(1, a.stats().failed());
        assertEquals(0, a.stats().sockets());
    }

    @Test
    void maxConnectionsIsHonouredOnBothSides() throws Exception {
        Inbox alice = new Inbox();
        Inbox bob = new Inbox();
        InetSocketAddress b2 = new InetSocketAddress("10.0.0.2", 5070);
        Transport a = net.open("mem-stream", network.transportConfig().maxConnections(1).build(), alice);
        Transport b = net.open("mem-stream", network.transportConfig().maxConnections(1).build(), bob);
        b.listen(B);
        b.listen(b2);
        a.connect(B);
        ConnectionLimitException own = assertThrows(ConnectionLimitException.class, () -> a.connect(b2));
        assertTrue(own.getMessage().contains("limit of 1"), own.getMessage());
        assertEquals(1, a.stats().refused());

        Transport c = net.open("mem-stream", new Inbox());
        ConnectException theirs = assertThrows(ConnectException.class, () -> c.connect(b2));
        assertTrue(theirs.getMessage().contains("limit of 1"), theirs.getMessage());
        assertEquals(1, b.stats().refused());
        assertEquals(1, b.stats().connections());
        network.deliverAll();
        assertTrue(bob.drainEvents().stream().anyMatch(ev -> ev instanceof ConnectionEvent.Failed f
                && f.inbound() && f.cause() instanceof ConnectionLimitException));
        assertEquals(0, c.stats().sockets());
    }

    @Test
    void messagesAreFramedByContentLengthAcrossSends() throws Exception {
        Inbox bob = new Inbox();
        Transport a = net.open("mem-stream", new Inbox());
        net.open("mem-stream", bob).listen(B);
        Connection out = a.connect(B);
        byte[] one = Sip.options(1).toBytes();
        byte[] two = Sip.options(2).toBytes();
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        int cut = one.length + 10;
        out.send(Arrays.copyOfRange(both, 0, cut));
        network.deliverAll();
        assertEquals(List.of(1L), bob.drainSequences());
        out.send(Arrays.copyOfRange(both, cut, both.length));
        network.deliverAll();
        assertEquals(List.of(2L), bob.drainSequences());
    }

    /** SPI (InboundHandler.onMalformed): a framed but invalid message leaves the stream open, as on TCP. */
    @Test
    void aFramedButInvalidMessageLeavesTheStreamOpen() throws Exception {
        List<String> calls = new ArrayList<>();
        InboundHandler bob = new InboundHandler() {
            @Override
            public void onMessage(Connection c, SipMessage m) {
                calls.add("message " + m.cseq().sequence());
            }

            @Override
            public void onMalformed(Connection c, ParseResult.Malformed m) {
                calls.add("malformed " + m.error().status().code());
            }

            @Override
            public void onEvent(ConnectionEvent e) {
                calls.add(e.getClass().getSimpleName());
            }
        };
        Transport a = net.open("mem-stream", new Inbox());
        Transport b = net.open("mem-stream", bob);
        b.listen(B);
        Connection out = a.connect(B);
        network.deliverAll();
        String bad = new String(Sip.options(1).toBytes(), US_ASCII).replace("Max-Forwards: 70", "Max-Forwards: many");
        assertTrue(bad.contains("Max-Forwards: many"), bad);
        out.send(bad.getBytes(US_ASCII));
        out.send(Sip.options(2));
        network.deliverAll();
        assertEquals(List.of("Opened", "malformed 400", "message 2"), calls);
        assertTrue(out.isOpen());
        assertEquals(1, b.stats().connections(), "the accepted end too");
        assertEquals(1, b.stats().malformed());
    }

    /** A bad Content-Length loses the stream's message boundaries: the connection closes, as on TCP. */
    @Test
    void lostFramingClosesTheStream() throws Exception {
        Link link = openedLink();
        String bad = new String(Sip.options(1).toBytes(), US_ASCII).replace("Content-Length: 0", "Content-Length: x");
        assertTrue(bad.contains("Content-Length: x"), bad);
        link.out().send(bad.getBytes(US_ASCII));
        link.out().send(Sip.options(2));
        network.deliverAll();
        assertEquals(1, link.bob().malformed().size());
        assertEquals(List.of(), link.bob().drainSequences(), "nothing after lost framing is read");
        assertEquals(CloseReason.MALFORMED, ((ConnectionEvent.Closed) link.bob().takeEvent()).reason());
        assertEquals(CloseReason.PEER, ((ConnectionEvent.Closed) link.alice().takeEvent()).reason());
        assertFalse(link.out().isOpen());
    }

    @Test
    void unreadableBytesCloseTheStream() throws Exception {
        Link link = openedLink();
        link.out().send("NOT SIP AT ALL\r\n\r\n".getBytes(US_ASCII));
        network.deliverAll();
        assertEquals(1, link.bob().malformed().size());
        assertEquals(1, link.b().stats().malformed());
        assertEquals(CloseReason.MALFORMED, ((ConnectionEvent.Closed) link.bob().takeEvent()).reason());
        assertEquals(CloseReason.PEER, ((ConnectionEvent.Closed) link.alice().takeEvent()).reason());
        assertFalse(link.out().isOpen());
    }

    @Test
    void aPingIsAnsweredWithAPong() throws Exception {
        Transport a = net.open("mem-stream", new Inbox());
        Transport b = net.open("mem-stream", new Inbox());
        b.listen(B);
        a.connect(B).send("\r\n\r\n".getBytes(US_ASCII));
        network.deliverAll();
        assertEquals(1, b.stats().keepAlives());
        assertEquals(2, a.stats().bytesIn(), "the pong");
        assertEquals(0, b.stats().messagesIn());
    }

    @Test
    void lossKnobsDoNotTouchStreams() throws Exception {
        try (TestNetwork lossy = new TestNetwork(LoopbackNetwork.newBuilder()
                .loss(1.0).duplication(1.0).reorder(1.0).manualDelivery().build())) {
            lossy.network.rule(Rule.when(p -> true, Fate.DROP));
            Inbox bob = new Inbox();
            Transport a = lossy.open("mem-stream", new Inbox());
            lossy.open("mem-stream", bob).listen(B);
            Connection out = a.connect(B);
            for (int i = 1; i <= 5; i++) {
                out.send(Sip.options(i));
            }
            lossy.network.deliverAll();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), bob.drainSequences());
            assertEquals(new NetworkStats(5, 5, 0, 0, 0, 0, 0), lossy.network.stats());
        }
    }

    /** Alice's transport connected to Bob's listener at {@link #B}, the Opened events consumed. */
    private record Link(Inbox alice, Inbox bob, Transport a, Transport b, Connection out) {}

    private Link openedLink() throws Exception {
        Inbox alice = new Inbox();
        Inbox bob = new Inbox();
        Transport a = net.open("mem-stream", alice);
        Transport b = net.open("mem-stream", bob);
        b.listen(B);
        Connection out = a.connect(B);
        network.deliverAll();
        alice.drainEvents();
        bob.drainEvents();
        return new Link(alice, bob, a, b, out);
    }
}
