package sip.bench;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.util.concurrent.TimeUnit;
import javax.sip.header.ViaHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import sip.message.HeaderType;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.Via;

/**
 * A stateless proxy's forward path: parse the INVITE, push our Via on top, decrement
 * Max-Forwards, serialize to bytes for the socket. Each op starts from the received bytes, as a
 * proxy does for every datagram; JMH consumes the returned byte[], so nothing is dead code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializeBenchmark {

    static final String HOST = "proxy.example.com";
    static final int PORT = 5060;
    // A fixed branch: computing one (hash or counter) is the same work for both stacks and is
    // not what this benchmark is about.
    static final String BRANCH = "z9hG4bKproxy1a2b3c";

    @State(Scope.Thread)
    public static class Parley {
        byte[] datagram; // not final: see ParseBenchmark.Parley
        SipParser lazy;
        SipParser full;

        @Setup(Level.Trial)
        public void setUp() {
            datagram = Invite.bytes();
            lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
            full = SipParser.lenient();
            check("parley", forward(this, lazy));
            check("parleyFull", forward(this, full));
        }
    }

    @State(Scope.Thread)
    public static class Jain {
        byte[] datagram;
        StringMsgParser parser;
        HeaderFactoryImpl headers;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            datagram = Invite.bytes();
            parser = new StringMsgParser();
            headers = new HeaderFactoryImpl();
            // Read back with JAIN-SIP itself, so this baseline runs even while Parley cannot.
            SIPRequest r = (SIPRequest) parser.parseSIPMessage(forward(this), true, false, null);
            if (!BRANCH.equals(r.getTopmostVia().getBranch()) || r.getViaHeaders().size() != 2
                || r.getMaxForwards().getMaxForwards() != Invite.MAX_FORWARDS - 1
                || r.getRawContent().length != Invite.CONTENT_LENGTH) {
                throw new IllegalStateException("jainSip forwarded:\n" + r);
            }
        }
    }

    /** Parley's output must be the forwarded INVITE, read back by its strict parser. */
    static void check(String who, byte[] out) {
        SipMessage m = ParseBenchmark.parsed(SipParser.strict().parse(out));
        if (!BRANCH.equals(m.topVia().branch()) || m.vias().size() != 2
            || !Invite.BRANCH.equals(m.vias().get(1).branch())
            || m.maxForwards().orElse(-1) != Invite.MAX_FORWARDS - 1
            || m.bodyLength() != Invite.CONTENT_LENGTH) {
            throw new IllegalStateException(who + " forwarded:\n" + m);
        }
    }

    @Benchmark
    public byte[] parley(Parley s) {
        return forward(s, s.lazy);
    }

    @Benchmark
    public byte[] parleyFull(Parley s) {
        return forward(s, s.full);
    }

    static byte[] forward(Parley s, SipParser parser) {
        SipRequest req = (SipRequest) ParseBenchmark.parsed(parser.parse(s.datagram));
        int hops = req.maxForwards().orElse(Invite.MAX_FORWARDS);
        return req.toBuilder()
            .addFirst(HeaderType.VIA, Via.of("UDP", HOST, PORT, BRANCH))
            .set(HeaderType.MAX_FORWARDS, hops - 1)
            .build()
            .toBytes();
    }

    @Benchmark
    public byte[] jainSip(Jain s) throws Exception {
        return forward(s);
    }

    static byte[] forward(Jain s) throws Exception {
        // The parsed SIPRequest is fresh on every op, so mutating it in place is what a JAIN-SIP
        // proxy would do (cloning first would only add cost to JAIN-SIP's side).
        SIPRequest req = (SIPRequest) s.parser.parseSIPMessage(s.datagram, true, false, null);
        ViaHeader via = s.headers.createViaHeader(HOST, PORT, "UDP", BRANCH);
        req.addFirst(via);
        req.getMaxForwards().decrementMaxForwards();
        return req.encodeAsBytes("UDP");
    }
}
