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
 * <tr><td>{@code queryTimeout}</td><td>2 s per attempt</td><td>the query goes to the next server,
 *     round after round through the list in its order: ⌈{@code lookupTimeout} / {@code queryTimeout}⌉
 *     attempts (at least one per server, at most 16). A SERVFAIL or REFUSED answer also moves on to
 *     a server not tried yet. A truncated UDP answer is asked again over TCP.</td></tr>
 * <tr><td>{@code lookupTimeout}</td><td>6 s per {@code locate}</td><td>{@link
 *     sip.dns.DnsLookupException.Reason#TIMEOUT}; the shared query goes on for other callers</td></tr>
 * <tr><td>{@code maxCacheEntries}</td><td>10,000 record sets (positive and negative)</td><td>expired
 *     entries are evicted first, then the oldest</td></tr>
 * <tr><td>{@code maxTtl}</td><td>1 h</td><td>a longer TTL is cut to it</td></tr>
 * <tr><td>{@code maxNegativeTtl}</td><td>5 min</td><td>NXDOMAIN/NODATA are kept for
 *     min(SOA TTL, SOA MINIMUM) cut to it; without an SOA they are not cached</td></tr>
 * <tr><td>CNAME chain</td><td>8 links</td><td>the answer counts as {@code MALFORMED}</td></tr>
 * <tr><td>records used per answer</td><td>32</td><td>the rest are ignored</td></tr>
 * <tr><td>destinations per {@code locate}</td><td>64</td><td>the rest are dropped</td></tr>
 * </table>
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
