package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportProvider;
import sip.transport.spi.Transports;

/** Messages in and out: both directions, both address families, any slicing of the stream. */
class TcpExchangeTest extends TransportTestBase {

    @Test
    void theProviderIsFoundThroughServiceLoaderOnTheModulePath() {
        TransportProvider provider = Transports.provider("TCP");
        assertEquals(Set.of(Protocol.TCP), provider.protocols());
        assertEquals("sip.transport.tcp", provider.getClass().getModule().getName());
        assertTrue(provider.getClass().getModule().isNamed());
        Protocol tcp = Transports.protocol("tcp");
        assertTrue(tcp.reliable() && tcp.stream() && !tcp.secure());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void requestsAndResponsesGoBothWays(String host) throws Exception {
        assumeTrue(!host.contains(":") || hasIpv6Loopback(), "this machine has no IPv6 loopback");
        Recorder serverSide = new Recorder().answering();
        Recorder clientSide = new Recorder().answering();
        Transport server = open(serverSide);
        Transport client = open(clientSide);
        Listener listener = server.listen(new InetSocketAddress(host, 0));
        assertTrue(listener.localAddress().getPort() > 0);

        Connection out = client.connect(listener.localAddress());
        assertFalse(out.inbound());
        assertEquals(listener.localAddress(), out.remoteAddress());
        out.send(TestMessages.options("c1"));

        Recorder.Received atServer = serverSide.message();
        Connection in = atServer.connection();
        assertEquals("c1", atServer.message().callId());
        assertTrue(in.inbound());
        assertEquals(out.localAddress(), in.remoteAddress());
        assertEquals(listener.localAddress(), in.localAddress());
        Recorder.Received answer = clientSide.message();
        assertSame(out, answer.connection());
        assertEquals(200, assertInstanceOf(SipResponse.class, answer.message()).statusCode());
        assertEquals("c1", answer.message().callId());

        // The server sends a request back over the flow the client's request came on.
        Connection back = server.find(in.flow()).orElseThrow();
        assertSame(in, back);
        back.send(TestMessages.parsed(TestMessages.options("c2")));
        Recorder.Received atClient = clientSide.message();
        assertSame(out, atClient.connection());
        assertInstanceOf(SipRequest.class, atClient.message());
        assertEquals("c2", atClient.message().callId());
        Recorder.Received answer2 = serverSide.message();
        assertEquals(200, ((SipResponse) answer2.message()).statusCode());
        assertEquals("c2", answer2.message().callId());

        serverSide.await(ConnectionEvent.Opened.class, e -> e.connection() == in);
        clientSide.await(ConnectionEvent.Opened.class, e -> e.connection() == out);
        assertEquals(2, server.stats().messagesIn());
        // A send is counted once written, so the peer may read it before the count goes up.
        eventually(() -> server.stats().messagesOut() == 2, "both server messages counted");
        assertEquals(2, client.stats().messagesIn());
        assertEquals(1, server.stats().accepted());
        assertEquals(1, client.stats().connected());
        assertEquals(2, server.stats().sockets()); // the listener and the accepted connection
        assertEquals(1, server.stats().connections());
    }

    @Test
    void directAndReadOnlyBuffersAreSentWhole() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        Transport client = open(new Recorder());
        Connection out = client.connect(listener.localAddress());
        // Under the default parser's 64 KiB, and still several of the connection's write chunks.
        byte[] fits = TestMessages.message("direct", "y".repeat(60_000));
        ByteBuffer direct = ByteBuffer.allocateDirect(fits.length).put(fits).flip();
        out.send(direct);
        assertFalse(direct.hasRemaining());
        out.send(ByteBuffer.wrap(TestMessages.options("read-only")).asReadOnlyBuffer());
        SipMessage first = serverSide.message().message();
        assertEquals("direct", first.callId());
        assertEquals(60_000, first.body().length);
        assertEquals("read-only", serverSide.message().message().callId());
        assertEquals(fits.length + TestMessages.options("read-only").length, client.stats().bytesOut());
    }

    @Test
    void aMessageWrittenOneByteAtATimeArrivesAsOneMessage() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        String body = "hello over a stream, one byte at a time";
        byte[] bytes = TestMessages.message("slices", body);
        peer.writeByteByByte(bytes);
        peer.write(TestMessages.options("after"));

        SipMessage m = serverSide.message().message();
        assertEquals("slices", m.callId());
        assertEquals(body, new String(m.body(), StandardCharsets.UTF_8));
        assertEquals("after", serverSide.message().message().callId()); // nothing came in between
        assertEquals(0, server.stats().malformed());
        assertEquals(bytes.length + TestMessages.options("after").length, server.stats().bytesIn());
    }

    @Test
    void fiftyMessagesInOneWriteAllArriveInOrder() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            all.writeBytes(i % 2 == 0 ? TestMessages.options("m" + i) : TestMessages.message("m" + i, "body " + i));
        }
        peer.write(all.toByteArray());
        for (int i = 0; i < 50; i++) {
            assertEquals("m" + i, serverSide.message().message().callId());
        }
        assertEquals(50, server.stats().messagesIn());
    }

    @Test
    void aDoubleCrlfPingIsAnsweredWithExactlyOneCrlf() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        peer.write("\r\n\r\n");
        peer.write(TestMessages.options("after-ping"));
        // Exactly one CRLF, then the answer to the request: nothing else in between.
        assertEquals("\r\nSIP/2.0 200 ", peer.readExactly("\r\nSIP/2.0 200 ".length()));
        assertEquals("after-ping", serverSide.message().message().callId());
        assertEquals(1, server.stats().keepAlives());
        // The pong is not a message; the answer is counted once written, so maybe after it was read.
        eventually(() -> server.stats().messagesOut() == 1, "the answer counted");
        assertEquals(1, server.stats().messagesOut());
    }

    @Test
    void aLoneCrlfPongIsNeitherAnsweredNorCounted() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        peer.write("\r\n");
        peer.write(TestMessages.options("after-pong"));
        assertEquals("SIP/2.0 200 ", peer.readExactly("SIP/2.0 200 ".length()));
        assertEquals("after-pong", serverSide.message().message().callId());
        assertEquals(0, server.stats().keepAlives());
    }
}
