package sip.fuzz.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;
import sip.transport.ws.WebSocketConfig;

/**
 * One {@code ws} listener on 127.0.0.1 for a test class, opened through {@link Transports} like any
 * application would, with a handler that records the messages of each connection by the peer's
 * address; closed after the class with every live count checked back at zero.
 * {@code @RegisterExtension static final WsBed bed = new WsBed();}.
 *
 * <p>Settings small enough for the fuzzer to reach every limit: frames above {@link #MAX_FRAME}
 * and messages above {@link #MAX_MESSAGE} bytes are too big (1009), the handshake must be done in
 * {@link #HANDSHAKE_TIMEOUT}, only {@link #PATH} is served and only {@link #ORIGIN} of browsers.
 */
final class WsBed implements BeforeAllCallback, AfterAllCallback {

    static final int MAX_FRAME = 1024;
    static final int MAX_MESSAGE = 4096;
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    static final String PATH = "/ws";
    static final String ORIGIN = "https://phone.example";
    /** The parser the transport uses: the oracle for which WebSocket messages are SIP messages. */
    static final SipParser PARSER = SipParser.newBuilder().maxMessageSize(MAX_MESSAGE).build();
    /** Any wait for the transport: generous, never reached by a transport that works. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static volatile boolean agentAttached;
    private static boolean warmedUp;

    private final Map<InetSocketAddress, List<SipMessage>> received = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, IOException> failures = new ConcurrentHashMap<>();
    private Transport transport;
    private InetSocketAddress address;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        TransportConfig config = TransportConfig.newBuilder()
                .parser(PARSER)
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                .messageReadTimeout(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofSeconds(30))
                .extension(WebSocketConfig.class, WebSocketConfig.newBuilder()
                        .path(PATH)
                        .allowedOrigins(List.of(ORIGIN))
                        .maxFrameSize(MAX_FRAME)
                        .build())
                .build();
        transport = Transports.open("ws", config, new Recorder());
        address = transport.listen(new InetSocketAddress("127.0.0.1", 0)).localAddress();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        transport.close();
        TransportStats s = transport.stats();
        assertEquals(0, s.sockets() + s.connections() + s.listeners(), () -> "live counts after close: " + s);
        assertEquals(0, s.handlerErrors(), () -> "handler errors: " + s);
    }

    /**
     * Once per JVM, before the first input: one whole exchange (handshake, a message, a close) with
     * a transport of default timeouts. The first connection in a JVM loads the whole stack, and while
     * fuzzing Jazzer instruments each class as it loads: that may take longer than the bed's short
     * handshake timeout, which would fail a valid client for reasons of the test's own making.
     */
    static synchronized void warmUp() throws IOException {
        if (warmedUp) {
            return;
        }
        try (Transport warm = Transports.open("ws", TransportConfig.defaults(), new InboundHandler() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
            }
        })) {
            InetSocketAddress at = warm.listen(new InetSocketAddress("127.0.0.1", 0)).localAddress();
            try (HostilePeer peer = HostilePeer.connect(at)) {
                peer.write(FrameExchange.upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==").getBytes(StandardCharsets.US_ASCII));
                if (peer.head().status() != 101) {
                    throw new AssertionError("the warm-up handshake was refused");
                }
                peer.write(FrameScript.plainFrame(FrameScript.TEXT, FrameScript.options("warm-up", new byte[0], 0)));
                peer.write(FrameScript.plainFrame(FrameScript.CLOSE, new byte[] {0x03, (byte) 0xE8}));
                peer.untilClosed();
            }
        }
        warmedUp = true;
    }

    InetSocketAddress address() {
        return address;
    }

    TransportStats stats() {
        return transport.stats();
    }

    /** The messages delivered so far from the peer at {@code peer}, forgetting them (ports get reused). */
    List<SipMessage> take(InetSocketAddress peer) {
        List<SipMessage> got = received.remove(peer);
        return got == null ? List.of() : List.copyOf(got);
    }

    /**
     * Waits until no connection is open and the listener is the only socket, as after every input:
     * nothing a hostile peer does may leave a connection behind once it has gone.
     */
    void awaitIdle(String what) {
        awaitStats(s -> s.connections() == 0 && s.sockets() == 1 && s.listeners() == 1, what);
    }

    void awaitStats(Predicate<TransportStats> condition, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.test(transport.stats())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 5 s: " + transport.stats());
            }
            LockSupport.parkNanos(1_000_000); // polling a count: there is no event to wait on
        }
    }

    /**
     * Lets the test's sockets reach the listener past Jazzer's server-side request forgery detector
     * (loopback only). The detector is looked up once, on first use, and must not be touched before
     * Jazzer's agent is attached: a plain {@code @Test} asks for it only after a {@code @FuzzTest}
     * has (sip.fuzz.dns.LoopbackOnly explains it).
     */
    static SilentCloseable loopbackOnly(boolean inFuzzTest) {
        if (inFuzzTest) {
            agentAttached = true;
        } else if (!agentAttached) {
            return () -> { };
        }
        return BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    }

    /**
     * Why the inbound connection from {@code peer} failed to open (its {@code Failed} event's
     * cause), waiting for the event; forgets it.
     */
    IOException failure(InetSocketAddress peer, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        IOException cause;
        while ((cause = failures.remove(peer)) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": no Failed event for " + peer + " within 5 s");
            }
            LockSupport.parkNanos(1_000_000); // the event comes on the connection's thread, maybe after the close
        }
        return cause;
    }

    /** Records what the transport delivers; throws nothing, so handlerErrors must stay 0. */
    private final class Recorder implements InboundHandler {
        @Override
        public void onMessage(Connection connection, SipMessage message) {
            received.computeIfAbsent(connection.remoteAddress(), a -> new CopyOnWriteArrayList<>()).add(message);
        }

        @Override
        public void onEvent(ConnectionEvent event) {
            if (event instanceof ConnectionEvent.Failed f && f.inbound()) {
                failures.put(f.remote(), f.cause());
            }
        }
    }

    /** The close codes RFC 6455 §7.4 lets a close frame carry (as the team's notes list them). */
    static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1014 && !Set.of(1004, 1005, 1006).contains(code)
                || code >= 3000 && code <= 4999;
    }
}
