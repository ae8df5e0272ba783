package sip.bench.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.xbill.DNS.Name;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.dns.DnsStats;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.testkit.Dnsmasq;

/**
 * {@code DnsServerLocator.locate} with every RRset in its cache: the cost of RFC 3263 location
 * once DNS has answered (cache lookups, NAPTR/SRV ordering, the weighted SRV draw, building the
 * destinations). {@code @Setup} resolves each URI once against a real dnsmasq, then checks that
 * a second locate sends no query; {@code @TearDown} checks that the whole trial sent none, so a
 * cache miss can never pass for a cache hit.
 *
 * <p>One locator and one {@link LookupSession} per trial, shared by the benchmark threads as a
 * user agent shares its locator: the {@code *Threads2} variants measure the cache under two
 * threads on the same records. The {@code dnsjava*} methods are the baseline (see
 * {@link LookupSessionChain}); {@code jdkIpLiteral} is {@link ServerLocator#jdk()} on the same
 * IP literal, the router's default without {@code sip.dns}.
 *
 * <p>Methods are named per mode and thread count (one name, one row in run-jmh.sh's table):
 * plain names are average time, 1 thread; {@code *Throughput} is ops/s, 1 thread;
 * {@code *Threads2} is ops/s summed over 2 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class WarmLocateBenchmark {

    private Dnsmasq dns;
    private DnsServerLocator locator;
    private LookupSessionChain dnsjava;
    private Name fullDomain;
    private Name udpService;
    private long queriesAfterSetup;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dns = BenchZone.start(false);
        locator = BenchZone.locator(dns, AddressFamily.IPV4_FIRST);
        dnsjava = new LookupSessionChain(dns.address());
        fullDomain = LookupSessionChain.name("example.test");
        udpService = LookupSessionChain.name("_sip._udp.example.test");
        // Cold, then warm: the second round must be answered from the cache alone.
        for (int round = 0; round < 2; round++) {
            long before = locator.stats().queriesSent();
            BenchZone.check("NAPTR chain", naptrSrvA(), 12, "udp");
            BenchZone.check("SRV chain", srvA(), 4, "udp");
            BenchZone.check("explicit port", hostPort(), 2, "udp");
            BenchZone.check("IP literal", ipLiteral(), 1, "udp");
            BenchZone.check("JDK IP literal", jdkIpLiteral(), 1, "udp");
            long sent = locator.stats().queriesSent() - before;
            if (round == 1 && sent != 0) {
                throw new IllegalStateException("warm locate still sent " + sent + " queries: "
                        + locator.stats());
            }
        }
        checkBaseline(dnsjava.naptrSrvA(fullDomain), 12);
        checkBaseline(dnsjava.srvA(udpService), 4);
        queriesAfterSetup = locator.stats().queriesSent();
    }

    @TearDown(Level.Trial)
    public void stop(BenchmarkParams params) {
        DnsStats stats = locator.stats();
        System.out.println("\n" + params.getBenchmark() + ": " + stats);
        long sent = stats.queriesSent() - queriesAfterSetup;
        locator.close();
        dns.close();
        if (sent != 0) {
            throw new IllegalStateException(sent + " queries during a warm trial: not all cache hits");
        }
    }

    private static void checkBaseline(List<InetSocketAddress> got, int size) {
        if (got.size() != size) {
            throw new IllegalStateException("dnsjava baseline: expected " + size + " addresses, got " + got);
        }
    }

    /** {@code sip:alice@example.test}: NAPTR → 3 SRV → A + AAAA, 12 destinations. */
    @Benchmark
    public List<Destination> naptrSrvA() throws IOException {
        return locator.locate(BenchZone.FULL, BenchZone.PROTOCOLS);
    }

    /** {@code ;transport=udp}: SRV → A + AAAA, 4 destinations. */
    @Benchmark
    public List<Destination> srvA() throws IOException {
        return locator.locate(BenchZone.FULL_SRV, BenchZone.PROTOCOLS);
    }

    /** An explicit port: A + AAAA only, 2 destinations. */
    @Benchmark
    public List<Destination> hostPort() throws IOException {
        return locator.locate(BenchZone.FULL_HOST_PORT, BenchZone.PROTOCOLS);
    }

    /** An IP literal through DnsServerLocator: no DNS at all. */
    @Benchmark
    public List<Destination> ipLiteral() throws IOException {
        return locator.locate(BenchZone.IP_LITERAL, BenchZone.PROTOCOLS);
    }

    /** The same IP literal through the router's default locator. */
    @Benchmark
    public List<Destination> jdkIpLiteral() throws IOException {
        return ServerLocator.jdk().locate(BenchZone.IP_LITERAL, BenchZone.PROTOCOLS);
    }

    /** Baseline for {@link #naptrSrvA}: dnsjava LookupSession, the same 8 cached RRsets. */
    @Benchmark
    public List<InetSocketAddress> dnsjavaNaptrSrvA() {
        return dnsjava.naptrSrvA(fullDomain);
    }

    /** Baseline for {@link #srvA}: dnsjava LookupSession, the same 5 cached RRsets. */
    @Benchmark
    public List<InetSocketAddress> dnsjavaSrvA() {
        return dnsjava.srvA(udpService);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<Destination> naptrSrvAThroughput() throws IOException {
        return naptrSrvA();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public List<Destination> naptrSrvAThreads2() throws IOException {
        return naptrSrvA();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<Destination> srvAThroughput() throws IOException {
        return srvA();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public List<Destination> srvAThreads2() throws IOException {
        return srvA();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<InetSocketAddress> dnsjavaSrvAThroughput() {
        return dnsjavaSrvA();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public List<InetSocketAddress> dnsjavaSrvAThreads2() {
        return dnsjavaSrvA();
    }
}
