package sip.dns.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;
import sip.dns.AddressFamily;

/**
 * A {@link sip.dns.DnsServerLocator.Builder}'s settings, validated there.
 *
 * @param servers the DNS servers, or null for the system's
 * @param searchDomains the search list, or null for the system's
 * @param random the SRV weight source, or null for the default
 */
public record LocatorConfig(List<InetSocketAddress> servers, List<String> searchDomains, Duration queryTimeout,
                            Duration lookupTimeout, int maxCacheEntries, Duration maxTtl, Duration maxNegativeTtl,
                            AddressFamily addressFamily, InstantSource clock, RandomGenerator random) {
}
