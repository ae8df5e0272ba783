package sip.dns.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An in-memory authoritative server as a {@link QuerySender}: records added by the test, NXDOMAIN
 * (with an SOA when {@link #soa} is set) for names it has nothing at, NODATA for other types;
 * names can be made to fail or to hang. Records every question asked.
 */
class FakeZone implements QuerySender {
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final Map<Question, Integer> rcodes = new ConcurrentHashMap<>();
    private final Map<Question, Boolean> silent = new ConcurrentHashMap<>();
    final List<Question> asked = new CopyOnWriteArrayList<>();
    /** Answers held back by {@link #hold}, completed by the test. */
    final Map<Question, CompletableFuture<Reply>> held = new ConcurrentHashMap<>();
    volatile SOARecord soa;
    volatile boolean addAdditional;

    static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    FakeZone a(String name, long ttl, String... addresses) {
        for (String a : addresses) {
            try {
                java.net.InetAddress ip = java.net.InetAddress.ofLiteral(a);
                records.add(ip instanceof java.net.Inet4Address
                        ? new ARecord(name(name), DClass.IN, ttl, ip)
                        : new AAAARecord(name(name), DClass.IN, ttl, ip));
            } catch (IllegalArgumentException e) {
                throw e;
            }
        }
        return this;
    }

    FakeZone srv(String name, long ttl, int priority, int weight, int port, String target) {
        records.add(new SRVRecord(name(name), DClass.IN, ttl, priority, weight, port, name(target)));
        return this;
    }

    FakeZone naptr(String name, long ttl, int order, int preference, String flags, String service, String replacement) {
        records.add(new NAPTRRecord(name(name), DClass.IN, ttl, order, preference, flags, service, "",
                name(replacement)));
        return this;
    }

    FakeZone cname(String alias, long ttl, String target) {
        records.add(new CNAMERecord(name(alias), DClass.IN, ttl, name(target)));
        return this;
    }

    FakeZone soa(long ttl, long minimum) {
        soa = new SOARecord(name("example.test"), DClass.IN, ttl, name("ns.example.test"),
                name("hostmaster.example.test"), 1, 3600, 600, 86400, minimum);
        return this;
    }

    FakeZone rcode(String name, int type, int rcode) {
        rcodes.put(new Question(name(name), type), rcode);
        return this;
    }

    FakeZone silent(String name, int type) {
        silent.put(new Question(name(name), type), true);
        return this;
    }

    FakeZone hold(String name, int type) {
        held.put(new Question(name(name), type), new CompletableFuture<>());
        return this;
    }

    int count(String name, int type) {
        Question q = new Question(name(name), type);
        return (int) asked.stream().filter(q::equals).count();
    }

    @Override
    public CompletableFuture<Reply> send(Message query) {
        Record question = query.getQuestion();
        Question q = new Question(question.getName(), question.getType());
        asked.add(q);
        if (silent.containsKey(q)) {
            return new CompletableFuture<>();   // never answered: the caller's timeout must act
        }
        CompletableFuture<Reply> h = held.get(q);
        if (h != null) {
            return h;
        }
        return CompletableFuture.completedFuture(new Reply(answer(query, q), SERVER));
    }

    /** The response this zone gives to {@code query}. */
    Message answer(Message query, Question q) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(query.getQuestion(), Section.QUESTION);
        Integer rcode = rcodes.get(q);
        if (rcode != null) {
            response.getHeader().setRcode(rcode);
            return response;
        }
        Name name = q.name();
        for (int links = 0; links < 20; links++) {
            List<Record> found = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record r : records) {
                if (r.getName().equals(name)) {
                    if (r.getType() == q.type()) {
                        found.add(r);
                    } else if (r instanceof CNAMERecord c) {
                        alias = c;
                    }
                }
            }
            if (!found.isEmpty()) {
                found.forEach(r -> response.addRecord(r, Section.ANSWER));
                if (addAdditional) {
                    for (Record r : found) {
                        if (r instanceof SRVRecord s) {
                            records.stream().filter(x -> x.getName().equals(s.getTarget())
                                    && (x.getType() == Type.A || x.getType() == Type.AAAA))
                                    .forEach(x -> response.addRecord(x, Section.ADDITIONAL));
                        }
                    }
                }
                return response;
            }
            if (alias == null) {
                boolean exists = false;
                for (Record r : records) {
                    exists |= r.getName().equals(name);
                }
                response.getHeader().setRcode(exists ? Rcode.NOERROR : Rcode.NXDOMAIN);
                if (soa != null) {
                    response.addRecord(soa, Section.AUTHORITY);
                }
                return response;
            }
            response.addRecord(alias, Section.ANSWER);
            name = alias.getTarget();
        }
        return response;
    }
}
