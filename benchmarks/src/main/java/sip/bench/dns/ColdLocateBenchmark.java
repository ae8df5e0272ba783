package sip.bench.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * {@code DnsServerLocator.locate} with an empty cache: {@link DnsServerLocator#clearCache()} then
 * one locate, every query answered by a dnsmasq on loopback. A loopback dnsmasq is the fastest
 * DNS server there is (no network, its answers in memory), so these times are the floor of a cold
 * resolution; over a real network each query adds a round trip to the resolver.
 *
 * <p>{@code min.example.test} has one record at each step, and the locator is IPv4-only, so with
 * {@code answers=authoritative} {@link #naptrSrvA} is NAPTR → SRV → A, 3 queries each waiting for
 * the one before; {@link #srvA} is SRV → A (2); {@link #hostPort} is A (1). {@link #fullZone} is
 * the realistic {@code example.test} with the default IPv4-first locator: NAPTR → 3 SRV → A + AAAA
 * of 2 targets (8 queries). With {@code answers=additional} the SRV answers bring the A/AAAA
 * records along (2, 1, 1 and 4 queries). {@link #dnsjavaOneQuery} is one A query sent with
 * dnsjava's {@link SimpleResolver} directly: one round trip to this dnsmasq, what each step of a
 * chain cannot go below. {@code @TearDown} prints the queries one op sent, from
 * {@code DnsStats}, so these counts are measured, not assumed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class ColdLocateBenchmark {

    /**
     * {@code authoritative}: one query per step (dnsmasq's authoritative mode sends no additional
     * records). {@code additional}: dnsmasq's default mode, whose SRV answers carry the targets'
     * A/AAAA records in the additional section, which the locator keeps, so the A/AAAA step of
     * a chain costs no query.
     */
    @Param({"authoritative", "additional"})
    public String answers;

    private Dnsmasq dns;
    private DnsServerLocator ipv4;
    private DnsServerLocator dualStack;
    private SimpleResolver resolver;
    private Message aQuery;
    private long ops;
    private long queriesBefore;

    @Setup(Level.Trial)
    public void start() throws IOException {
        // dnsmasq logs every query (Dnsmasq always passes --log-queries --log-facility=-, and
        // refuses a second --log-facility): a line per query that a thread of this JVM reads and
        // keeps, on the same two cores as the measurement. Part of the floor here; see README.
        dns = BenchZone.start(answers.equals("authoritative"));
        ipv4 = BenchZone.locator(dns, AddressFamily.IPV4_ONLY);
        dualStack = BenchZone.locator(dns, AddressFamily.IPV4_FIRST);
        resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(2));
        aQuery = Message.newQuery(Record.newRecord(
                LookupSessionChain.name("host.min.example.test"), Type.A, DClass.IN));
        BenchZone.check("NAPTR chain", naptrSrvA(), 1, "udp");
        BenchZone.check("SRV chain", srvA(), 1, "udp");
        BenchZone.check("explicit port", hostPort(), 1, "udp");
        BenchZone.check("full zone", fullZone(), 12, "udp");
        Message answer = dnsjavaOneQuery();
        if (answer.getRcode() != Rcode.NOERROR || answer.getSection(Section.ANSWER).isEmpty()) {
            throw new IllegalStateException("one-query floor got no A record: " + answer);
        }
        ops = 0;
        queriesBefore = ipv4.stats().queriesSent() + dualStack.stats().queriesSent();
    }

    @TearDown(Level.Trial)
    public void stop(BenchmarkParams params) {
        long sent = ipv4.stats().queriesSent() + dualStack.stats().queriesSent() - queriesBefore;
        if (ops > 0 && sent > 0) {
            System.out.printf("%n%s: %d ops, %.2f queries/op (DnsStats.queriesSent)%n",
                    params.getBenchmark(), ops, (double) sent / ops);
        }
        ipv4.close();
        dualStack.close();
        dns.close();
    }

    /** Cleared cache, then NAPTR → SRV → A: 3 sequential queries. */
    @Benchmark
    public List<Destination> naptrSrvA() throws IOException {
        ops++;
        ipv4.clearCache();
        return ipv4.locate(BenchZone.MIN, BenchZone.PROTOCOLS);
    }

    /** Cleared cache, then SRV → A ({@code transport=udp}): 2 sequential queries. */
    @Benchmark
    public List<Destination> srvA() throws IOException {
        ops++;
        ipv4.clearCache();
        return ipv4.locate(BenchZone.MIN_SRV, BenchZone.PROTOCOLS);
    }

    /** Cleared cache, then A only (explicit port): 1 query. */
    @Benchmark
    public List<Destination> hostPort() throws IOException {
        ops++;
        ipv4.clearCache();
        return ipv4.locate(BenchZone.MIN_HOST_PORT, BenchZone.PROTOCOLS);
    }

    /** Cleared cache, then the 8-RRset {@code example.test} with A and AAAA. */
    @Benchmark
    public List<Destination> fullZone() throws IOException {
        ops++;
        dualStack.clearCache();
        return dualStack.locate(BenchZone.FULL, BenchZone.PROTOCOLS);
    }

    /** The floor: one A query to the same dnsmasq with dnsjava's SimpleResolver, no cache. */
    @Benchmark
    public Message dnsjavaOneQuery() throws IOException {
        return resolver.send(aQuery);
    }
}
