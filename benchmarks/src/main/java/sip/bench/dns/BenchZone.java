package sip.bench.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.testkit.Dnsmasq;

/**
 * The zone every DNS benchmark resolves, served by a real dnsmasq on a free loopback port.
 *
 * <p>{@code example.test} is a full RFC 3263 domain: three NAPTR records (udp, tcp, tls), each
 * SRV with two targets, each target with an A and an AAAA record, so one
 * {@code locate(sip:alice@example.test)} reads 8 RRsets (1 NAPTR, 3 SRV, 2 A, 2 AAAA) and returns
 * 12 destinations. {@code min.example.test} is the shortest chain, one record at each step:
 * NAPTR → SRV → A.
 *
 * <p>The TTL is one hour (the locator's default {@code maxTtl} cap, so nothing in a run expires:
 * dnsmasq's own default {@code --local-ttl} is 0, which would make every answer uncacheable).
 */
final class BenchZone {

    static final Set<String> PROTOCOLS = Set.of("udp", "tcp", "tls");
    static final Duration TTL = Duration.ofHours(1);

    /** NAPTR → 3 SRV → 2 targets → A + AAAA: 12 destinations. */
    static final SipUri FULL = SipUri.parse("sip:alice@example.test");
    /** {@code transport=udp}: SRV {@code _sip._udp} → 2 targets → A + AAAA: 4 destinations. */
    static final SipUri FULL_SRV = SipUri.parse("sip:alice@example.test;transport=udp");
    /** An explicit port: A + AAAA of one host, no SRV: 2 destinations. */
    static final SipUri FULL_HOST_PORT = SipUri.parse("sip:alice@sip1.example.test:5060");
    /** The no-DNS floor: an IP literal. */
    static final SipUri IP_LITERAL = SipUri.parse("sip:alice@127.0.0.1");

    /** NAPTR → SRV → A, one record each. */
    static final SipUri MIN = SipUri.parse("sip:alice@min.example.test");
    /** SRV → A. */
    static final SipUri MIN_SRV = SipUri.parse("sip:alice@min.example.test;transport=udp");
    /** A only. */
    static final SipUri MIN_HOST_PORT = SipUri.parse("sip:alice@host.min.example.test:5060");

    private BenchZone() {
    }

    /**
     * Starts dnsmasq with the zone; fails (not skips) when dnsmasq is missing.
     *
     * @param authoritative dnsmasq's authoritative mode: SRV answers without the targets' A/AAAA
     *     in the additional section, so a chain costs one query per step; otherwise (dnsmasq's
     *     {@code --local} mode, as a recursive resolver answers) an SRV answer brings its targets'
     *     addresses along and a locator that uses them skips the A/AAAA queries
     */
    static Dnsmasq start(boolean authoritative) throws IOException {
        if (!Dnsmasq.isAvailable()) {
            throw new IllegalStateException("the DNS benchmarks need dnsmasq (Debian dnsmasq-base)");
        }
        Dnsmasq.Builder zone = Dnsmasq.builder()
                .domain("example.test")
                .naptr("example.test", 10, 50, "s", "SIP+D2U", "", "_sip._udp.example.test")
                .naptr("example.test", 20, 50, "s", "SIP+D2T", "", "_sip._tcp.example.test")
                .naptr("example.test", 30, 50, "s", "SIPS+D2T", "", "_sips._tcp.example.test")
                .srv("_sip._udp.example.test", "sip1.example.test", 5060, 10, 60)
                .srv("_sip._udp.example.test", "sip2.example.test", 5060, 10, 40)
                .srv("_sip._tcp.example.test", "sip1.example.test", 5060, 10, 60)
                .srv("_sip._tcp.example.test", "sip2.example.test", 5060, 10, 40)
                .srv("_sips._tcp.example.test", "sip1.example.test", 5061, 10, 60)
                .srv("_sips._tcp.example.test", "sip2.example.test", 5061, 10, 40)
                // Both families, so with the default IPV4_FIRST every A and AAAA answer is a
                // positive, cacheable RRset (a NODATA from dnsmasq without SOA would not be cached
                // and would turn every "warm" lookup into a query). Distinct addresses, else the
                // locator rightly drops the duplicate destination; nothing is ever sent to them
                // (2001:db8::/32 is the documentation prefix, RFC 3849).
                .host("sip1.example.test", "127.0.0.1", "::1")
                .host("sip2.example.test", "127.0.0.2", "2001:db8::2")
                .naptr("min.example.test", 10, 50, "s", "SIP+D2U", "", "_sip._udp.min.example.test")
                .srv("_sip._udp.min.example.test", "host.min.example.test", 5060, 10, 100)
                .host("host.min.example.test", "127.0.0.1")
                .ttl(TTL);
        if (authoritative) {
            zone.authoritative();
        }
        return zone.start();
    }

    /** A locator that only ever queries {@code dns}, with no search domains. */
    static DnsServerLocator locator(Dnsmasq dns, AddressFamily family) {
        return DnsServerLocator.newBuilder()
                .servers(List.of(dns.address()))
                .searchDomains(List.of())
                .addressFamily(family)
                .build();
    }

    /**
     * Fails unless {@code got} has {@code size} destinations and the first is {@code protocol}, so a
     * benchmark never measures an error path or a half-configured zone.
     */
    static List<Destination> check(String what, List<Destination> got, int size, String protocol) {
        if (got.size() != size || !got.getFirst().protocol().equals(protocol)) {
            throw new IllegalStateException(what + ": expected " + size + " destinations starting with "
                    + protocol + ", got " + got);
        }
        return got;
    }
}
