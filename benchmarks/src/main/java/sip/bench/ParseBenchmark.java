package sip.bench;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;

/**
 * Parse one INVITE with SDP and read what a transaction layer needs first: top Via branch, CSeq
 * number, Call-ID and From tag. Parley lazy, Parley full, and JAIN-SIP run in the same JMH run so
 * their ratio is measured on the same machine, JDK and load.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParseBenchmark {

    /**
     * Parley's side. One state per stack, so each is checked on its own and one stack failing its
     * setup does not stop the other from being measured.
     */
    @State(Scope.Thread)
    public static class Parley {
        // Not final and held in a @State: the JIT must treat the input as unknown on every call,
        // so it can neither constant-fold the parse nor hoist it out of the measurement loop.
        byte[] datagram;
        SipParser lazy;
        SipParser full;

        @Setup(Level.Trial)
        public void setUp() {
            datagram = Invite.bytes();
            lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
            full = SipParser.lenient();
            // Each variant must actually read the expected values, else the numbers would
            // compare a failure path (an exception or Malformed) with a parse.
            for (SipParser p : new SipParser[] {lazy, full}) {
                SipMessage m = parsed(p.parse(datagram));
                Invite.check("parley", m.topVia().branch(), m.cseq().sequence(), m.callId(), m.from().tag());
                Invite.check("parley fast tag", m.topVia().branch(), m.cseq().sequence(), m.callId(), m.fromTag());
            }
        }
    }

    /** JAIN-SIP's side, on its own copy of the same bytes. */
    @State(Scope.Thread)
    public static class Jain {
        byte[] datagram;
        // One parser per thread, as the JAIN-SIP stack keeps one per message channel; reusing it
        // is the cheapest honest setup for JAIN-SIP.
        StringMsgParser parser;

        @Setup(Level.Trial)
        public void setUp() throws ParseException {
            datagram = Invite.bytes();
            parser = new StringMsgParser();
            SIPRequest r = (SIPRequest) parser.parseSIPMessage(datagram, true, false, null);
            Invite.check("jain-sip", r.getTopmostVia().getBranch(), r.getCSeq().getSeqNumber(),
                r.getCallId().getCallId(), r.getFrom().getTag());
        }
    }

    static SipMessage parsed(ParseResult result) {
        if (result instanceof ParseResult.Parsed(SipMessage m)) {
            return m;
        }
        throw new IllegalStateException("not parsed: " + result);
    }

    /**
     * What a transaction layer does: lazy parse, then the branch, CSeq, Call-ID and the From tag
     * through {@link SipMessage#fromTag()}, which reads the tag without parsing From's URI.
     */
    @Benchmark
    public void parley(Parley s, Blackhole bh) {
        SipMessage m = parsed(s.lazy.parse(s.datagram));
        bh.consume(m.topVia().branch());
        bh.consume(m.cseq().sequence());
        bh.consume(m.callId());
        bh.consume(m.fromTag());
    }

    /** Lazy parse, reading the From tag through the typed view (parses the whole name-addr). */
    @Benchmark
    public void parleyTyped(Parley s, Blackhole bh) {
        read(parsed(s.lazy.parse(s.datagram)), bh);
    }

    @Benchmark
    public void parleyFull(Parley s, Blackhole bh) {
        read(parsed(s.full.parse(s.datagram)), bh);
    }

    // Every value read goes to the Blackhole, so no lazy view can be skipped as dead code.
    private static void read(SipMessage m, Blackhole bh) {
        bh.consume(m.topVia().branch());
        bh.consume(m.cseq().sequence());
        bh.consume(m.callId());
        bh.consume(m.from().tag());
    }

    @Benchmark
    public void jainSip(Jain s, Blackhole bh) throws ParseException {
        // readBody=true, strict=false (as the RI's UDP channel does), no listener: errors throw.
        SIPRequest r = (SIPRequest) s.parser.parseSIPMessage(s.datagram, true, false, null);
        bh.consume(r.getTopmostVia().getBranch());
        bh.consume(r.getCSeq().getSeqNumber());
        bh.consume(r.getCallId().getCallId());
        bh.consume(r.getFrom().getTag());
    }
}
