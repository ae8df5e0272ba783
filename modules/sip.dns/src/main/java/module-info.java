/**
 * RFC 3263 server location on dnsjava: {@link sip.dns.DnsServerLocator} finds where a SIP request
 * goes through NAPTR, SRV (RFC 2782) and A/AAAA records, and where a response goes when its
 * connection is gone (RFC 3263 §5). It is a {@link sip.router.ServerLocator} provider: with this
 * module on the module path a {@code UserAgent} uses it instead of the JDK resolver.
 *
 * <h2>Resolution</h2>
 * Protocols are transport provider names: {@code udp tcp tls ws wss}. NAPTR services
 * {@code SIP+D2U SIP+D2T SIPS+D2T SIP+D2W SIPS+D2W}; SRV names {@code _sip._udp _sip._tcp
 * _sips._tcp _sip._ws _sips._ws} (RFC 3263, RFC 7118). The TLS server name of every destination
 * is the SIP domain, never the SRV target (RFC 5922).
 *
 * <h2>Limits and timers</h2>
 * <table>
 * <caption>Defaults ({@link sip.dns.DnsServerLocator.Builder}), and what happens on breach</caption>
 * <tr><th>Setting</th><th>Default</th><th>On breach</th></tr>
 * <tr><td>{@code queryTimeout}</td><td>2 s per attempt</td><td>the query is sent again, to the
 *     next server, round after round through the list in its order, while the deadline of the
 *     {@code locate} call that sent it leaves time (the last attempt cut short; at least one
 *     attempt per server, at most 16). A SERVFAIL, REFUSED or unparseable answer also moves on to a
 *     server not tried yet. A datagram with another ID or question is discarded and the attempt
 *     waits on (RFC 5452 §9.1); each attempt has a fresh ID and source port. A truncated UDP answer
 *     is asked again over TCP.</td></tr>
 * <tr><td>{@code lookupTimeout}</td><td>6 s per {@code locate}</td><td>lookups still unanswered
 *     count as failed: the destinations found by then are returned (a lost AAAA beside an answered
 *     A); with none, {@link sip.dns.DnsLookupException.Reason#TIMEOUT} naming a query still
 *     unanswered. A query shared with a later call goes on until its own deadline.</td></tr>
 * <tr><td>{@code maxCacheEntries}</td><td>10,000 record sets (positive and negative)</td><td>expired
 *     entries are evicted first, then the oldest</td></tr>
 * <tr><td>{@code maxTtl}</td><td>1 h</td><td>a longer TTL is cut to it</td></tr>
 * <tr><td>{@code maxNegativeTtl}</td><td>5 min</td><td>NXDOMAIN/NODATA are kept for
 *     min(SOA TTL, SOA MINIMUM) cut to it; without an SOA they are not cached</td></tr>
 * <tr><td>CNAME chain</td><td>8 links</td><td>the answer counts as {@code MALFORMED}</td></tr>
 * <tr><td>records used per answer</td><td>32</td><td>of a longer SRV set the most preferred
 *     (priority, then heavier weight), of a NAPTR set the first by order and preference, of other
 *     types the first in the server's order; the rest are ignored</td></tr>
 * <tr><td>destinations per {@code locate}</td><td>64</td><td>the rest are dropped</td></tr>
 * </table>
 *
 * <h2>Names answered without DNS</h2>
 * {@code localhost} and names under {@code .localhost} are loopback ({@code 127.0.0.1},
 * {@code ::1}) without a query (RFC 6761 §6.3). A and AAAA of a name in the hosts file
 * ({@code hostsFile}, default {@code /etc/hosts}) come from it, before DNS, as the system resolver
 * gives them; NAPTR and SRV are still asked of DNS. Neither is cached: TTL 0.
 *
 * <h2>Logging</h2>
 * Through slf4j, loggers named after the classes: failed queries at DEBUG. dnsjava's own JDK
 * {@code InetAddressResolverProvider} stays inactive (it needs {@code -Dorg.dnsjava.spi.enable=true}).
 */
module sip.dns {
    requires transitive sip.router;
    requires org.dnsjava;
    requires org.slf4j;

    exports sip.dns;

    provides sip.router.ServerLocator with sip.dns.DnsServerLocator;
}
