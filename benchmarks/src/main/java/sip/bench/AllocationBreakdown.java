package sip.bench;

import com.sun.management.ThreadMXBean;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import sip.message.HeaderType;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.Via;

/**
 * Exact bytes allocated per step of the benchmarked paths, so that a B/op figure from JMH can be
 * traced to the step that costs it. Not a JMH benchmark (no timing): each step runs warm, and the
 * thread's allocation counter is read around 100,000 repetitions. Each line is the difference
 * between a chain with the step and the same chain without it.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar sip.bench.AllocationBreakdown</pre>
 */
public final class AllocationBreakdown {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    // Every result is stored here so that escape analysis cannot remove what a step allocates.
    static volatile Object sink;

    private AllocationBreakdown() {}

    static long bytesPerOp(Supplier<?> step) {
        for (int i = 0; i < 200_000; i++) {
            sink = step.get(); // warm: measure C2 code, with its escape analysis, not the interpreter
        }
        long tid = Thread.currentThread().threadId();
        int n = 100_000;
        long before = THREADS.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) {
            sink = step.get();
        }
        return (THREADS.getThreadAllocatedBytes(tid) - before) / n;
    }

    public static void main(String[] args) throws Exception {
        byte[] d = Invite.bytes();
        SipParser lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
        SipParser full = SipParser.lenient();
        Via via = Via.of("UDP", SerializeBenchmark.HOST, SerializeBenchmark.PORT, SerializeBenchmark.BRANCH);
        Supplier<SipRequest> parse = () -> (SipRequest) ParseBenchmark.parsed(lazy.parse(d));

        long parsed = bytesPerOp(parse);
        row("parse LAZY (no typed read)", parsed);
        row("parse FULL (no typed read)", bytesPerOp(() -> ParseBenchmark.parsed(full.parse(d))));
        // The first typed read also allocates the message's value cache (one Object[] per message).
        row("  + topVia().branch()", bytesPerOp(() -> parse.get().topVia().branch()) - parsed);
        row("  + cseq().sequence()", bytesPerOp(() -> parse.get().cseq()) - parsed);
        row("  + callId()", bytesPerOp(() -> parse.get().callId()) - parsed);
        row("  + from().tag()", bytesPerOp(() -> parse.get().from().tag()) - parsed);
        row("parse LAZY + the 4 reads", bytesPerOp(() -> {
            SipMessage m = parse.get();
            m.topVia().branch();
            m.cseq();
            m.callId();
            return m.from().tag();
        }));

        long mf = bytesPerOp(() -> parse.get().maxForwards());
        row("  + maxForwards()", mf - parsed);
        long tb = bytesPerOp(() -> {
            SipRequest r = parse.get();
            r.maxForwards();
            return r.toBuilder();
        });
        row("  + toBuilder()", tb - mf);
        long af = bytesPerOp(() -> {
            SipRequest r = parse.get();
            r.maxForwards();
            return r.toBuilder().addFirst(HeaderType.VIA, via);
        });
        row("  + addFirst(VIA, via)", af - tb);
        long st = bytesPerOp(() -> {
            SipRequest r = parse.get();
            int hops = r.maxForwards().getAsInt();
            return r.toBuilder().addFirst(HeaderType.VIA, via).set(HeaderType.MAX_FORWARDS, hops - 1);
        });
        row("  + set(MAX_FORWARDS, n - 1)", st - af);
        long bu = bytesPerOp(() -> {
            SipRequest r = parse.get();
            int hops = r.maxForwards().getAsInt();
            return r.toBuilder().addFirst(HeaderType.VIA, via).set(HeaderType.MAX_FORWARDS, hops - 1).build();
        });
        row("  + build()", bu - st);
        long out = bytesPerOp(() -> {
            SipRequest r = parse.get();
            int hops = r.maxForwards().getAsInt();
            return r.toBuilder().addFirst(HeaderType.VIA, via).set(HeaderType.MAX_FORWARDS, hops - 1).build()
                .toBytes();
        });
        row("  + toBytes() (output " + ((byte[]) sink).length + " B)", out - bu);
        row("proxy forward, LAZY (Via.of outside)", out);

        StringMsgParser jain = new StringMsgParser();
        row("JAIN-SIP parseSIPMessage", bytesPerOp(() -> {
            try {
                return jain.parseSIPMessage(d, true, false, null);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }));
        System.out.println("input: " + d.length + " B");
    }

    private static void row(String what, long bytes) {
        System.out.printf("%-42s %6d B%n", what, bytes);
    }
}
