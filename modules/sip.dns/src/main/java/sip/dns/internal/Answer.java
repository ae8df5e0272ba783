package sip.dns.internal;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * What a server said about one {@link Question}, once the CNAME chain in the answer was followed:
 * records, or that there are none. Failures (timeout, SERVFAIL, REFUSED, malformed) are
 * {@link sip.dns.DnsLookupException}s, never answers, and never cached.
 */
sealed interface Answer {

    /** Seconds this answer may be cached; 0 = not at all. */
    long ttl();

    /**
     * The records of the asked type at the end of the CNAME chain (at most
     * {@link ResponseReader#MAX_RECORDS}).
     *
     * @param additional address records of the same response's additional section for the names
     *     these records point at (SRV targets), usable by this lookup only: never cached, so empty
     *     in an answer from the cache
     */
    record Records(List<Record> records, List<Record> additional, long ttl) implements Answer {
        public Records {
            records = List.copyOf(records);
            additional = List.copyOf(additional);
        }

        /** This answer as the cache keeps it: without the additional records. */
        Records cached() {
            return additional.isEmpty() ? this : new Records(records, List.of(), ttl);
        }
    }

    /**
     * The answer ended in a CNAME whose target's records the server did not include: the
     * question must be asked again for {@code target}.
     *
     * @param links the CNAME records followed to get there
     */
    record Alias(org.xbill.DNS.Name target, int links, long ttl) implements Answer {
    }

    /**
     * NXDOMAIN ({@code noSuchName}) or NODATA.
     *
     * @param ttl the RFC 2308 negative TTL from the SOA, 0 without an SOA
     */
    record Negative(boolean noSuchName, long ttl) implements Answer {
    }
}
