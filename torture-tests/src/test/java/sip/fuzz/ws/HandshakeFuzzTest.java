package sip.fuzz.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.transport.ws.WebSocketHandshakeException;

/**
 * Hostile opening handshakes against a {@code ws} listener: arbitrary bytes, or an upgrade
 * request built from fuzzer-chosen parts ({@link UpgradeRequest}: methods, targets, versions,
 * header names in any case, repeated headers, Connection/Upgrade token lists, subprotocol lists,
 * WebSocket versions, keys, origins, sizes around the 8 KiB head limit, bare-LF line ends),
 * sent with or without a half-close after it. The server either
 * <ul>
 *   <li>answers 101 with {@code Upgrade: websocket}, {@code Connection: Upgrade}, the right
 *       {@code Sec-WebSocket-Accept} for the key sent and {@code Sec-WebSocket-Protocol: sip}, no
 *       extension, only if the request was a GET offering {@code sip}, version 13, a key of 16
 *       bytes and the upgrade tokens; and the connection then carries a close handshake;</li>
 *   <li>or answers 400/403/404/426/431 with {@code Connection: close}, its body as long as
 *       Content-Length says, the status the request's only fault calls for, and closes;</li>
 *   <li>or, when the request never ended its head, closes without a word;</li>
 * </ul>
 * within the handshake timeout (plus the 1 s a refusal lingers), leaving no connection open, and
 * the listener still serves a valid client afterwards ({@link FrameExchange}).
 *
 * <p>Without {@code JAZZER_FUZZ} this replays
 * {@code src/test/resources/sip/fuzz/ws/HandshakeFuzzTestInputs/hostileHandshake/}.
 */
class HandshakeFuzzTest {

    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 426, 431);
    /** The handshake timeout, the refusal's linger, and slack for a loaded machine. */
    private static final long BOUND_NANOS = WsBed.HANDSHAKE_TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(2500);

    @RegisterExtension
    static final WsBed bed = new WsBed();

    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "60s")
    void hostileHandshake(FuzzedDataProvider data) throws IOException {
        try (SilentCloseable loopback = WsBed.loopbackOnly(true)) {
            WsBed.warmUp();
            UpgradeRequest request = data.consumeInt(0, 7) == 0
                    ? UpgradeRequest.raw(data.consumeBytes(data.consumeInt(0, 600)))
                    : UpgradeRequest.draw(data);
            boolean halfClose = data.consumeInt(0, 31) != 31; // else the handshake timeout ends it: slow, so rarer
            check(request, halfClose);
            // The listener still serves a valid client: handshake, a message, a close.
            String tag = FrameExchange.newTag();
            FrameExchange.run(bed, new byte[0], tag, left -> left, false);
        }
    }

    static void check(UpgradeRequest request, boolean halfClose) throws IOException {
        String what = request.describe();
        HostilePeer.Head head;
        byte[] rest;
        long started;
        java.net.InetSocketAddress local;
        try (HostilePeer peer = HostilePeer.connect(bed.address())) {
            local = peer.localAddress();
            peer.write(request.bytes());
            if (halfClose) {
                peer.shutdownOutput();
            }
            started = System.nanoTime();
            head = peer.head();
            if (head.status() == 101) {
                checkAccepted(request, head, what);
                if (halfClose) {
                    // The client is gone: the server ends the connection, with nothing to say.
                    var frames = ServerFrames.parse(peer.untilClosed());
                    assertEquals(List.of(), frames, what);
                } else {
                    // A live WebSocket: it answers a close with a close, then ends.
                    peer.write(FrameScript.plainFrame(FrameScript.CLOSE, new byte[] {0x03, (byte) 0xE8}));
                    var frames = ServerFrames.parse(peer.untilClosed());
                    assertEquals(1, frames.size(), () -> what + ": the close answered: " + frames);
                    assertEquals(1000, frames.getFirst().closeCode(), what);
                }
                bed.awaitIdle(what);
                return;
            }
            rest = peer.untilClosed();
        }
        long took = System.nanoTime() - started;
        assertTrue(took < BOUND_NANOS, () -> what + ": the server took " + took / 1_000_000 + " ms to close");
        if (!head.complete()) {
            assertEquals("", head.text(), () -> what + ": an answer cut short");
            assertTrue(request.expectation() != UpgradeRequest.Expect.ACCEPT && !request.headEnds(),
                    () -> what + ": closed without an answer, yet the request head was complete");
        } else {
            checkRefused(request, head, rest, what);
        }
        // The refusal is told to the handler with the status that went out (0: none).
        IOException cause = bed.failure(local, what);
        int sent = head.complete() ? head.status() : 0;
        assertTrue(cause instanceof WebSocketHandshakeException w && w.status() == sent,
                () -> what + ": Failed event for a " + sent + ": " + cause);
        bed.awaitIdle(what);
    }

    private static void checkAccepted(UpgradeRequest request, HostilePeer.Head head, String what) {
        assertTrue(request.expectation() != UpgradeRequest.Expect.REFUSE,
                () -> what + ": accepted a request it must refuse (" + request.faults() + "):\n" + head.text());
        assertTrue(head.text().startsWith("HTTP/1.1 101 "), head::text);
        assertTrue(request.offersEverything(), () -> what + ": 101 for a request lacking something");
        assertNotNull(head.field("Upgrade"), head::text);
        assertTrue(head.field("Upgrade").equalsIgnoreCase("websocket"), head::text);
        assertTrue(head.field("Connection").equalsIgnoreCase("upgrade"), head::text);
        String accept = head.field("Sec-WebSocket-Accept");
        assertTrue(request.keys().stream().anyMatch(k -> FrameExchange.accept(k).equals(accept)),
                () -> what + ": Sec-WebSocket-Accept " + accept + " is for none of the keys " + request.keys());
        assertEquals("sip", head.field("Sec-WebSocket-Protocol"), head::text);
        assertEquals(null, head.field("Sec-WebSocket-Extensions"), () -> what + ": no extension is negotiated");
    }

    private static void checkRefused(UpgradeRequest request, HostilePeer.Head head, byte[] body, String what) {
        int status = head.status();
        assertTrue(REFUSALS.contains(status), () -> what + ": neither 101 nor a refusal:\n" + head.text());
        assertTrue(request.expectation() != UpgradeRequest.Expect.ACCEPT,
                () -> what + ": refused a valid request:\n" + head.text() + new String(body, StandardCharsets.ISO_8859_1));
        Set<Integer> allowed = request.refusalStatuses();
        assertTrue(allowed.isEmpty() || allowed.contains(status),
                () -> what + ": status " + status + " for " + request.faults() + ", not one of " + allowed);
        assertEquals("close", head.field("Connection"), () -> what + ": a refusal closes:\n" + head.text());
        assertEquals(String.valueOf(body.length), head.field("Content-Length"), () -> what + ": body length");
        if (status == 426 && request.faults().equals(Set.of(UpgradeRequest.Fault.VERSION))) {
            assertEquals("13", head.field("Sec-WebSocket-Version"), () -> what + ": RFC 6455 §4.4 names the version");
        }
    }
}
