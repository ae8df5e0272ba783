package sip.dns.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
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
 */
final class ResponseReader {
    /** Longest CNAME chain followed, in one response and across re-queries. */
    static final int MAX_CNAME_LINKS = 8;
    /** Most records of one answer used; the rest are ignored. */
    static final int MAX_RECORDS = 32;

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
                    if (found.size() < MAX_RECORDS) {
                        found.add(r);
                    }
                } else if (r.getType() == Type.CNAME && question.type() != Type.CNAME) {
                    alias = (CNAMERecord) r;
                }
            }
            if (!found.isEmpty()) {
                for (Record r : found) {
                    ttl = Math.min(ttl, r.getTTL());
                }
                return new Answer.Records(found, additional(found, response), ttl);
            }
            if (alias == null) {
                break;
            }
            ttl = Math.min(ttl, alias.getTTL());
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
        return new Answer.Negative(rcode == Rcode.NXDOMAIN, Math.min(ttl, negativeTtl(response)));
    }

    /** RFC 2308 §5: min(SOA TTL, SOA MINIMUM) of the authority section's SOA; 0 without one. */
    static long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return 0;
    }

    /** The A/AAAA records of the additional section whose owners are targets of {@code srvs}. */
    private static List<Record> additional(List<Record> records, Message response) {
        Set<Name> targets = new HashSet<>();
        for (Record r : records) {
            if (r instanceof SRVRecord srv) {
                targets.add(srv.getTarget());
            }
        }
        if (targets.isEmpty()) {
            return List.of();
        }
        List<Record> addresses = new ArrayList<>();
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if ((r.getType() == Type.A || r.getType() == Type.AAAA) && targets.contains(r.getName())
                    && addresses.size() < MAX_RECORDS * 2) {
                addresses.add(r);
            }
        }
        return addresses;
    }

    private static DnsLookupException failure(Reason reason, Question question, int rcode, String server) {
        return new DnsLookupException(reason, question.host(), question.typeName(),
                "server " + server + " answered " + Rcode.string(rcode), null);
    }
}
