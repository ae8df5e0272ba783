package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;

/** Idle, message-read and write timeouts: each closes only the connection that earned it. */
class TcpTimeoutTest extends TransportTestBase {

    @Test
    void aConnectionThatReceivesNothingIsClosedAsIdle() throws Exception {
        Recorder serverSide = new Recorder();
        Transport server = open(TransportConfig.newBuilder().idleTimeout(Duration.ofMillis(300)).build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());

        ConnectionEvent.Opened opened = serverSide.await(ConnectionEvent.Opened.class);
        assertEquals(CloseReason.IDLE, serverSide.closeReason(opened.connection()));
        assertEquals("", peer.readUntilClosed());
        assertEquals(1, server.stats().timedOut());
        assertEquals(0, server.stats().connections()); // un-counted before Closed is reported
        assertEquals(1, server.stats().sockets()); // the listener only
    }

    @Test
    void zeroDurationsTurnTimeoutsOff() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(TransportConfig.newBuilder().idleTimeout(Duration.ZERO)
                .messageReadTimeout(Duration.ZERO).writeTimeout(Duration.ZERO).build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        // A message that is partly buffered across many reads: a zero deadline must not mean "now".
        peer.writeByteByByte(TestMessages.message("no-timeouts", "a body, sent slowly"));
        assertEquals("no-timeouts", peer.readMessage().callId());
        assertEquals(0, server.stats().timedOut());
        assertTrue(serverSide.message().connection().isOpen());
    }

    @Test
    void anInboundConnectionThatOnlyPingsIsClosedAtTheFirstMessageDeadline() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(TransportConfig.newBuilder()
                .messageReadTimeout(Duration.ofMillis(400))
                .idleTimeout(Duration.ofSeconds(30)) // so only the first-message deadline can close it
                .build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer talker = raw(listener.localAddress());
        talker.write(TestMessages.options("first"));
        assertEquals("first", talker.readMessage().callId());

        RawPeer silent = raw(listener.localAddress());
        silent.write("\r\n\r\n"); // a ping is answered, but is not a first message
        assertEquals("\r\n", silent.readExactly(2));
        ConnectionEvent.Closed closed = serverSide.await(ConnectionEvent.Closed.class,
                e -> e.connection().remoteAddress().equals(silent.localAddress()));
        assertEquals(CloseReason.READ_TIMEOUT, closed.reason());
        assertEquals(1, server.stats().timedOut());

        // The talker opened before the silent peer, so its own first-message deadline has passed
        // too: having sent a message, it is bound only by the idle timeout.
        assertFalse(serverSide.seen(ConnectionEvent.Closed.class,
                e -> e.connection().remoteAddress().equals(talker.localAddress())));
        talker.write(TestMessages.options("still-here"));
        assertEquals("still-here", talker.readMessage().callId());
    }

    @Test
    void aSlowLorisIsClosedAtTheReadDeadlineWhileAnotherConnectionKeepsWorking() throws Exception {
        Recorder serverSide = new Recorder().answering();
        Transport server = open(TransportConfig.newBuilder()
                .messageReadTimeout(Duration.ofMillis(500))
                .idleTimeout(Duration.ofSeconds(30)) // so only the read deadline can close the loris
                .build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        Recorder clientSide = new Recorder();
        Connection good = open(clientSide).connect(listener.localAddress());

        RawPeer loris = raw(listener.localAddress());
        InetSocketAddress lorisAddress = loris.localAddress();
        byte[] message = TestMessages.options("loris");
        AtomicInteger trickled = new AtomicInteger();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        closeLater(trickle::shutdownNow);
        trickle.scheduleAtFixedRate(() -> {
            int i = trickled.get();
            if (i < message.length) {
                try {
                    loris.write(new byte[] {message[i]});
                    trickled.incrementAndGet();
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // closed by the server: stops the schedule
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        // Exchange on the good connection for as long as the loris is connected.
        int exchanges = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Recorder.WAIT_MILLIS);
        while (!serverSide.seen(ConnectionEvent.Closed.class, e -> e.connection().remoteAddress().equals(lorisAddress))
                && System.nanoTime() < deadline) {
            good.send(TestMessages.options("good-" + exchanges));
            SipResponse answer = assertInstanceOf(SipResponse.class, clientSide.message().message());
            assertEquals("good-" + exchanges, answer.callId());
            exchanges++;
        }
        ConnectionEvent.Closed closed = serverSide.await(ConnectionEvent.Closed.class,
                e -> e.connection().remoteAddress().equals(lorisAddress));
        assertEquals(CloseReason.READ_TIMEOUT, closed.reason());
        assertTrue(trickled.get() > 0 && trickled.get() < message.length,
                "the loris had sent " + trickled.get() + " of " + message.length + " bytes");
        assertTrue(exchanges > 0);
        assertEquals(1, server.stats().timedOut());

        good.send(TestMessages.options("after"));
        assertEquals("after", clientSide.message().message().callId());
        assertTrue(good.isOpen());
        loris.readUntilClosed();
    }

    @Test
    void aSendBlockedByAPeerThatNeverReadsClosesTheConnectionWithWriteTimeout() throws Exception {
        Recorder clientSide = new Recorder();
        Transport client = open(TransportConfig.newBuilder().writeTimeout(Duration.ofMillis(300)).build(), clientSide);
        ServerSocket sink = closeLater(new ServerSocket());
        sink.setReceiveBufferSize(4096); // fill the path sooner
        sink.bind(ANY_V4);
        Connection out = client.connect((InetSocketAddress) sink.getLocalSocketAddress());
        Socket neverReads = closeLater(sink.accept());
        assertTrue(neverReads.isConnected());

        ExecutorService sender = closeLater(Executors.newVirtualThreadPerTaskExecutor());
        ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
        Future<Integer> sending = sender.submit(() -> {
            int sent = 0;
            while (sent < 100_000) { // ~25 GB: never reached, the path fills within a few MB
                out.send(chunk.duplicate());
                sent++;
            }
            return sent;
        });
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> sending.get(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertInstanceOf(ConnectionClosedException.class, failed.getCause());
        assertEquals(CloseReason.WRITE_TIMEOUT, clientSide.closeReason(out));
        assertFalse(out.isOpen());
        assertEquals(1, client.stats().timedOut());
        assertEquals(0, client.stats().connections());
    }

    @Test
    void timeTheHandlerHoldsTheReaderUpDoesNotCountAgainstThePeersReadDeadline() throws Exception {
        Duration readTimeout = Duration.ofMillis(300);
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch restSent = new CountDownLatch(1);
        Recorder serverSide = new Recorder().reacting((c, m) -> {
            if (m.callId().equals("slow")) {
                handling.countDown();
                await(restSent);
                // The stack is busy (back-pressure, as the SPI intends) for longer than the peer
                // is given to finish a message: this holds the reader up, it synchronises nothing.
                holdFor(readTimeout.multipliedBy(2));
            }
            c.send(SipResponse.forRequest((SipRequest) m, 200));
        });
        Transport server = open(TransportConfig.newBuilder().messageReadTimeout(readTimeout)
                .idleTimeout(Duration.ofSeconds(30)).build(), serverSide);
        Listener listener = server.listen(ANY_V4);
        RawPeer peer = raw(listener.localAddress());
        byte[] slow = TestMessages.options("slow");
        byte[] next = TestMessages.options("next");
        // One write: the whole "slow" request and the start of "next", so "next" is partly
        // buffered while the handler holds the reader up.
        byte[] first = Arrays.copyOf(slow, slow.length + 10);
        System.arraycopy(next, 0, first, slow.length, 10);
        peer.write(first);
        assertTrue(handling.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        peer.write(Arrays.copyOfRange(next, 10, next.length)); // the peer finishes at once
        restSent.countDown();

        assertEquals("slow", peer.readMessage().callId());
        assertEquals("next", peer.readMessage().callId(), "the connection outlived the slow handler");
        assertFalse(serverSide.seen(ConnectionEvent.Closed.class, e -> true));
        assertEquals(0, server.stats().timedOut());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the calling thread busy for {@code time}: a slow application, not a synchronisation. */
    private static void holdFor(Duration time) {
        long until = System.nanoTime() + time.toNanos();
        for (long left = time.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
