package sip.transport.loopback;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;
import sip.transport.spi.MessageTooLargeException;
import sip.transport.spi.Transport;

/** {@code mem}: datagrams between two transports on one network. */
class DatagramTest {

    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5060);
    private static final Duration IDLE = Duration.ofSeconds(5);

    private TestNetwork net = new TestNetwork(LoopbackNetwork.newBuilder().build());

    @AfterEach
    void closeAndCheckCounts() {
        net.close();
    }

    @Test
    void requestAndResponseTravelAsBytesWithTheirHeaders() throws Exception {
        Inbox alice = new Inbox();
        Inbox bob = new Inbox((connection, message) -> {
            SipResponse ok = SipResponse.builder((SipRequest) message, 200)
                    .addHeader("X-Answered-By", "bob").build();
            connection.send(ok);
        });
        Transport a = net.open("mem", alice);
        Transport b = net.open("mem", bob);
        a.listen(A);
        b.listen(B);

        SipRequest request = Sip.options(7).toBuilder().addHeader("X-Trace", "loopback 1").build();
        a.connect(B).send(request);

        Inbox.Received atBob = bob.take();
        SipRequest got = assertInstanceOf(SipRequest.class, atBob.message());
        assertEquals(Method.OPTIONS, got.method());
        assertEquals(request.callId(), got.callId());
        assertEquals(request.cseq(), got.cseq());
        assertEquals("alice-tag", got.fromTag());
        assertEquals("loopback 1", got.header("X-Trace").orElseThrow());
        assertEquals(request.topVia(), got.topVia());
        assertEquals(new Flow("mem", B, A), atBob.connection().flow(), "receiver local, sender local");
        assertTrue(atBob.connection().inbound());

        Inbox.Received atAlice = alice.take();
        SipResponse answer = assertInstanceOf(SipResponse.class, atAlice.message());
        assertEquals(200, answer.statusCode());
        assertEquals(request.callId(), answer.callId());
        assertEquals("bob", answer.header("X-Answered-By").orElseThrow());
        assertEquals(new Flow("mem", A, B), atAlice.connection().flow());

        assertTrue(net.network.awaitIdle(IDLE));
        assertEquals(1, a.stats().messagesOut());
        assertEquals(1, a.stats().messagesIn());
        assertEquals(request.toBytes().length, a.stats().bytesOut());
        assertEquals(request.toBytes().length, b.stats().bytesIn());
        assertEquals(2, net.network.stats().delivered());
        assertEquals(0, a.stats().connections(), "datagram flows are not connections");
        assertEquals(1, a.stats().sockets());
    }

    @Test
    void senderBufferIsCopiedAndConsumed() throws Exception {
        Inbox bob = new Inbox();
        Transport a = net.open("mem", new Inbox());
        net.open("mem", bob).listen(B);
        byte[] wire = Sip.options(1).toBytes();
        ByteBuffer buffer = ByteBuffer.wrap(wire);
        a.connect(B).send(buffer);
        assertFalse(buffer.hasRemaining(), "consumed");
        java.util.Arrays.fill(wire, (byte) 'x'); // the network holds its own copy
        assertEquals(1, bob.take().message().cseq().sequence());
    }

    @Test
    void withoutAListenerASenderGetsAnEphemeralSocketAnswersComeBackTo() throws Exception {
        Inbox alice = new Inbox();
        Transport a = net.open("mem", alice);
        net.open("mem", new Inbox((c, m) -> c.send(SipResponse.forRequest((SipRequest) m, 200)))).listen(B);
        Connection out = a.connect(B);
        assertTrue(out.localAddress().getPort() >= 49152, out.toString());
        assertEquals("127.0.0.1", out.localAddress().getAddress().getHostAddress(), "loopback of B's family");
        assertEquals(List.of(), a.listeners(), "an ephemeral socket is no listener");
        assertEquals(1, a.stats().sockets());
        out.send(Sip.options(2));
        assertEquals(200, ((SipResponse) alice.take().message()).statusCode());
    }

    @Test
    void portZeroPicksAFreePortAndTakenPortsAreRefused() throws Exception {
        Transport a = net.open("mem", new Inbox());
        Listener one = a.listen(new InetSocketAddress("127.0.0.1", 0));
        Listener two = a.listen(new InetSocketAddress("127.0.0.1", 0));
        assertTrue(one.localAddress().getPort() > 0);
        assertTrue(one.localAddress().getPort() != two.localAddress().getPort());
        assertThrows(BindException.class, () -> a.listen(one.localAddress()));
        assertEquals(2, a.listeners().size());
        one.close();
        assertFalse(one.isOpen());
        assertEquals(List.of(two), a.listeners());
        assertEquals(1, a.stats().listeners());
    }

    @Test
    void lossOfOneDropsEverything() throws Exception {
        net.close();
        net = new TestNetwork(LoopbackNetwork.newBuilder().loss(1.0).build());
        Inbox bob = new Inbox();
        Transport a = net.open("mem", new Inbox());
        net.open("mem", bob).listen(B);
        Connection out = a.connect(B);
        for (int i = 1; i <= 20; i++) {
            out.send(Sip.options(i));
        }
        assertTrue(net.network.awaitIdle(IDLE));
        assertEquals(List.of(), bob.drain());
        assertEquals(new NetworkStats(20, 0, 20, 0, 0, 0, 0), net.network.stats());
        assertEquals(20, a.stats().messagesOut(), "the sender cannot tell");
    }

    @Test
    void sendingWhereNobodyListensIsLostLikeUdp() throws Exception {
        Transport a = net.open("mem", new Inbox());
        a.connect(new InetSocketAddress("10.9.9.9", 5060)).send(Sip.options(1));
        assertTrue(net.network.awaitIdle(IDLE));
        NetworkStats s = net.network.stats();
        assertEquals(1, s.sent());
        assertEquals(1, s.dropped());
        assertEquals(0, s.delivered());
    }

    @Test
    void malformedBytesGoToOnMalformed() throws Exception {
        Inbox bob = new Inbox();
        Transport a = net.open("mem", new Inbox());
        Transport b = net.open("mem", bob);
        b.listen(B);
        a.connect(B).send("INVITE sip:bob@example.com SIP/2.0\r\nVia: garbage\r\n\r\n".getBytes(US_ASCII));
        assertTrue(net.network.awaitIdle(IDLE));
        assertEquals(1, bob.malformed().size());
        assertEquals(List.of(), bob.drain());
        assertEquals(1, b.stats().malformed());
        assertEquals(0, b.stats().messagesIn());
    }

    @Test
    void requestsAboveTheMtuAreRefusedResponsesAreNot() throws Exception {
        Transport a = net.open("mem", net.network.transportConfig().mtu(300).build(), new Inbox());
        Connection out = a.connect(B);
        SipRequest big = Sip.options(1).toBuilder().addHeader("X-Pad", "p".repeat(400)).build();
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> out.send(big));
        assertEquals(300, e.limit());
        assertEquals(0, a.stats().messagesOut(), "nothing sent");
        SipResponse bigAnswer = SipResponse.builder(big, 200).build();
        out.send(bigAnswer);
        assertEquals(1, a.stats().messagesOut());
    }

    @Test
    void findGivesTheFlowBackWhileItsListenerIsOpen() throws Exception {
        Transport b = net.open("mem", new Inbox());
        Listener listener = b.listen(B);
        Flow flow = new Flow("mem", B, A);
        Connection found = b.find(flow).orElseThrow();
        assertEquals(flow, found.flow());
        assertTrue(found.isOpen());
        assertTrue(b.find(new Flow("mem-stream", B, A)).isEmpty());
        assertTrue(b.find(new Flow("mem", A, B)).isEmpty(), "not bound here");
        listener.close();
        assertTrue(b.find(flow).isEmpty());
        assertFalse(found.isOpen());
        assertThrows(ConnectionClosedException.class, () -> found.send(Sip.options(1)));
    }

    @Test
    void ipv6AndWildcardListeners() throws Exception {
        Inbox bob = new Inbox();
        Transport a = net.open("mem", new Inbox());
        Transport b = net.open("mem", bob);
        a.listen(new InetSocketAddress("::1", 5070));
        b.listen(new InetSocketAddress("::", 5080));
        a.connect(new InetSocketAddress("::1", 5080)).send(Sip.options(1));
        Inbox.Received got = bob.take();
        assertEquals(new Flow("mem", new InetSocketAddress("::1", 5080), new InetSocketAddress("::1", 5070)),
                got.connection().flow());
        assertTrue(got.connection().flow().toString().contains("[0:0:0:0:0:0:0:1]:5070"));
    }

    @Test
    void aHandlerThatThrowsIsCountedAndDeliveryGoesOn() throws Exception {
        Inbox bob = new Inbox((c, m) -> {
            if (m.cseq().sequence() == 1) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
        });
        Transport a = net.open("mem", new Inbox());
        Transport b = net.open("mem", bob);
        b.listen(B);
        Connection out = a.connect(B);
        out.send(Sip.options(1));
        out.send(Sip.options(2));
        assertTrue(net.network.awaitIdle(IDLE));
        assertEquals(List.of(1L, 2L), bob.drainSequences());
        assertEquals(1, b.stats().handlerErrors());
    }

    /** SPI Transport.listen: a closed transport throws ConnectionClosedException, as UDP does. */
    @Test
    void listenAndConnectOnAClosedTransportThrowConnectionClosed() throws Exception {
        Transport a = net.open("mem", new Inbox());
        a.close();
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, () -> a.listen(A));
        assertTrue(e.getMessage().contains("mem") && e.getMessage().contains("10.0.0.1"), e.getMessage());
        assertThrows(ConnectionClosedException.class, () -> a.connect(B), "no socket to send from");

        Transport c = net.open("mem", new Inbox());
        net.network.close();
        assertThrows(ConnectionClosedException.class, () -> c.listen(A), "its network closed");
    }

    @Test
    void countsReturnToZeroAfterClose() throws Exception {
        Transport a = net.open("mem", new Inbox());
        a.listen(A);
        a.listen(new InetSocketAddress("::1", 0));
        a.connect(new InetSocketAddress("10.9.9.9", 1)); // reuses the IPv4 listener
        assertEquals(2, a.stats().sockets());
        a.close();
        a.close(); // idempotent
        assertEquals(0, a.stats().sockets());
        assertEquals(0, a.stats().listeners());
        assertThrows(java.io.IOException.class, () -> a.listen(A));
        Transport again = net.open("mem", new Inbox());
        assertEquals(A, again.listen(A).localAddress(), "the address is free again");
    }
}
