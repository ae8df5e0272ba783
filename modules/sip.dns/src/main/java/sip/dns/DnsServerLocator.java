package sip.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import sip.dns.internal.LocatorConfig;
import sip.dns.internal.Rfc3263Locator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;

/**
 * RFC 3263 server location over DNS: NAPTR, then SRV (RFC 2782), then A/AAAA, with its own cache.
 *
 * <p>{@link #locate} (§4) chooses as follows; protocols are transport provider names
 * ({@code udp tcp tls ws wss}) and only those passed in are used:
 * <ul>
 * <li>{@code maddr} present: its host is located instead of the URI host, by the rules below.</li>
 * <li>IP literal (IPv6, bracketed or bare, or IPv4 as RFC 3261's four decimal parts only: the BSD
 *     short forms {@code 1.2.3} or {@code 16909060} are looked up as names): no DNS; the transport
 *     is {@code transport=}, TLS for {@code sips}, else UDP; the port is the URI's or the
 *     transport's default.</li>
 * <li>{@code sips} with {@code transport=}: tcp (or tls) means TLS, ws (or wss) WSS; any other
 *     (udp, sctp, ...) leaves no usable transport (RFC 3261 §26.2.2, RFC 5630 §3.1.3): an empty
 *     list, without a query.</li>
 * <li>Name with a port: A/AAAA only, transport as for an IP literal.</li>
 * <li>{@code transport=} without a port: SRV for that transport ({@code _sip._udp},
 *     {@code _sip._tcp}, {@code _sips._tcp} for TLS, {@code _sip._ws}, {@code _sips._ws} for WSS);
 *     without SRV records, A/AAAA at the default port.</li>
 * <li>Otherwise NAPTR: services {@code SIP+D2U SIP+D2T SIPS+D2T SIP+D2W SIPS+D2W} with flag
 *     {@code s}, in order then preference, those the caller supports, only {@code SIPS+} ones for a
 *     {@code sips} URI; each replacement is resolved as an SRV name (when none has SRV records, the
 *     host's A/AAAA at the default port of the first NAPTR transport, RFC 3263 §4.2). Without usable
 *     NAPTR records:
 *     SRV for every supported transport (udp, tcp, tls, ws, wss, in that order; a {@code sips} URI
 *     only {@code _sips._tcp} and {@code _sips._ws}); without SRV records: A/AAAA at the default
 *     port of UDP ({@code sip}) or TLS ({@code sips}); an SRV record set whose only target is
 *     {@code "."} counts as records, so it stops this fall-back.</li>
 * </ul>
 * SRV records are ordered by priority, then by weighted random choice within a priority
 * (RFC 2782); every target is kept as a fall-back, each of its addresses one destination
 * (A and AAAA per {@link AddressFamily}). A target {@code "."} means the service is not offered.
 * {@link Destination#serverName()} is the SIP domain (the URI or maddr host; RFC 5922), null for an
 * IP literal.
 *
 * <p>A NAPTR query that fails (SERVFAIL, NOTIMP, REFUSED, an unparseable answer) counts as "no
 * usable NAPTR", so SRV is tried: servers and middleboxes that do not handle NAPTR are common. SRV
 * records with port 0 are ignored like those with target {@code "."}. The additional section of an
 * answer is not used: servers cut it without setting TC, so it may hold part of an RRset only.
 *
 * <p>{@code localhost} and names under it are loopback without a query (RFC 6761 §6.3); A and
 * AAAA of names in the hosts file ({@link Builder#hostsFile}) come from it before DNS is asked.
 *
 * <p>Every (name, type) answer is cached for its TTL (cut to {@code maxTtl}; a TTL with its top bit
 * set is 0, RFC 2181 §8); NXDOMAIN and NODATA for the SOA's negative TTL (cut to
 * {@code maxNegativeTtl}; not at all without an SOA), an NXDOMAIN for every type of its name
 * (RFC 2308 §5). Concurrent lookups of one (name, type) share one query. Queries run
 * asynchronously (UDP on a virtual thread per query, TCP on dnsjava's resolver); the calling
 * thread waits at most {@code lookupTimeout} for the whole chain, and then returns what was found
 * by then.
 *
 * <p>Thread-safe. {@link #close()} fails lookups in flight and makes later ones fail, with a plain
 * {@link IOException} (not a {@link DnsLookupException}: no DNS server is to blame).
 */
public final class DnsServerLocator implements ServerLocator, AutoCloseable {

    private final Rfc3263Locator locator;

    private DnsServerLocator(LocatorConfig config) {
        this.locator = new Rfc3263Locator(config);
    }

    /**
     * The {@link java.util.ServiceLoader} entry point: a locator with every default, querying the
     * system's resolvers and search list ({@code /etc/resolv.conf}, read by dnsjava's
     * {@code ResolverConfig}). Sends no query until it is asked to locate a name.
     */
    public static DnsServerLocator provider() {
        return newBuilder().build();
    }

    /** A builder with every default. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * The destinations for {@code target}, most preferred first (RFC 3263 §4); see the class
     * description for the rules.
     *
     * @param target the Request-URI or the first Route's URI
     * @param protocols the transport protocol names the caller can use
     * @return at most 64 destinations; empty when none uses one of {@code protocols}
     * @throws DnsLookupException when DNS gives no destination: no such name, no records, timeout,
     *     server failure or refusal
     * @throws IOException when the locator is closed or the calling thread is interrupted
     */
    @Override
    public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(protocols, "protocols");
        return locator.locate(target, protocols);
    }

    /**
     * Where a response goes when its connection is gone (RFC 3263 §5): {@code host} as an IP
     * literal directly; with a {@code port} (≥ 0) the host's A/AAAA addresses at it; without one
     * (-1) the SRV targets of {@code protocol} ({@code _sip._udp}, {@code _sip._tcp},
     * {@code _sips._tcp} for TLS, ...), else the addresses at the protocol's default port.
     *
     * @param protocol the transport protocol name of the Via
     * @param host the Via's sent-by host
     * @param port the sent-by port, or -1 when the Via has none
     * @return the destinations over {@code protocol}, most preferred first
     * @throws DnsLookupException when DNS gives no destination
     * @throws IOException when the locator is closed or the calling thread is interrupted
     */
    @Override
    public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        return locator.locateSentBy(protocol, host, port);
    }

    /** Counters since this locator was built. */
    public DnsStats stats() {
        return locator.stats();
    }

    /** Forgets every cached answer, positive and negative; queries in flight go on. */
    public void clearCache() {
        locator.clearCache();
    }

    /**
     * Fails the lookups in flight and every later one with a plain {@link IOException}
     * ("DnsServerLocator is closed"); queries under way stop after their current attempt. Idempotent.
     */
    @Override
    public void close() {
        locator.close();
    }

    @Override
    public String toString() {
        return "DnsServerLocator" + locator;
    }

    /**
     * Configures a {@link DnsServerLocator}; every setter validates its argument and returns this
     * builder. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private List<InetSocketAddress> servers;
        private List<String> searchDomains;
        private Duration queryTimeout = Duration.ofSeconds(2);
        private Duration lookupTimeout = Duration.ofSeconds(6);
        private int maxCacheEntries = 10_000;
        private Duration maxTtl = Duration.ofHours(1);
        private Duration maxNegativeTtl = Duration.ofMinutes(5);
        private AddressFamily addressFamily = AddressFamily.IPV4_FIRST;
        private InstantSource clock = InstantSource.system();
        private RandomGenerator random;
        private Path hostsFile = Path.of("/etc/hosts");

        private Builder() {
        }

        /**
         * The DNS servers to query, tried in order. Default: the system's resolvers (dnsjava's
         * {@code ResolverConfig}: {@code /etc/resolv.conf} or the platform's equivalent).
         */
        public Builder servers(List<InetSocketAddress> servers) {
            List<InetSocketAddress> copy = List.copyOf(servers);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("servers must not be empty");
            }
            for (InetSocketAddress s : copy) {
                if (s.isUnresolved()) {
                    throw new IllegalArgumentException("server address must be resolved: " + s);
                }
            }
            this.servers = copy;
            return this;
        }

        /**
         * Domains appended, in order, to a name without a dot before it is tried as it is (as a
         * resolver's {@code search} list). Default: the system's search list. An empty list turns
         * searching off.
         */
        public Builder searchDomains(List<String> searchDomains) {
            List<String> copy = List.copyOf(searchDomains);
            for (String d : copy) {
                if (d.isBlank()) {
                    throw new IllegalArgumentException("blank search domain");
                }
            }
            this.searchDomains = copy;
            return this;
        }

        /**
         * How long one query attempt waits for an answer before the query is sent again (to the
         * next server). A query's attempts end by its call's {@link #lookupTimeout} deadline, the
         * last one cut short. Default 2 s.
         */
        public Builder queryTimeout(Duration queryTimeout) {
            this.queryTimeout = positive(queryTimeout, "queryTimeout");
            return this;
        }

        /**
         * How long one {@link #locate} or {@link #locateSentBy} call waits for the whole chain of
         * lookups. At that deadline a lookup still unanswered counts as failed: the destinations
         * found by then are returned (an A answer when the AAAA query was lost, one transport's
         * SRV targets when another's query was lost); with none, the call throws
         * {@link DnsLookupException.Reason#TIMEOUT}. Default 6 s.
         */
        public Builder lookupTimeout(Duration lookupTimeout) {
            this.lookupTimeout = positive(lookupTimeout, "lookupTimeout");
            return this;
        }

        /**
         * How many record sets, positive and negative, the cache holds; 0 turns caching off (but
         * not the sharing of queries in flight). Default 10,000.
         */
        public Builder maxCacheEntries(int maxCacheEntries) {
            if (maxCacheEntries < 0) {
                throw new IllegalArgumentException("maxCacheEntries must be >= 0: " + maxCacheEntries);
            }
            this.maxCacheEntries = maxCacheEntries;
            return this;
        }

        /** The longest time a positive answer is cached, whatever its TTL. Default 1 h. */
        public Builder maxTtl(Duration maxTtl) {
            this.maxTtl = notNegative(maxTtl, "maxTtl");
            return this;
        }

        /**
         * The longest time an NXDOMAIN or NODATA answer is cached, whatever its SOA says;
         * {@link Duration#ZERO} turns negative caching off. Default 5 min.
         */
        public Builder maxNegativeTtl(Duration maxNegativeTtl) {
            this.maxNegativeTtl = notNegative(maxNegativeTtl, "maxNegativeTtl");
            return this;
        }

        /** Which address records are queried and which come first. Default {@link AddressFamily#IPV4_FIRST}. */
        public Builder addressFamily(AddressFamily addressFamily) {
            this.addressFamily = Objects.requireNonNull(addressFamily, "addressFamily");
            return this;
        }

        /** The clock cache TTLs are measured on. Default {@link InstantSource#system()}. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source of the SRV weight draws (RFC 2782). Each {@code locate} call takes one number
         * from it (under a lock, so it need not be thread-safe), and the draws of each SRV set of
         * the call are derived from that number and the set's name: with a seeded generator the
         * same sequence of calls gives the same orders, whatever order the answers arrive in and
         * whatever order the server lists an RRset in. Default: a thread-local generator.
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The hosts file whose names' A and AAAA records are answered from it, before DNS is
         * asked, as the system resolver does ("files" before "dns"): a host name that worked with
         * the JDK locator still works. Their NAPTR and SRV records are still asked of DNS. Parsed
         * as dnsjava's {@code HostsFileParser} does (the first address of each family per name),
         * once into a table; read again when its modification time or size changed, looked at
         * every 5 s at most on the {@link #clock clock}; a missing or unreadable file has no
         * names. {@code null} reads none. Default {@code /etc/hosts}.
         */
        public Builder hostsFile(Path hostsFile) {
            if (hostsFile != null && java.nio.file.Files.isDirectory(hostsFile)) {
                throw new IllegalArgumentException("hostsFile is a directory: " + hostsFile);
            }
            this.hostsFile = hostsFile;
            return this;
        }

        /** A new locator with this configuration; sends no query. */
        public DnsServerLocator build() {
            return new DnsServerLocator(new LocatorConfig(servers, searchDomains, queryTimeout, lookupTimeout,
                    maxCacheEntries, maxTtl, maxNegativeTtl, addressFamily, clock, random, hostsFile));
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }

        private static Duration notNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }
    }
}
