package sip.bench.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;

/**
 * The baseline: the same resolution done with dnsjava's own {@link LookupSession} and its
 * {@link Cache}, against the same dnsmasq. It reads the same RRsets as {@code DnsServerLocator}
 * (NAPTR, then SRV, then A and AAAA of every target) and returns socket addresses, but does less
 * RFC 3263 work: SRV records are sorted by priority only (no weighted draw), NAPTR records are
 * not filtered by service or flag, and nothing is built per destination beyond an
 * {@link InetSocketAddress}. So it is a floor for "a cached DNS chain in Java", not a second
 * implementation of RFC 3263.
 */
final class LookupSessionChain {

    private final LookupSession session;

    LookupSessionChain(InetSocketAddress server) {
        SimpleResolver resolver = new SimpleResolver(server);
        this.session = LookupSession.builder()
                .resolver(resolver)
                .cache(new Cache(DClass.IN))
                .build();
    }

    static Name name(String absolute) {
        try {
            return Name.fromString(absolute.endsWith(".") ? absolute : absolute + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(absolute, e);
        }
    }

    /** NAPTR → each replacement's SRV → A + AAAA of every target. */
    List<InetSocketAddress> naptrSrvA(Name domain) {
        List<Record> naptr = new ArrayList<>(records(domain, Type.NAPTR));
        naptr.sort(Comparator.comparingInt((Record r) -> ((NAPTRRecord) r).getOrder())
                .thenComparingInt(r -> ((NAPTRRecord) r).getPreference()));
        List<InetSocketAddress> out = new ArrayList<>();
        for (Record r : naptr) {
            srvA(((NAPTRRecord) r).getReplacement(), out);
        }
        return out;
    }

    /** SRV → A + AAAA of every target, priority order. */
    List<InetSocketAddress> srvA(Name service) {
        List<InetSocketAddress> out = new ArrayList<>();
        srvA(service, out);
        return out;
    }

    private void srvA(Name service, List<InetSocketAddress> out) {
        List<Record> srv = new ArrayList<>(records(service, Type.SRV));
        srv.sort(Comparator.comparingInt(r -> ((SRVRecord) r).getPriority()));
        for (Record r : srv) {
            SRVRecord s = (SRVRecord) r;
            for (Record a : records(s.getTarget(), Type.A)) {
                out.add(new InetSocketAddress(((ARecord) a).getAddress(), s.getPort()));
            }
            for (Record a : records(s.getTarget(), Type.AAAA)) {
                InetAddress address = ((AAAARecord) a).getAddress();
                out.add(new InetSocketAddress(address, s.getPort()));
            }
        }
    }

    private List<Record> records(Name name, int type) {
        // lookupAsync answers from the cache when it can; join() is what a blocking caller does.
        return session.lookupAsync(name, type).toCompletableFuture().join().getRecords();
    }
}
