package sip.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import sip.router.Scheduler;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;

/**
 * The Parley side of {@code benchmarks/proxy-load.sh}: a stateful proxy whose routing is Java
 * code, doing the job of Kamailio's {@code proxy-native.cfg} and {@code registrar-proxy.cfg} at
 * once. REGISTER goes to the {@link Registrar}; any other request is relayed, record-routed, to
 * the contacts registered for its Request-URI, or when there are none to the fixed UAS
 * ({@code --uas}, SIPp's {@code uas-200.xml} in the benchmark) — or, with
 * {@code --unregistered 404}, answered {@code 404}: the exact logic of {@code examples/proxy.js},
 * for {@code benchmarks/script-load.sh}.
 *
 * <p>Settings differ from the user agent's defaults only where the load needs it: the
 * server-transaction cap (a REGISTER's transaction lives 32 s after its 200 over UDP, Timer J,
 * so 5000 registrations/s hold 160,000; an INVITE's lives 32 s after its 2xx, RFC 6026), the
 * proxy's context cap, and the registrar's binding cap (every registration of the benchmark is a
 * new AoR, kept one hour). Record-Route is on, the proxy's default.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar sip.bench.load.LoadProxy [--port 5072]
 *      [--uas 127.0.0.1:5090] [--unregistered uas|404] [--t1-ms 500] [--max-server-transactions 2000000]
 *      [--max-bindings 5000000] [--max-contexts 1000000]
 * </pre>
 *
 * <p>Prints {@code ready pid=... port=...} once it listens. Commands on stdin, one a line, each
 * answered with one line on stdout: {@code stats} (transaction and proxy counters, bindings,
 * heap in use), {@code gc} (a full GC, then the heap still in use). Exits on stdin's end of file
 * or on SIGTERM/SIGINT, closing the user agent.
 */
public final class LoadProxy {

    private final UserAgent ua;
    private final Registrar registrar;
    private final LocationService location;
    private final ProxyRouting routing;
    private final int port;

    private LoadProxy(Options options) throws IOException {
        SipTimers rfc = SipTimers.DEFAULT;
        Duration t2 = options.t1().compareTo(rfc.t2()) > 0 ? options.t1() : rfc.t2();
        ua = UserAgent.newBuilder()
                .name("parley-load-proxy")
                .timers(new SipTimers(options.t1(), t2, rfc.t4()))
                .maxServerTransactions(options.maxServerTransactions())
                .build();
        registrar = Registrar.newBuilder(LocationService.inMemory(Scheduler.system()))
                .authorizer(RegisterAuthorizer.allowAll())
                .maxBindings(options.maxBindings())
                .build();
        location = registrar.locationService();
        // The proxy first: a request arriving before it is installed would meet the bare server.
        routing = new ProxyRouting(ua, registrar, location, options.uas(), options.unregistered(),
                options.maxContexts());
        port = ua.listen("udp", "127.0.0.1:" + options.port()).localAddress().getPort();
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        LoadProxy proxy = new LoadProxy(options);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(proxy::close));
        System.out.printf("ready pid=%d protocol=udp port=%d uas=%s unregistered=%s%n", ProcessHandle.current().pid(),
                proxy.port, options.uas().getHostString() + ":" + options.uas().getPort(),
                options.unregistered() == ProxyRouting.Unregistered.NOT_FOUND ? "404" : "uas");
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "stats" -> System.out.println(proxy.stats());
                    case "gc" -> System.out.println(proxy.liveSet());
                    case "" -> { }
                    default -> System.out.println("unknown command: " + line.trim() + " (stats, gc)");
                }
                System.out.flush();
            }
        }
        // Exiting runs the shutdown hook, which closes the user agent.
        System.exit(0);
    }

    private void close() {
        routing.close();
        ua.close();
        registrar.close();
    }

    private String stats() {
        TransactionStats s = ua.stats();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format("stats live_server=%d live_client=%d server_created=%d client_created=%d"
                        + " retrans_sent=%d retrans_absorbed=%d timeouts=%d overload_rejected=%d transport_errors=%d"
                        + " malformed=%d stray=%d stateless=%d bindings=%d %s heap_used_mb=%.1f heap_committed_mb=%.1f",
                s.serverTransactions(), s.clientTransactions(), s.serverCreated(), s.clientCreated(),
                s.retransmissionsSent(), s.retransmissionsAbsorbed(), s.timeouts(), s.overloadRejected(),
                s.transportErrors(), s.malformedDropped(), s.strayResponses(), s.statelessResponses(),
                location.storedBindingCount(), routing.stats(), mb(heap.getUsed()), mb(heap.getCommitted()));
    }

    private String liveSet() {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return String.format("gc heap_used_mb=%.1f heap_committed_mb=%.1f live_server=%d live_client=%d",
                mb(heap.getUsed()), mb(heap.getCommitted()), ua.stats().serverTransactions(),
                ua.stats().clientTransactions());
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** The command line: {@code --name value} pairs, each with its default. */
    record Options(int port, InetSocketAddress uas, ProxyRouting.Unregistered unregistered, Duration t1,
                   int maxServerTransactions, int maxBindings, int maxContexts) {

        static Options parse(String[] args) {
            int port = 5072;
            InetSocketAddress uas = new InetSocketAddress("127.0.0.1", 5090);
            ProxyRouting.Unregistered unregistered = ProxyRouting.Unregistered.RELAY_TO_UAS;
            Duration t1 = SipTimers.DEFAULT.t1();
            int maxServer = 2_000_000;
            int maxBindings = 5_000_000;
            int maxContexts = 1_000_000;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw usage("missing value after " + args[i]);
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(v);
                    case "--uas" -> uas = hostPort(v);
                    case "--unregistered" -> unregistered = switch (v) {
                        case "uas" -> ProxyRouting.Unregistered.RELAY_TO_UAS;
                        case "404" -> ProxyRouting.Unregistered.NOT_FOUND;
                        default -> throw usage("--unregistered is uas or 404, not " + v);
                    };
                    case "--t1-ms" -> t1 = Duration.ofMillis(Long.parseLong(v));
                    case "--max-server-transactions" -> maxServer = Integer.parseInt(v);
                    case "--max-bindings" -> maxBindings = Integer.parseInt(v);
                    case "--max-contexts" -> maxContexts = Integer.parseInt(v);
                    default -> throw usage("unknown option " + args[i]);
                }
            }
            return new Options(port, uas, unregistered, t1, maxServer, maxBindings, maxContexts);
        }

        private static InetSocketAddress hostPort(String v) {
            int colon = v.lastIndexOf(':');
            if (colon <= 0) {
                throw usage("--uas needs host:port, not " + v);
            }
            return new InetSocketAddress(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "; usage: LoadProxy [--port 5072] [--uas 127.0.0.1:5090]"
                    + " [--unregistered uas|404] [--t1-ms 500] [--max-server-transactions 2000000] [--max-bindings 5000000]"
                    + " [--max-contexts 1000000]");
        }
    }
}
