package sip.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.SipUri;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;

/**
 * The UAS that {@code benchmarks/sipp-load.sh} drives with SIPp's built-in {@code uac} scenario:
 * INVITE → 200 with a Contact and SDP, BYE → 200, ACK counted. Everything else is the user
 * agent's defaults, so the load measures what an application gets out of the box, except the
 * server-transaction cap: with the RFC timers a call keeps its INVITE transaction 32 s (Timer L)
 * and its BYE transaction 32 s (Timer J over UDP), so 3000 calls/s hold ~192,000 live
 * transactions, far beyond the default cap of 10,000 (which would answer 503).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar sip.bench.load.LoadUas [--port 5060] [--protocol udp]
 *      [--t1-ms 500] [--max-server-transactions 1000000]
 * </pre>
 *
 * <p>Prints {@code ready pid=... protocol=... port=...} once it listens. Commands on stdin, one a
 * line, each answered with one line on stdout: {@code stats} (transaction counters, calls, heap
 * in use), {@code gc} (a full GC, then the heap still in use: the live set). Exits on stdin's end
 * of file or on SIGTERM/SIGINT, closing the user agent.
 */
public final class LoadUas {

    private static final byte[] SDP = ("v=0\r\no=parley 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final UserAgent ua;
    private final int port;
    private final LongAdder invites = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder byes = new LongAdder();

    private LoadUas(Options options) throws IOException {
        SipTimers rfc = SipTimers.DEFAULT;
        Duration t2 = options.t1().compareTo(rfc.t2()) > 0 ? options.t1() : rfc.t2();
        ua = UserAgent.newBuilder()
                .name("parley-load-uas")
                .timers(new SipTimers(options.t1(), t2, rfc.t4()))
                .maxServerTransactions(options.maxServerTransactions())
                .build();
        port = ua.listen(options.protocol(), "127.0.0.1:" + options.port()).localAddress().getPort();
        Contact contact = Contact.of(SipUri.of("parley", "127.0.0.1", port)
                .withParameter("transport", options.protocol()));
        ua.server()
                .onInvite(tx -> {
                    invites.increment();
                    tx.respond(tx.responseBuilder(200).contact(contact).body(ContentType.APPLICATION_SDP, SDP).build());
                })
                .onBye(tx -> {
                    byes.increment();
                    tx.respond(200);
                })
                .onAck((ack, flow) -> acks.increment());
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        LoadUas uas = new LoadUas(options);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(uas.ua::close));
        System.out.printf("ready pid=%d protocol=%s port=%d%n", ProcessHandle.current().pid(), options.protocol(), uas.port);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "stats" -> System.out.println(uas.stats());
                    case "gc" -> System.out.println(uas.liveSet());
                    case "" -> { }
                    default -> System.out.println("unknown command: " + line.trim() + " (stats, gc)");
                }
                System.out.flush();
            }
        }
        // Exiting runs the shutdown hook, which closes the user agent.
        System.exit(0);
    }

    private String stats() {
        TransactionStats s = ua.stats();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format("stats invites=%d acks=%d byes=%d live_server=%d live_client=%d server_created=%d"
                        + " retrans_sent=%d retrans_absorbed=%d overload_rejected=%d transport_errors=%d"
                        + " malformed=%d stray=%d stateless=%d heap_used_mb=%.1f heap_committed_mb=%.1f",
                invites.sum(), acks.sum(), byes.sum(), s.serverTransactions(), s.clientTransactions(),
                s.serverCreated(), s.retransmissionsSent(), s.retransmissionsAbsorbed(), s.overloadRejected(),
                s.transportErrors(), s.malformedDropped(), s.strayResponses(), s.statelessResponses(),
                mb(heap.getUsed()), mb(heap.getCommitted()));
    }

    private String liveSet() {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format("gc heap_used_mb=%.1f heap_committed_mb=%.1f live_server=%d",
                mb(heap.getUsed()), mb(heap.getCommitted()), ua.stats().serverTransactions());
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** The command line: {@code --name value} pairs, each with its default. */
    record Options(String protocol, int port, Duration t1, int maxServerTransactions) {

        static Options parse(String[] args) {
            String protocol = "udp";
            int port = 0;
            Duration t1 = SipTimers.DEFAULT.t1();
            int max = 1_000_000;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw usage("missing value after " + args[i]);
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--protocol" -> protocol = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--t1-ms" -> t1 = Duration.ofMillis(Long.parseLong(v));
                    case "--max-server-transactions" -> max = Integer.parseInt(v);
                    default -> throw usage("unknown option " + args[i]);
                }
            }
            return new Options(protocol, port, t1, max);
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "; usage: LoadUas [--protocol udp|tcp] [--port N]"
                    + " [--t1-ms 500] [--max-server-transactions 1000000]");
        }
    }
}
