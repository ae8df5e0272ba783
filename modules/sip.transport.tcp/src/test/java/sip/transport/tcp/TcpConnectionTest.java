package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import sip.message.SipResponse;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.tcp.internal.StreamSockets;
import sip.transport.tcp.internal.StreamTransport;
import sip.transport.tcp.internal.TcpSockets;

/** Connection reuse, lifecycle events and their reasons, handler failures. */
class TcpConnectionTest extends TransportTestBase {

    @Test
    void connectingTwiceToTheSameRemoteReusesTheConnection() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        Transport client = open(new Recorder());
        Connection first = client.connect(listener.localAddress());
        assertSame(first, client.connect(listener.localAddress()));
        assertSame(first, client.find(first.flow()).orElseThrow());
        assertEquals(1, client.stats().connected());

        first.close();
        assertTrue(client.find(first.flow()).isEmpty());
        Connection fresh = client.connect(listener.localAddress());
        assertNotSame(first, fresh);
        assertEquals(2, client.stats().connected());
        assertEquals(1, client.stats().connections());
    }

    @Test
    void concurrentConnectsToOneRemoteOpenOneConnection() throws Exception {
        Recorder serverSide = new Recorder();
        Listener listener = open(serverSide).listen(ANY_V4);
        GatedSockets sockets = new GatedSockets();
        StreamTransport client = track(new StreamTransport(Protocol.TCP, TransportConfig.defaults(),
                new Recorder(), sockets));

        int callers = 8;
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(callers);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int k = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    results.set(k, client.connect(listener.localAddress()));
                } catch (IOException | RuntimeException e) {
                    results.set(k, e);
                }
            }));
        }
        assertTrue(sockets.entered.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        // Let the first connect finish only once every caller is parked: the rest wait for it.
        eventually(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING), "all callers waiting");
        sockets.release.countDown();
        for (Thread t : threads) {
            assertTrue(t.join(Duration.ofMillis(Recorder.WAIT_MILLIS)));
        }
        Object first = results.get(0);
        assertInstanceOf(Connection.class, first);
        for (int i = 1; i < callers; i++) {
            assertSame(first, results.get(i));
        }
        assertEquals(1, sockets.connects.get());
        assertEquals(1, client.stats().connected());
        assertEquals(1, client.stats().connections());
        serverSide.await(ConnectionEvent.Opened.class);
        assertEquals(1, serverSide.count(ConnectionEvent.Opened.class, e -> true));
    }

    @Test
    void anInterruptedCallerGivesUpAloneWhileOthersGetTheSharedConnect() throws Exception {
        Recorder serverSide = new Recorder();
        Listener listener = open(serverSide).listen(ANY_V4);
        GatedSockets sockets = new GatedSockets();
        StreamTransport client = track(new StreamTransport(Protocol.TCP, TransportConfig.defaults(),
                new Recorder(), sockets));

        AtomicReference<Object> firstResult = new AtomicReference<>();
        Thread first = Thread.ofPlatform().start(() -> firstResult.set(connect(client, listener)));
        assertTrue(sockets.entered.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        int others = 3;
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(others);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            int k = i;
            threads.add(Thread.ofPlatform().start(() -> results.set(k, connect(client, listener))));
        }
        eventually(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING),
                "all callers waiting for the connect in progress");

        first.interrupt(); // the caller whose call started the connect
        assertTrue(first.join(Duration.ofMillis(Recorder.WAIT_MILLIS)));
        assertInstanceOf(InterruptedIOException.class, firstResult.get());
        sockets.release.countDown();
        for (Thread t : threads) {
            assertTrue(t.join(Duration.ofMillis(Recorder.WAIT_MILLIS)));
        }
        Connection shared = assertInstanceOf(Connection.class, results.get(0));
        for (int i = 1; i < others; i++) {
            assertSame(shared, results.get(i));
        }
        assertTrue(shared.isOpen());
        assertEquals(1, sockets.connects.get());
        assertEquals(0, client.stats().failed());
        assertSame(shared, client.connect(listener.localAddress()), "the interrupted caller may reuse it");
    }

    private static Object connect(Transport client, Listener listener) {
        try {
            return client.connect(listener.localAddress());
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    @Test
    void anInterruptedSenderClosesTheConnectionAsLocalNotAsThePeers() throws Exception {
        Recorder clientSide = new Recorder();
        // No write timeout: only the interrupt can end the stuck send.
        Transport client = open(TransportConfig.newBuilder().writeTimeout(Duration.ZERO).build(), clientSide);
        ServerSocket sink = closeLater(new ServerSocket());
        sink.setReceiveBufferSize(4096); // fill the path sooner
        sink.bind(ANY_V4);
        Connection out = client.connect((InetSocketAddress) sink.getLocalSocketAddress());
        Socket neverReads = closeLater(sink.accept());
        assertTrue(neverReads.isConnected());

        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
        // A virtual thread: its blocked socket I/O is what an interrupt ends (and the JDK closes the socket).
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 100_000; i++) { // ~25 GB: never reached, the path fills within a few MB
                    out.send(chunk.duplicate());
                }
            } catch (IOException e) {
                failure.set(e);
            }
        });
        // Its one parking place is the socket write, so WAITING means blocked on the full path.
        eventually(() -> sender.getState() == Thread.State.WAITING, "the sender blocked on a full path");
        sender.interrupt();
        assertTrue(sender.join(Duration.ofMillis(Recorder.WAIT_MILLIS)));

        assertInstanceOf(InterruptedIOException.class, failure.get());
        assertEquals(CloseReason.LOCAL, clientSide.closeReason(out));
        assertFalse(out.isOpen());
        assertEquals(0, client.stats().connections());
        assertEquals(0, client.stats().timedOut());
    }

    @Test
    void aHandlerExceptionDoesNotEndTheConnection() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Recorder.Reaction answer = (c, m) -> c.send(SipResponse.forRequest(TestMessages.parsed(
                TestMessages.options(m.callId())), 200));
        serverSide.reacting((c, m) -> {
            if (m.callId().equals("boom")) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
            answer.on(c, m);
        });
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        peer.write(TestMessages.options("boom"));
        peer.write(TestMessages.options("fine"));

        assertEquals("fine", peer.readMessage().callId());
        assertEquals("boom", serverSide.message().message().callId());
        Connection in = serverSide.message().connection();
        assertTrue(in.isOpen());
        assertEquals(1, server.stats().handlerErrors());
        assertEquals(2, server.stats().messagesIn());
        assertFalse(serverSide.seen(ConnectionEvent.Closed.class, e -> true));
    }

    @Test
    void aLocallyClosedConnectionRefusesSendsAndIsReportedClosedOnce() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        Recorder clientSide = new Recorder();
        Transport client = open(clientSide);
        Connection out = client.connect(listener.localAddress());
        Connection in = serverSide.await(ConnectionEvent.Opened.class).connection();

        out.close();
        out.close();
        assertFalse(out.isOpen());
        assertThrows(ConnectionClosedException.class, () -> out.send(TestMessages.options("late")));
        assertEquals(CloseReason.LOCAL, clientSide.closeReason(out));
        assertEquals(CloseReason.PEER, serverSide.closeReason(in));
        assertEquals(1, clientSide.count(ConnectionEvent.Closed.class, e -> e.connection() == out));
        assertEquals(0, client.stats().connections());
        assertEquals(0, client.stats().messagesOut());
    }

    @Test
    void aPeerResetIsReportedAsPeer() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        Socket peer = closeLater(new Socket());
        peer.connect(listener.localAddress());
        Connection in = serverSide.await(ConnectionEvent.Opened.class).connection();
        peer.setSoLinger(true, 0);
        peer.close(); // RST rather than FIN

        assertEquals(CloseReason.PEER, serverSide.closeReason(in));
        assertFalse(in.isOpen());
        assertEquals(0, server.stats().connections());
        assertThrows(ConnectionClosedException.class, () -> in.send(TestMessages.options("gone")));
    }

    @Test
    void closingTheTransportClosesEverythingOnceAndForAll() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(serverSide);
        Listener listener = server.listen(ANY_V4);
        Recorder clientSide = new Recorder();
        Connection out = open(clientSide).connect(listener.localAddress());
        Connection in = serverSide.await(ConnectionEvent.Opened.class).connection();

        server.close();
        server.close();
        assertEquals(0, server.stats().sockets());
        assertEquals(0, server.stats().connections());
        assertFalse(listener.isOpen());
        assertTrue(server.listeners().isEmpty());
        assertEquals(CloseReason.LOCAL, serverSide.closeReason(in));
        assertEquals(CloseReason.PEER, clientSide.closeReason(out));
        assertThrows(IOException.class, () -> server.listen(ANY_V4));
        assertThrows(IOException.class, () -> server.connect(listener.localAddress()));
        try (ServerSocket again = new ServerSocket()) {
            again.bind(listener.localAddress()); // the port was let go of when close() returned
            assertEquals(listener.localAddress().getPort(), again.getLocalPort());
        }
    }

    @Test
    void aFailedConnectIsReportedAndCounted() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(ANY_V4);
            nobody = (InetSocketAddress) s.getLocalSocketAddress();
        }
        Recorder clientSide = new Recorder();
        Transport client = open(clientSide);
        assertThrows(IOException.class, () -> client.connect(nobody));
        ConnectionEvent.Failed failed = clientSide.await(ConnectionEvent.Failed.class);
        assertEquals(nobody, failed.remote());
        assertFalse(failed.inbound());
        assertEquals(1, client.stats().failed());
        assertEquals(0, client.stats().connections());
    }

    /** Plain sockets whose connect waits until the test lets it go, to line up concurrent callers. */
    private static final class GatedSockets implements StreamSockets {
        final TcpSockets plain = new TcpSockets();
        final AtomicInteger connects = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
            return plain.bind(local, backlog);
        }

        @Override
        public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
            return plain.accepted(raw, handshakeTimeout);
        }

        @Override
        public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
                Duration handshakeTimeout) throws IOException {
            connects.incrementAndGet();
            entered.countDown();
            try {
                if (!release.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return plain.connect(remote, serverName, connectTimeout, handshakeTimeout);
        }
    }
}
