package sip.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
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
    record Records(List<Record> records, List<Record> additional, long ttl, List<InetAddress> addresses)
            implements Answer {
        public Records {
            records = List.copyOf(records);
            additional = List.copyOf(additional);
            addresses = List.copyOf(addresses);
        }

        Records(List<Record> records, List<Record> additional, long ttl) {
            this(records, additional, ttl, addressesOf(records));
        }

        /** This answer as the cache keeps it: without the additional records. */
        Records cached() {
            return additional.isEmpty() ? this : new Records(records, List.of(), ttl, addresses);
        }

        /**
         * The addresses of the A/AAAA records, made once per answer: dnsjava's
         * {@code getAddress()} builds a host name string on every call, which a warm lookup
         * would otherwise pay per destination.
         */
        static List<InetAddress> addressesOf(List<Record> records) {
            List<InetAddress> out = new ArrayList<>();
            for (Record r : records) {
                InetAddress a = r instanceof ARecord v4 ? v4.getAddress()
                        : r instanceof AAAARecord v6 ? v6.getAddress() : null;
                if (a != null) {
                    try {
                        out.add(InetAddress.getByAddress(a.getAddress()));   // no host name attached
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);   // 4 or 16 bytes: cannot happen
                    }
                }
            }
            return out;
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
