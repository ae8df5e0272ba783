package sip.fuzz.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import sip.message.ParseResult;
import sip.message.SipMessage;

/**
 * One connection's life against the {@link WsBed}: a valid handshake, then a client stream, then
 * the checks against the {@link Rfc6455Model}: the SIP messages the model says were sent reach
 * the handler exactly once and in order; each ping is answered with its pong and each RFC 5626
 * ping with a CRLF, unmasked; the connection ends with the close code the model allows, or, when
 * the model says it stays open, carries one more message and answers a normal close with 1000;
 * afterwards no connection is left open and no handler call threw.
 */
final class FrameExchange {

    private static final AtomicLong RUNS = new AtomicLong();
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLFCRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private FrameExchange() {
    }

    /** A Call-ID prefix no other input of this JVM uses. */
    static String newTag() {
        return "r" + RUNS.incrementAndGet();
    }

    /** An upgrade request the bed's listener must accept, with a fresh key. */
    static String upgradeRequest(String key) {
        return "GET " + WsBed.PATH + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: sip\r\n\r\n";
    }

    /** RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code stream} over a new connection, written in chunks of {@code chunks}; with
     * {@code coalesce} the upgrade request goes in the same writes as the frames.
     *
     * @return the messages the handler got, for comparisons between runs
     */
    static List<String> run(WsBed bed, byte[] stream, String tag, IntUnaryOperator chunks, boolean coalesce)
            throws IOException {
        Rfc6455Model.Outcome model = Rfc6455Model.decode(stream, WsBed.MAX_FRAME, WsBed.MAX_MESSAGE);
        String what = "model: " + model.events() + " then " + model.end();
        boolean goodbye = model.end() instanceof Rfc6455Model.End.Open(boolean clean) && clean;
        byte[] sentinel = FrameScript.options(tag + "-sentinel", new byte[0], 0);
        byte[] sent = stream;
        if (goodbye) {
            // Proof it is still open: one more message, then a normal close the server must answer.
            sent = FrameScript.concat(sent, FrameScript.plainFrame(FrameScript.TEXT, sentinel));
            sent = FrameScript.concat(sent, FrameScript.plainFrame(FrameScript.CLOSE, new byte[] {0x03, (byte) 0xE8}));
        }
        String key = Base64.getEncoder().encodeToString(tag.concat("----------------").substring(0, 16)
                .getBytes(StandardCharsets.US_ASCII));
        byte[] request = upgradeRequest(key).getBytes(StandardCharsets.US_ASCII);
        List<ServerFrames.Frame> frames;
        java.net.InetSocketAddress local;
        try (HostilePeer peer = HostilePeer.connect(bed.address())) {
            local = peer.localAddress();
            if (coalesce) {
                peer.writeInBackground(FrameScript.concat(request, sent), chunks, true);
            } else {
                peer.write(request);
            }
            HostilePeer.Head head = peer.head();
            assertEquals(101, head.status(), () -> "a valid upgrade refused: " + head.text());
            assertEquals(accept(key), head.field("Sec-WebSocket-Accept"), head.text());
            if (!coalesce) {
                peer.writeInBackground(sent, chunks, true);
            }
            byte[] rest = peer.untilClosed();
            peer.awaitWritten();
            frames = ServerFrames.parse(rest);
        }
        checkFrames(model, frames, what);
        bed.awaitIdle(what);
        List<String> delivered = bed.take(local).stream().map(m -> new String(m.toBytes(), StandardCharsets.ISO_8859_1)).toList();
        List<String> expected = expectedMessages(model, goodbye ? sentinel : null);
        assertEquals(expected, delivered, () -> what + ": messages delivered");
        assertEquals(0, bed.stats().handlerErrors(), "nothing may throw out of the transport");
        return delivered;
    }

    /** The SIP messages among the model's data messages (keep-alives are not; malformed ones neither). */
    private static List<String> expectedMessages(Rfc6455Model.Outcome model, byte[] sentinel) {
        List<byte[]> payloads = new ArrayList<>();
        for (Rfc6455Model.Event e : model.events()) {
            if (e instanceof Rfc6455Model.Event.Data d) {
                payloads.add(d.payload());
            }
        }
        if (sentinel != null) {
            payloads.add(sentinel);
        }
        List<String> expected = new ArrayList<>();
        for (byte[] p : payloads) {
            if (java.util.Arrays.equals(p, CRLF) || java.util.Arrays.equals(p, CRLFCRLF)) {
                continue;
            }
            if (WsBed.PARSER.parse(p.clone()) instanceof ParseResult.Parsed(SipMessage m)) {
                expected.add(new String(m.toBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return expected;
    }

    /** The server's frames: the answers the model's events call for, in order, then its close. */
    private static void checkFrames(Rfc6455Model.Outcome model, List<ServerFrames.Frame> frames, String what) {
        int i = 0;
        for (Rfc6455Model.Event e : model.events()) {
            byte[] wanted;
            int opcode;
            if (e instanceof Rfc6455Model.Event.Ping(byte[] p)) {
                wanted = p;
                opcode = FrameScript.PONG;
            } else if (e instanceof Rfc6455Model.Event.Data d && java.util.Arrays.equals(d.payload(), CRLFCRLF)) {
                wanted = CRLF; // RFC 5626 keep-alive inside the WebSocket: the pong is a CRLF message (RFC 7118 §6)
                opcode = FrameScript.TEXT;
            } else {
                continue;
            }
            int at = i;
            assertTrue(i < frames.size() && frames.get(i).sameAs(opcode, wanted),
                    () -> what + ": server frame " + at + " should answer " + e + "; server sent " + frames);
            i++;
        }
        List<ServerFrames.Frame> last = frames.subList(i, frames.size());
        switch (model.end()) {
            case Rfc6455Model.End.Open(boolean clean) when clean -> assertCloses(last, 1000, what);
            case Rfc6455Model.End.Open o -> assertEquals(List.of(), last,
                    () -> what + ": the stream ended inside a frame; the server must not have closed with a code");
            case Rfc6455Model.End.Closed(int code) -> assertCloses(last, code, what);
            case Rfc6455Model.End.Failed f -> {
                if (!f.certain() && last.isEmpty()) {
                    return; // it may wait for the rest of the header, and see the end of the stream
                }
                assertEquals(1, last.size(), () -> what + ": one close frame, then nothing; server sent " + frames);
                assertTrue(last.getFirst().opcode() == FrameScript.CLOSE && !last.getFirst().masked()
                        && f.codes().contains(last.getFirst().closeCode()),
                        () -> what + ": close with one of " + f.codes() + " (" + f.why() + "); server sent " + frames);
            }
        }
    }

    private static void assertCloses(List<ServerFrames.Frame> last, int code, String what) {
        assertEquals(1, last.size(), () -> what + ": one close frame (" + code + ") then nothing; server sent " + last);
        ServerFrames.Frame close = last.getFirst();
        assertTrue(close.fin() && close.rsv() == 0 && !close.masked() && close.opcode() == FrameScript.CLOSE,
                () -> what + ": not a close frame: " + close);
        assertEquals(code, close.closeCode(), () -> what + ": close code of " + close);
    }
}
