package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.tcp.internal.StreamTransport;
import sip.transport.tls.internal.StallingSockets.StallableSocket;

/**
 * Closing a TLS connection whose peer takes nothing: {@code close_notify} is written with a
 * blocking write that has no timeout, so without care a close waits for ever, the reader never
 * reports {@code Closed} and {@code Transport.close()} never returns. The server's raw sockets
 * are stalled deterministically ({@link StallingSockets}).
 */
class TlsCloseTest extends TlsFixture {

    private static final Duration WAIT = Duration.ofSeconds(Recorder.WAIT_SECONDS);

    private Recorder serverSide;
    private StallingSockets sockets;
    private StreamTransport server;

    private InetSocketAddress serve(UnaryOperator<TransportConfig.Builder> settings) throws IOException {
        serverSide = Recorder.quiet();
        sockets = new StallingSockets(TlsSockets.create(serverTls().build()));
        server = track(new StreamTransport(Protocol.TLS, config(serverTls().build(), settings), serverSide, sockets));
        return listen(server);
    }

    @Test
    void closingAConnectionWhosePeerTakesNothingReturnsAndTheConnectionEnds() throws Exception {
        InetSocketAddress address = serve(b -> b);
        Recorder clientSide = Recorder.quiet();
        Connection out = open(clientTls().build(), clientSide).connect(address, "sip.test");
        Connection in = serverSide.event(ConnectionEvent.Opened.class).connection();
        StallableSocket raw = sockets.nextAccepted();
        raw.stall(); // no send in progress: only close_notify will meet the stall

        Thread closing = Thread.ofVirtual().start(in::close);
        assertTrue(closing.join(WAIT), "close() returned");
        assertEquals(0, raw.writeStalled.getCount(), "close_notify was attempted and stalled");
        assertTrue(raw.isClosed());
        assertFalse(in.isOpen());
        assertEquals(0, server.stats().connections());
        ConnectionEvent.Closed closed = serverSide.event(ConnectionEvent.Closed.class);
        assertEquals(in, closed.connection());
        assertEquals(CloseReason.LOCAL, closed.reason());
        ConnectionEvent.Closed atClient = clientSide.event(ConnectionEvent.Closed.class);
        assertEquals(out, atClient.connection()); // reset, not left waiting
        assertTrue(serverSide.events.stream().noneMatch(ConnectionEvent.Closed.class::isInstance), "Closed once");
    }

    @Test
    void anIdleTimeoutOnAPeerThatTakesNothingIsReportedAndUncounted() throws Exception {
        InetSocketAddress address = serve(b -> b.idleTimeout(Duration.ofMillis(300)));
        open(clientTls().build(), Recorder.quiet()).connect(address, "sip.test");
        Connection in = serverSide.event(ConnectionEvent.Opened.class).connection();
        StallableSocket raw = sockets.nextAccepted();
        raw.stall();

        // The reader closes it; it used to hang in the close, so Closed never came and the counts stayed.
        ConnectionEvent.Closed closed = serverSide.event(ConnectionEvent.Closed.class);
        assertEquals(in, closed.connection());
        assertEquals(CloseReason.IDLE, closed.reason());
        assertEquals(0, raw.writeStalled.getCount(), "close_notify was attempted and stalled");
        assertTrue(raw.isClosed());
        assertEquals(1, server.stats().timedOut());
        awaitCounts(server, 1, 0); // the listener alone
    }

    @Test
    void closingTheTransportWithManyStalledPeersTakesOneGraceNotOneEach() throws Exception {
        InetSocketAddress address = serve(b -> b);
        // More connections than the wait below holds close graces (1 s each), so closing them one
        // grace after the other would fail; one shared grace passes.
        int stalled = (int) WAIT.toSeconds() + 4;
        List<StallableSocket> raws = new ArrayList<>();
        for (int i = 0; i < stalled; i++) {
            open(clientTls().build(), Recorder.quiet()).connect(address, "sip.test");
            serverSide.event(ConnectionEvent.Opened.class);
            raws.add(sockets.nextAccepted());
        }
        raws.forEach(StallableSocket::stall);

        Thread closing = Thread.ofVirtual().start(server::close);
        assertTrue(closing.join(WAIT), "Transport.close() returned");
        assertEquals(0, server.stats().sockets());
        assertEquals(0, server.stats().connections());
        for (StallableSocket raw : raws) {
            assertTrue(raw.isClosed());
        }
        for (int i = 0; i < stalled; i++) {
            assertEquals(CloseReason.LOCAL, serverSide.event(ConnectionEvent.Closed.class).reason());
        }
    }

    @Test
    void closingWhileASendIsStuckResetsAtOnceAndFailsTheSend() throws Exception {
        InetSocketAddress address = serve(b -> b.writeTimeout(Duration.ZERO)); // only the close ends the send
        open(clientTls().build(), Recorder.quiet()).connect(address, "sip.test");
        Connection in = serverSide.event(ConnectionEvent.Opened.class).connection();
        StallableSocket raw = sockets.nextAccepted();
        raw.stall();
        AtomicReference<IOException> sendFailure = new AtomicReference<>();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                in.send(options("stuck"));
            } catch (IOException e) {
                sendFailure.set(e);
            }
        });
        assertTrue(raw.writeStalled.await(Recorder.WAIT_SECONDS, TimeUnit.SECONDS), "the send is stuck");

        Thread closing = Thread.ofVirtual().start(in::close);
        assertTrue(closing.join(WAIT), "close() returned");
        assertTrue(sender.join(WAIT), "the stuck send ended");
        assertInstanceOf(ConnectionClosedException.class, sendFailure.get());
        assertTrue(raw.isClosed());
        assertEquals(CloseReason.LOCAL, serverSide.event(ConnectionEvent.Closed.class).reason());
        assertEquals(0, server.stats().messagesOut());
    }

    @Test
    void aPeerThatResetsItsConnectionIsReportedAsThePeersDoingNotOurs() throws Exception {
        InetSocketAddress address = serve(b -> b);
        javax.net.ssl.SSLContext context = SslContexts.create(clientTls().build());
        java.net.Socket plain = new java.net.Socket();
        plain.connect(address);
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(plain, "sip.test", address.getPort(), true);
        ssl.startHandshake();
        Connection in = serverSide.event(ConnectionEvent.Opened.class).connection();

        plain.setSoLinger(true, 0);
        plain.close(); // a reset: JSSE on the server closes its raw socket itself when it reads it

        ConnectionEvent.Closed closed = serverSide.event(ConnectionEvent.Closed.class);
        assertEquals(in, closed.connection());
        assertEquals(CloseReason.PEER, closed.reason());
        assertEquals(0, server.stats().connections());
    }
}
