package sip.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import sip.message.SipMessage;
import sip.transport.spi.Connection;

/**
 * Latency of one round trip on loopback with a single message in flight: the client sends a
 * 600-byte SIP request, the echo server parses it and sends its bytes back, the client parses the
 * echo and the benchmark thread is woken. Where {@link TransportEchoBenchmark} keeps a window of
 * {@value TransportEchoBenchmark#WINDOW} in flight and measures throughput, this measures the
 * wait for one answer: two writes, two socket wake-ups, two parses and the hand-offs between the
 * reader threads and the waiting thread, per op. JMH samples each op's time, so the result has
 * p50/p90/p99 next to the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoundTripBenchmark {

    @Param({"tcp", "tls", "ws", "wss"})
    public String protocol;

    private final EchoWindow one = new EchoWindow(1);
    private EchoTransports ends;
    private Connection toServer;
    private byte[] message;
    private final CompletableFuture<SipMessage> firstEcho = new CompletableFuture<>();

    @Setup(Level.Trial)
    public void open() throws Exception {
        message = TransportEchoBenchmark.message600();
        ends = EchoTransports.open(protocol, m -> {
            firstEcho.complete(m);
            one.arrived(1);
        });
        toServer = ends.toServer();
        // The guard: one echo, byte for byte what was sent, so no op measures a failure path.
        roundTrip();
        byte[] back = firstEcho.get(5, TimeUnit.SECONDS).toBytes();
        if (!Arrays.equals(back, message)) {
            throw new IllegalStateException(protocol + " echoed " + back.length + " bytes that differ from the "
                    + message.length + " sent");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        ends.close();
    }

    @Benchmark
    public int roundTrip() throws IOException {
        return one.run(() -> toServer.send(ByteBuffer.wrap(message)));
    }
}
