package sip.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
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
     * The CNAME records followed inside this response to reach it, so that a chain spread over
     * several responses is counted whole ({@link ResponseReader#MAX_CNAME_LINKS}).
     */
    int links();

    /**
     * The records of the asked type at the end of the CNAME chain: the whole RRset when it has at
     * most {@link ResponseReader#MAX_RECORDS}, else the most preferred ones (see
     * {@link ResponseReader}).
     *
     * @param ttl the smallest TTL of the RRset and of the CNAMEs followed
     */
    record Records(List<Record> records, long ttl, int links, List<InetAddress> addresses) implements Answer {
        public Records {
            records = List.copyOf(records);
            addresses = List.copyOf(addresses);
        }

        Records(List<Record> records, long ttl, int links) {
            this(records, ttl, links, addressesOf(records));
        }

        Records(List<Record> records, long ttl) {
            this(records, ttl, 0);
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
    record Alias(Name target, int links, long ttl) implements Answer {
    }

    /**
     * NXDOMAIN ({@code noSuchName}) or NODATA.
     *
     * @param ttl the RFC 2308 negative TTL from the SOA, 0 without an SOA
     * @param links CNAMEs followed first: with any, an NXDOMAIN is about the chain's last name,
     *     not the name asked
     */
    record Negative(boolean noSuchName, long ttl, int links) implements Answer {
        Negative(boolean noSuchName, long ttl) {
            this(noSuchName, ttl, 0);
        }
    }
}
