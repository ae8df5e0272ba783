package sip.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import sip.message.ParseResult;
import sip.message.SipParser;

/**
 * The allocation floor of one {@link TransportEchoBenchmark} round trip without any transport:
 * what the two ends cannot avoid — the received bytes copied out of a reused buffer and parsed at
 * the server, serialized back ({@code toBytes()}), copied and parsed again at the client. The
 * echo's B/op minus this is what the transports themselves allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EchoFloorBenchmark {

    private byte[] readBuffer;
    private SipParser parser;

    @Setup
    public void setUp() {
        readBuffer = Arrays.copyOf(TransportEchoBenchmark.message600(), 65_535);
        parser = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
    }

    @Benchmark
    public Object roundTrip() {
        byte[] atServer = Arrays.copyOf(readBuffer, 600);
        ParseResult.Parsed request = (ParseResult.Parsed) parser.parse(atServer);
        byte[] echoed = request.message().toBytes();
        System.arraycopy(echoed, 0, readBuffer, 0, echoed.length);
        byte[] atClient = Arrays.copyOf(readBuffer, echoed.length);
        return parser.parse(atClient);
    }
}
