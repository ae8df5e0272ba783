package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.TlsException;
import sip.transport.spi.TlsException.Failure;
import sip.transport.spi.Transport;

/** Peers that never finish a handshake are cut off by the handshake timeout, on either side. */
class HandshakeTimeoutTest extends TlsFixture {

    private static final Duration SHORT = Duration.ofMillis(300);

    private Recorder serverSide;
    private Transport serverTransport;

    private InetSocketAddress serve() throws IOException {
        serverSide = Recorder.quiet();
        serverTransport = open(serverTls().build(), serverSide, b -> b.handshakeTimeout(SHORT));
        return listen(serverTransport);
    }

    private TlsException failedInbound() throws InterruptedException {
        ConnectionEvent.Failed failed = serverSide.event(ConnectionEvent.Failed.class);
        assertTrue(failed.inbound());
        assertEquals("tls", failed.protocol());
        return assertInstanceOf(TlsException.class, failed.cause());
    }

    @Test
    void silentPeerIsClosedAfterTheHandshakeTimeout() throws Exception {
        InetSocketAddress address = serve();
        try (Socket silent = new Socket()) {
            silent.connect(address);
            TlsException e = failedInbound();
            assertEquals(Failure.TIMEOUT, e.failure(), e.getMessage());
            assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
            silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Recorder.WAIT_SECONDS));
            byte[] lastWords = silent.getInputStream().readAllBytes(); // returns at end of stream
            assertTrue(lastWords.length == 0 || lastWords[0] == 21, "nothing, or an alert record");
        }
        awaitCounts(serverTransport, 1, 0); // the listener alone
        assertEquals(1, serverTransport.stats().failed());
        assertFalse(serverSide.events.stream().anyMatch(ConnectionEvent.Opened.class::isInstance));
    }

    @Test
    void tricklingPeerIsClosedAtTheDeadlineThoughEachReadIsQuick() throws Exception {
        InetSocketAddress address = serve();
        // A TLS record header announcing a large handshake record, then one byte every 50 ms:
        // no read waits anywhere near the timeout, so only a deadline on the whole handshake ends it.
        byte[] header = {22, 3, 1, 0x40, 0};
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (Socket trickle = new Socket()) {
            trickle.connect(address);
            OutputStream out = trickle.getOutputStream();
            out.write(header);
            out.flush();
            pacer.scheduleAtFixedRate(() -> {
                try {
                    out.write(1);
                    out.flush();
                } catch (IOException closedByTheServer) {
                    throw new RuntimeException(closedByTheServer); // ends the schedule
                }
            }, 50, 50, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            TlsException e = failedInbound();
            assertEquals(Failure.TIMEOUT, e.failure(), e.getMessage());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(took < TimeUnit.SECONDS.toMillis(Recorder.WAIT_SECONDS), "took " + took + " ms");
        } finally {
            pacer.shutdownNow();
            assertTrue(pacer.awaitTermination(Recorder.WAIT_SECONDS, TimeUnit.SECONDS));
        }
        awaitCounts(serverTransport, 1, 0);
    }

    @Test
    void plainTcpPeerIsRefused() throws Exception {
        InetSocketAddress address = serve();
        try (Socket plain = new Socket()) {
            plain.connect(address);
            plain.getOutputStream().write(options("plain"));
            plain.getOutputStream().flush();
            TlsException e = failedInbound();
            assertEquals(Failure.PROTOCOL, e.failure(), e.getMessage());
        }
        awaitCounts(serverTransport, 1, 0);
    }

    @Test
    void serverThatNeverAnswersTimesTheClientOut() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress address = (InetSocketAddress) mute.getLocalSocketAddress();
            Recorder clientSide = Recorder.quiet();
            Transport client = open(clientTls().build(), clientSide, b -> b.handshakeTimeout(SHORT));
            TlsException e = assertThrows(TlsException.class, () -> client.connect(address, "sip.test"));
            assertEquals(Failure.TIMEOUT, e.failure(), e.getMessage());
            assertEquals(e, clientSide.event(ConnectionEvent.Failed.class).cause());
            assertEquals(0, client.stats().sockets());
        }
    }

    @Test
    void aConnectTimeoutUnderAMillisecondIsNotTakenForNone() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs
        // until its timeout (0, "none", would be for ever).
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            boolean hangs = false;
            for (int i = 0; i < 8 && !hangs; i++) {
                Socket s = new Socket();
                queued.add(s);
                try {
                    s.connect(full.getLocalSocketAddress(), 200);
                } catch (SocketTimeoutException e) {
                    hangs = true;
                }
            }
            Assumptions.assumeTrue(hangs, "this kernel does not drop connects to a full accept queue");
            InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
            Transport client = open(clientTls().build(), Recorder.quiet(), b -> b.connectTimeout(Duration.ofNanos(500_000)));
            assertTimeoutPreemptively(Duration.ofSeconds(Recorder.WAIT_SECONDS),
                    () -> assertThrows(SocketTimeoutException.class, () -> client.connect(address, "sip.test")));
            assertEquals(1, client.stats().failed());
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }
}
