package sip.dns;

/**
 * Counters of a {@link DnsServerLocator} since it was built: a snapshot, each value read
 * independently.
 *
 * @param queriesSent DNS queries sent (one per (name, type) that was not answered from the cache
 *     or joined to a query already in flight; the resolver's own retries are not counted)
 * @param cacheHits record sets answered from the cache, positive or negative
 * @param negativeHits of {@code cacheHits}, those that were a cached NXDOMAIN or NODATA
 * @param sharedLookups lookups that joined a query already in flight for the same (name, type)
 *     instead of sending their own (single-flight)
 * @param timeouts queries that got no answer in time
 * @param failures queries that ended in SERVFAIL, REFUSED, a malformed answer or an I/O error
 * @param cacheEntries record sets in the cache now, expired ones not yet evicted included
 * @param inFlight queries waiting for an answer now
 */
public record DnsStats(long queriesSent, long cacheHits, long negativeHits, long sharedLookups,
                       long timeouts, long failures, int cacheEntries, int inFlight) {
}
