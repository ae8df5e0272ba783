package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import sip.transport.spi.Transport;
import sip.transport.tls.internal.SslContexts;
import sip.transport.ws.WebSocketHandshakeException;

/**
 * REVIEW-T's findings on the WebSocket provider: each test fails today and passes once its defect
 * is fixed (see /work/notes/ws-review-transport.md).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReviewFindingsTest extends WsTestBase {

    /** T1: what the decoder holds for the frame being read, through its private fields. */
    private static int heldFor(FrameDecoder d, String field) throws ReflectiveOperationException {
        Field f = FrameDecoder.class.getDeclaredField(field);
        f.setAccessible(true);
        byte[] b = (byte[]) f.get(d);
        return b == null ? 0 : b.length;
    }

    @Test
    void aFrameHeaderAloneDoesNotReserveTheAnnouncedPayload() throws Exception {
        int limit = 1 << 16;
        FrameDecoder single = new FrameDecoder(Role.SERVER, limit, limit);
        byte[] header = new byte[FrameEncoder.MAX_HEADER_LENGTH];
        int n = FrameEncoder.writeHeader(header, 0, FrameEncoder.BINARY, true, limit, true, 0x01020304);
        single.feed(header, 0, n);
        assertTrue(single.next() instanceof WsEvent.NeedMore);
        // 4096 connections x 64 KiB = 256 MiB pinned by peers that sent 14 bytes each.
        int heldForPayload = heldFor(single, "target");
        assertTrue(heldForPayload <= 8192, "bytes held for a payload none of which arrived: " + heldForPayload);

        FrameDecoder fragmented = new FrameDecoder(Role.SERVER, limit, limit);
        n = FrameEncoder.writeHeader(header, 0, FrameEncoder.BINARY, false, limit, true, 0x01020304);
        fragmented.feed(header, 0, n);
        assertTrue(fragmented.next() instanceof WsEvent.NeedMore);
        int heldForFragment = heldFor(fragmented, "fragments");
        assertTrue(heldForFragment <= 8192, "bytes held for a fragment none of which arrived: " + heldForFragment);
    }

    @Test
    void twoHostFieldsAreRefusedWith400() throws Exception {
        InetSocketAddress at = listen(open("ws", Events.recording()));
        RawWsPeer peer = raw(at);
        peer.write(RawWsPeer.request("/", "Host: evil.example", "Sec-WebSocket-Protocol: sip"));
        String head = peer.head();
        assertTrue(head.startsWith("HTTP/1.1 400 "), head);
    }

    @Test
    void aBareCrInAFieldValueIsRefusedWith400() throws Exception {
        InetSocketAddress at = listen(open("ws", Events.recording()));
        RawWsPeer peer = raw(at);
        peer.write(RawWsPeer.request("/", "Sec-WebSocket-Protocol: sip", "Origin: https://a.test\rX-Injected: 1"));
        String head = peer.head();
        assertTrue(head.startsWith("HTTP/1.1 400 "), head);
    }

    @Test
    void closingTheTransportAbortsAnOutboundHandshakeAtOnce() throws Exception {
        CountDownLatch requestRead = new CountDownLatch(1);
        try (var silent = new HandWrittenServer<>((client, s) -> {
            client.head();
            requestRead.countDown();
            return s.getInputStream().read(); // never answers; -1 once the client's socket closes
        })) {
            Transport client = open("ws", Events.recording(), b -> b.handshakeTimeout(Duration.ofSeconds(20)));
            CompletableFuture<Throwable> attempt = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    client.connect(silent.address());
                    attempt.complete(null);
                } catch (IOException | RuntimeException e) {
                    attempt.complete(e);
                }
            });
            assertTrue(requestRead.await(5, TimeUnit.SECONDS), "the upgrade request never came");
            long started = System.nanoTime();
            client.close();
            Throwable outcome = attempt.get(10, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(outcome instanceof IOException, "connect must fail once the transport closed: " + outcome);
            // Half the handshake timeout: "at once" against "at the deadline", with room for a loaded machine.
            assertTrue(tookMs < 10_000, "connect ended " + tookMs + " ms after close(): it waited out the handshake timeout");
            assertTrue(silent.result().get(5, TimeUnit.SECONDS) < 0, "the server saw its socket closed");
        }
    }

    @Test
    void anOutboundWssHandshakeIsBoundedByOneHandshakeTimeoutInAll() throws Exception {
        long timeoutMs = 4000;
        long tlsStallMs = 3000; // TLS finishes within the timeout; the upgrade then never gets an answer
        CountDownLatch serverDone = new CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var context = SslContexts.create(tls());
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = listener.accept()) {
                    serverDone.await(tlsStallMs, TimeUnit.MILLISECONDS); // the stall: nothing counts this down before
                    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(accepted, null,
                            accepted.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    ssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()); // until the client gives up
                } catch (IOException | InterruptedException e) {
                    // the client gave up: that is the point
                }
            });
            Transport client = open("wss", Events.recording(), b -> b.handshakeTimeout(Duration.ofMillis(timeoutMs)));
            long started = System.nanoTime();
            IOException failure = null;
            try {
                client.connect((InetSocketAddress) listener.getLocalSocketAddress(), "sip.test");
            } catch (IOException e) {
                failure = e;
            } finally {
                serverDone.countDown();
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(failure instanceof WebSocketHandshakeException, "expected a handshake timeout, got " + failure);
            // One timeout in all ends it at ~4 s; one for TLS and another for the upgrade at ~7 s (stall
            // + timeout): the bound sits between them, 1.5 s from each.
            assertTrue(tookMs < timeoutMs + tlsStallMs / 2, "the connect gave up after " + tookMs + " ms; handshakeTimeout is "
                    + timeoutMs + " ms for TLS and the upgrade together");
        }
    }

    @Test
    void aFrameHeaderWithoutPayloadIsUnderTheMessageReadTimeout() throws Exception {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1 << 16, 1 << 16);
        byte[] header = new byte[FrameEncoder.MAX_HEADER_LENGTH];
        int n = FrameEncoder.writeHeader(header, 0, FrameEncoder.BINARY, true, 1000, true, 0x01020304);
        decoder.feed(header, 0, n);
        assertTrue(decoder.next() instanceof WsEvent.NeedMore);
        int buffered = decoder.buffered();

        Transport server = open("ws", Events.answering(),
                b -> b.idleTimeout(Duration.ofSeconds(20)).messageReadTimeout(Duration.ofMillis(300)));
        RawWsPeer peer = raw(listen(server)).upgraded();
        peer.text(options("first")); // the first-message rule is met
        assertTrue(peer.message().startsWith("SIP/2.0 200 "));
        peer.write(java.util.Arrays.copyOf(header, n)); // a frame begun, its payload never sent
        boolean closed = peer.closedByServer(); // waits Events.WAIT_SECONDS (5 s) at most
        assertTrue(buffered > 0, "the decoder says nothing is buffered while a frame's payload is awaited");
        assertTrue(closed, "a begun frame outlived the 300 ms message read timeout (only the 20 s idle timeout ends it)");
    }
}
