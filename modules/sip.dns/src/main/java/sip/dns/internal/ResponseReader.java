package sip.dns.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;

/**
 * Turns a DNS response into an {@link Answer} for its question (RFC 1034 §3.6.2 CNAME chains,
 * RFC 2308 negative TTLs), or a {@link DnsLookupException} for an error rcode. Pure: no I/O, no
 * clock.
 *
 * <p>Only the answer and authority sections are read. The additional section is not: a server
 * fills it only as far as the datagram has room, cutting an RRset in the middle without setting
 * TC (dnsmasq does), so its address records cannot be known to be complete, and RFC 2181 §5.4.1
 * ranks them lowest anyway. Every SRV target's addresses are asked for.
 */
final class ResponseReader {
    /** Longest CNAME chain followed, in one response and across re-queries. */
    static final int MAX_CNAME_LINKS = 8;
    /**
     * Most records of one RRset used. A longer SRV or NAPTR set keeps its most preferred records
     * (see {@link #PREFERENCE}); a longer set of another type keeps its first ones in the server's
     * order (all are equal, and the server's rotation spreads the load).
     */
    static final int MAX_RECORDS = 32;

    /**
     * Which records of a long SRV or NAPTR set are kept: SRV by priority, then the heavier weight
     * (RFC 2782); NAPTR by order, then preference (RFC 3403); then the canonical order, so that
     * the choice does not depend on the order the server sent them in.
     */
    private static final Comparator<Record> PREFERENCE = Comparator
            .comparingInt((Record r) -> r instanceof SRVRecord s ? s.getPriority()
                    : r instanceof NAPTRRecord n ? n.getOrder() : 0)
            .thenComparingInt(r -> r instanceof SRVRecord s ? -s.getWeight()
                    : r instanceof NAPTRRecord n ? n.getPreference() : 0)
            .thenComparing(Comparator.naturalOrder());

    private ResponseReader() {
    }

    /**
     * @param question what was asked
     * @param response the server's answer
     * @param server who answered, for messages
     */
    static Answer read(Question question, Message response, String server) throws DnsLookupException {
        int rcode = response.getRcode();
        switch (rcode) {
            case Rcode.NOERROR, Rcode.NXDOMAIN -> {
            }
            case Rcode.SERVFAIL -> throw failure(Reason.SERVER_FAILURE, question, rcode, server);
            case Rcode.REFUSED, Rcode.NOTIMP -> throw failure(Reason.REFUSED, question, rcode, server);
            case Rcode.FORMERR -> throw failure(Reason.MALFORMED, question, rcode, server);
            default -> throw failure(Reason.SERVER_FAILURE, question, rcode, server);
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name name = question.name();
        long ttl = Long.MAX_VALUE;
        int links = 0;
        Set<Name> seen = new HashSet<>();
        seen.add(name);
        while (true) {
            List<Record> found = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record r : answer) {
                if (!r.getName().equals(name)) {
                    continue;
                }
                if (r.getType() == question.type()) {
                    found.add(r);
                } else if (r.getType() == Type.CNAME && question.type() != Type.CNAME) {
                    alias = (CNAMERecord) r;
                }
            }
            if (!found.isEmpty()) {
                for (Record r : found) {   // the RRset's TTL: all of it, kept or not
                    ttl = Math.min(ttl, ttl(r.getTTL()));
                }
                return new Answer.Records(capped(found), ttl, links);
            }
            if (alias == null) {
                break;
            }
            ttl = Math.min(ttl, ttl(alias.getTTL()));
            name = alias.getTarget();
            if (++links > MAX_CNAME_LINKS || !seen.add(name)) {
                throw new DnsLookupException(Reason.MALFORMED, question.host(), question.typeName(),
                        "CNAME chain longer than " + MAX_CNAME_LINKS + " or looping, at " + name, null);
            }
        }
        if (rcode == Rcode.NOERROR && links > 0) {
            // A CNAME without its target's records: the caller asks again for the target.
            return new Answer.Alias(name, links, ttl);
        }
        return new Answer.Negative(rcode == Rcode.NXDOMAIN, Math.min(ttl, negativeTtl(response)), links);
    }

    /** At most {@link #MAX_RECORDS} of an RRset, the most preferred for SRV and NAPTR. */
    private static List<Record> capped(List<Record> rrset) {
        if (rrset.size() <= MAX_RECORDS) {
            return rrset;
        }
        List<Record> kept = new ArrayList<>(rrset);
        int type = rrset.getFirst().getType();
        if (type == Type.SRV || type == Type.NAPTR) {
            kept.sort(PREFERENCE);
        }
        return kept.subList(0, MAX_RECORDS);
    }

    /** RFC 2308 §5: min(SOA TTL, SOA MINIMUM) of the authority section's SOA; 0 without one. */
    static long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(ttl(soa.getTTL()), ttl(soa.getMinimum()));
            }
        }
        return 0;
    }

    /** RFC 2181 §8: a TTL with the most significant bit set is taken as 0. */
    static long ttl(long wire) {
        return wire > Integer.MAX_VALUE ? 0 : wire;
    }

    private static DnsLookupException failure(Reason reason, Question question, int rcode, String server) {
        return new DnsLookupException(reason, question.host(), question.typeName(),
                "server " + server + " answered " + Rcode.string(rcode), null);
    }
}
