package sip.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import sip.transport.spi.Connection;

/**
 * Raw transport throughput on loopback: a client sends a 600-byte SIP request, an echo server
 * parses it and sends its bytes back, the client parses the echo. Each operation is one
 * {@value #WINDOW}-message window in flight, so the score is per echoed message (two sends, two
 * receives, two parses) and {@code gc.alloc.rate.norm} is the garbage of one round trip at both
 * ends together: the two received byte[]s and parsed messages are the floor.
 *
 * <p>Both ends run in the benchmark JVM through the providers found with {@code ServiceLoader},
 * exactly as the stack would use them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransportEchoBenchmark {

    static final int WINDOW = 16;

    /**
     * {@code ws} and {@code wss} are RFC 7118 SIP over WebSocket: one WebSocket text frame per
     * message, masked client → server; {@code tls} and {@code wss} run on a throw-away certificate
     * (see {@link EchoTransports}).
     */
    @Param({"udp", "tcp", "tls", "ws", "wss"})
    public String protocol;

    private final EchoWindow window = new EchoWindow(WINDOW);
    private EchoTransports ends;
    private Connection toServer;
    private byte[] message;

    @Setup(Level.Trial)
    public void open() throws Exception {
        message = message600();
        ends = EchoTransports.open(protocol, m -> window.arrived(1));
        toServer = ends.toServer();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        ends.close();
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public int echo() throws IOException {
        return window.run(() -> toServer.send(ByteBuffer.wrap(message)));
    }

    /** A 600-byte OPTIONS request, the size the issue asks for. */
    static byte[] message600() {
        String head = "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776asdhds;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: Bob <sip:bob@127.0.0.1>\r\n"
                + "From: Alice <sip:alice@127.0.0.1>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@127.0.0.1\r\n"
                + "CSeq: 63104 OPTIONS\r\n"
                + "Contact: <sip:alice@127.0.0.1:5070>\r\n"
                + "Accept: application/sdp\r\n"
                + "User-Agent: parley-bench\r\n";
        String tail = "Content-Length: 0\r\n\r\n";
        int pad = 600 - head.length() - tail.length() - "X-Pad: \r\n".length();
        String msg = head + "X-Pad: " + "p".repeat(pad) + "\r\n" + tail;
        byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 600) {
            throw new AssertionError(b.length);
        }
        return b;
    }
}
