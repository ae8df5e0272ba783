package sip.fuzz.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import sip.fuzz.dns.DnsWire.Name;
import sip.fuzz.dns.DnsWire.Query;
import sip.fuzz.dns.DnsWire.Writer;

/**
 * A hostile DNS zone drawn from the fuzzer's bytes: NAPTR, SRV, A, AAAA, CNAME, SOA and other
 * records over a small pool of names (so that NAPTR → SRV → A chains connect), with fuzzed
 * orders, preferences, flags, services, priorities, weights, ports, TTLs, classes, names and
 * RDLENGTHs; and for each record type a way of answering ({@link Mode}): as a server would, or
 * silently, with an error rcode, truncated, with flipped bytes, with raw bytes, with another
 * question, another ID, lying counts, trailing junk, TC set, or twice. Answers depend only on the
 * zone and the question, never on the order queries arrive in, so an input replays the same.
 */
final class FuzzedZone implements HostileResponder.Answers {

    /** The SIP domain every test URI is in; also the search domain. */
    static final String DOMAIN = "example.test";

    /** Owners and targets: the SIP domain, its SRV names, servers, an alias, a dotless name's expansion. */
    static final List<String> NAMES = List.of(
            "example.test", "_sip._udp.example.test", "_sip._tcp.example.test", "_sips._tcp.example.test",
            "_sip._ws.example.test", "_sips._ws.example.test", "s1.example.test", "s2.example.test",
            "alias.example.test", "sip1.example.test", "other.test", "missing.example.test");

    /** How the answers to one record type are spoiled. */
    enum Mode {
        NORMAL, SILENT, RCODE, TC_SET, CUT, FLIP, RAW, NO_QUESTION, OTHER_QUESTION, WRONG_ID,
        NOT_A_RESPONSE, LYING_COUNTS, TRAILING, TWICE, OVERSIZED
    }

    private enum Section { ANSWER, AUTHORITY, ADDITIONAL }

    /**
     * One resource record.
     *
     * @param ownerKey the owner as a pool name, or null for a hostile owner
     * @param targetKey for CNAME and SRV: the target as a pool name, or null
     * @param stray put into every answer, in {@code section}, whatever the question
     */
    private record Rr(Name owner, String ownerKey, int type, int dclass, long ttl, Consumer<Writer> rdata,
                      int lie, String targetKey, boolean stray, Section section) {
    }

    /** The spoiling of one record type's answers, all its parameters drawn up front. */
    private record Spoil(Mode mode, int rcode, int cut, int[] flips, byte[] raw, int[] counts, byte[] trailing) {
        static final Spoil NONE = new Spoil(Mode.NORMAL, 0, 0, new int[0], new byte[0], new int[4], new byte[0]);
    }

    private static final Spoil SPOOF = new Spoil(Mode.WRONG_ID, 3, 0, new int[0], new byte[0], new int[4], new byte[0]);

    private final List<Rr> records = new ArrayList<>();
    private final Spoil[] spoils = new Spoil[5];   // NAPTR, SRV, A, AAAA, anything else
    private final boolean nxdomain;
    private final boolean chase;
    private final boolean glue;
    private final boolean compress;
    private final boolean soaInNegative;

    private FuzzedZone(boolean nxdomain, boolean chase, boolean glue, boolean compress, boolean soaInNegative) {
        this.nxdomain = nxdomain;
        this.chase = chase;
        this.glue = glue;
        this.compress = compress;
        this.soaInNegative = soaInNegative;
    }

    /** A zone of up to {@code maxRecords} records, spoiled with probability {@code spoilPercent} per type. */
    static FuzzedZone draw(Draws d, int maxRecords, int spoilPercent) {
        FuzzedZone z = new FuzzedZone(d.bool(), d.bool(), d.bool(), d.bool(), d.bool());
        for (int i = 0; i < z.spoils.length; i++) {
            z.spoils[i] = d.percent(spoilPercent) ? spoil(d) : Spoil.NONE;
        }
        int n = d.between(0, maxRecords);
        for (int i = 0; i < n; i++) {
            z.records.add(record(d));
        }
        return z;
    }

    /** A zone that answers as a server would, with these records only (for the ordering property). */
    static FuzzedZone wellBehaved(boolean glue) {
        FuzzedZone z = new FuzzedZone(true, true, glue, true, true);
        java.util.Arrays.fill(z.spoils, Spoil.NONE);
        return z;
    }

    FuzzedZone srv(String owner, int priority, int weight, int port, String target, long ttl) {
        records.add(new Rr(Name.of(owner), owner, DnsWire.SRV, 1, ttl,
                w -> w.u16(priority).u16(weight).u16(port).name(Name.of(target)), 0, target, false, Section.ANSWER));
        return this;
    }

    FuzzedZone naptr(String owner, String service, String replacement) {
        records.add(new Rr(Name.of(owner), owner, DnsWire.NAPTR, 1, 60, w -> w.u16(10).u16(10)
                .string(new byte[] {'s'}).string(service.getBytes(StandardCharsets.US_ASCII)).string(new byte[0])
                .name(Name.of(replacement)), 0, replacement, false, Section.ANSWER));
        return this;
    }

    FuzzedZone cname(String owner, String target) {
        records.add(new Rr(Name.of(owner), owner, DnsWire.CNAME, 1, 60, w -> w.name(Name.of(target)), 0, target, false,
                Section.ANSWER));
        return this;
    }

    FuzzedZone address(String owner, byte[] address, long ttl) {
        records.add(new Rr(Name.of(owner), owner, address.length == 4 ? DnsWire.A : DnsWire.AAAA, 1, ttl,
                w -> w.bytes(address), 0, null, false, Section.ANSWER));
        return this;
    }

    private static Spoil spoil(Draws d) {
        Mode mode = d.pick(List.of(Mode.values()));
        int rcode = d.pickOf(1, 2, 3, 4, 5, 6, 9, d.between(0, 15));
        int cut = d.between(0, 600);
        int[] flips = new int[d.between(1, 4) * 2];
        for (int i = 0; i < flips.length; i++) {
            flips[i] = d.between(0, 600);
        }
        byte[] raw = d.bytes(d.between(0, 200));
        int[] counts = {d.u16(), d.u16(), d.u16(), d.u16()};
        byte[] trailing = d.bytes(d.between(1, 64));
        return new Spoil(mode, rcode, cut, flips, raw, counts, trailing);
    }

    private static final String[] SERVICES = {"SIP+D2U", "SIP+D2T", "SIPS+D2T", "SIP+D2W", "SIPS+D2W", "sip+d2u",
        "SIPS+D2U", "SIP+D2S", "E2U+sip", ""};
    private static final String[] FLAGS = {"s", "S", "a", "u", "p", "", "sa"};
    private static final byte[][] V4 = {{127, 0, 0, 1}, {127, 0, 0, 2}, {0, 0, 0, 0}, {-1, -1, -1, -1},
        {(byte) 224, 0, 0, 1}, {10, 0, 0, 1}};

    private static Rr record(Draws d) {
        boolean hostileOwner = d.percent(8);
        String ownerKey = hostileOwner ? null : d.pick(NAMES);
        Name owner = hostileOwner ? hostileName(d) : Name.of(ownerKey);
        int type = d.pickOf(DnsWire.NAPTR, DnsWire.SRV, DnsWire.A, DnsWire.AAAA, DnsWire.CNAME, DnsWire.SOA,
                DnsWire.NAPTR, DnsWire.SRV, DnsWire.A, DnsWire.TXT, DnsWire.DNAME, DnsWire.OPT, d.u16());
        int dclass = d.percent(95) ? 1 : d.u16();
        long ttl = d.u32();
        int lie = d.percent(5) ? d.between(-8, 8) : 0;
        boolean stray = d.percent(8);
        Section section = stray ? d.pick(List.of(Section.values())) : Section.ANSWER;
        String targetKey = null;
        Consumer<Writer> rdata;
        switch (type) {
            case DnsWire.NAPTR -> {
                int order = d.u16();
                int preference = d.u16();
                byte[] flags = d.percent(90) ? ascii(d.pickOf(FLAGS)) : d.bytes(d.between(0, 8));
                byte[] service = d.percent(90) ? ascii(d.pickOf(SERVICES)) : d.bytes(d.between(0, 16));
                byte[] regexp = d.percent(90) ? new byte[0] : d.bytes(d.between(0, 40));
                String key = d.percent(90) ? d.pickOf("_sip._udp.example.test", "_sip._tcp.example.test",
                        "_sips._tcp.example.test", "_sip._ws.example.test", "_sips._ws.example.test", "",
                        d.pick(NAMES)) : null;
                Name replacement = key != null ? Name.of(key) : hostileName(d);
                rdata = w -> w.u16(order).u16(preference).string(flags).string(service).string(regexp).name(replacement);
            }
            case DnsWire.SRV -> {
                int priority = d.u16();
                int weight = d.u16();
                int port = d.pickOf(5060, 5061, 0, 65535, d.u16());
                targetKey = d.percent(90) ? d.pickOf("s1.example.test", "s2.example.test", "alias.example.test",
                        "missing.example.test", "", d.pick(NAMES)) : null;
                Name target = targetKey != null ? Name.of(targetKey) : hostileName(d);
                rdata = w -> w.u16(priority).u16(weight).u16(port).name(target);
            }
            case DnsWire.A -> {
                byte[] a = d.percent(80) ? d.pickOf(V4) : d.bytes(4);
                rdata = w -> w.bytes(a);
            }
            case DnsWire.AAAA -> {
                byte[] a = new byte[16];
                switch (d.between(0, 4)) {
                    case 0 -> a[15] = 1;                                    // ::1
                    case 1 -> { }                                           // ::
                    case 2 -> {                                             // ::ffff:127.0.0.1, v4-mapped
                        a[10] = -1;
                        a[11] = -1;
                        a[12] = 127;
                        a[15] = 1;
                    }
                    case 3 -> {                                             // ff02::1
                        a[0] = -1;
                        a[1] = 2;
                        a[15] = 1;
                    }
                    default -> a = d.bytes(16);                             // maybe short: a lying length
                }
                byte[] address = a;
                rdata = w -> w.bytes(address);
            }
            case DnsWire.CNAME, DnsWire.DNAME -> {
                targetKey = d.percent(90) ? d.pick(NAMES) : null;
                Name target = targetKey != null ? Name.of(targetKey) : hostileName(d);
                rdata = w -> w.name(target);
            }
            case DnsWire.SOA -> {
                Name mname = d.percent(80) ? Name.of("ns.example.test") : hostileName(d);
                long serial = d.u32();
                long refresh = d.u32();
                long retry = d.u32();
                long expire = d.u32();
                long minimum = d.u32();
                rdata = w -> w.name(mname).name(Name.of("hostmaster.example.test"))
                        .u32(serial).u32(refresh).u32(retry).u32(expire).u32(minimum);
            }
            default -> {
                byte[] raw = d.bytes(d.between(0, 40));
                rdata = w -> w.bytes(raw);
            }
        }
        return new Rr(owner, ownerKey, type, dclass, ttl, rdata, lie, targetKey, stray, section);
    }

    /** A name no server would send: odd bytes, over-long labels, or compression pointers anywhere. */
    private static Name hostileName(Draws d) {
        if (d.percent(25)) {
            // a pointer into the header, to itself or the question, past the end
            return new Name(List.of(), d.pickOf(0, 2, 12, 13, 0x3fff, d.between(0, 600)));
        }
        List<byte[]> labels = new ArrayList<>();
        int n = d.between(0, 6);
        for (int i = 0; i < n; i++) {
            labels.add(d.pickOf(ascii("a"), ascii("_sip"), ascii("x".repeat(63)), ascii("x".repeat(64)),
                    ascii("a.b"), ascii("*"), new byte[0], d.bytes(d.between(0, 70))));
        }
        if (d.percent(20)) {
            labels.add(ascii("x".repeat(63)));
            labels.add(ascii("y".repeat(63)));
            labels.add(ascii("z".repeat(63)));
            labels.add(ascii("w".repeat(63)));   // 256 octets: over the 255 limit
        }
        return new Name(labels, d.percent(20) ? 12 : -1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** For failure messages: the flags, each type's spoiling, the records (RDATA left out). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("zone[nxdomain=" + nxdomain + " chase=" + chase + " glue=" + glue
                + " compress=" + compress + " soa=" + soaInNegative + "; NAPTR/SRV/A/AAAA/other: ");
        for (Spoil s : spoils) {
            sb.append(s.mode()).append(s.mode() == Mode.RCODE ? "(" + s.rcode() + ")" : "").append(' ');
        }
        for (Rr r : records) {
            sb.append("; ").append(r.ownerKey() == null ? "<hostile>" : r.ownerKey()).append(' ').append(r.type())
                    .append(r.targetKey() == null ? "" : " -> " + r.targetKey()).append(" ttl=").append(r.ttl())
                    .append(r.stray() ? " stray in " + r.section() : "").append(r.lie() != 0 ? " lie=" + r.lie() : "");
        }
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------- answering

    private Spoil spoilFor(int qtype) {
        return spoils[switch (qtype) {
            case DnsWire.NAPTR -> 0;
            case DnsWire.SRV -> 1;
            case DnsWire.A -> 2;
            case DnsWire.AAAA -> 3;
            default -> 4;
        }];
    }

    @Override
    public List<byte[]> udp(Query q) {
        Spoil s = spoilFor(q.type());
        return switch (s.mode()) {
            case SILENT -> List.of();
            // a spoofed answer (another ID, and NXDOMAIN) first, then the real one: the spoof must be ignored
            case TWICE -> List.of(answer(q, SPOOF, false), fitted(q, answer(q, Spoil.NONE, false)));
            // larger than the client said it takes, without TC: what a broken middlebox sends
            case OVERSIZED -> List.of(java.util.Arrays.copyOf(answer(q, s, false), Math.max(1500, q.udpLimit() + 1)));
            default -> List.of(spoilBytes(fitted(q, answer(q, s, false)), s));
        };
    }

    /**
     * As a server sends an answer too large for the client's UDP size (RFC 1035 §4.2.1, RFC 6891):
     * header and question only, TC set, so the client asks again over TCP.
     */
    private static byte[] fitted(Query q, byte[] answer) {
        if (answer.length <= q.udpLimit()) {
            return answer;
        }
        Writer w = new Writer();
        w.u16(q.id()).u16(((answer[2] & 0xff) << 8 | (answer[3] & 0xff)) | DnsWire.TC).u16(1).u16(0).u16(0).u16(0);
        return w.bytes(q.question()).toByteArray();
    }

    @Override
    public byte[] tcp(Query q) {
        Spoil s = spoilFor(q.type());
        return s.mode() == Mode.SILENT ? null : spoilBytes(answer(q, s, true), s);
    }

    /** The spoilings that work on the finished bytes. */
    private static byte[] spoilBytes(byte[] b, Spoil s) {
        return switch (s.mode()) {
            case CUT -> java.util.Arrays.copyOf(b, Math.min(b.length, s.cut()));
            case FLIP -> {
                byte[] c = b.clone();
                for (int i = 0; i + 1 < s.flips().length; i += 2) {
                    if (c.length > 0) {
                        int at = 2 + s.flips()[i] % Math.max(1, c.length - 2);   // keep the ID: the answer must be read
                        if (at < c.length) {
                            c[at] ^= (byte) (s.flips()[i + 1] | 1);
                        }
                    }
                }
                yield c;
            }
            case RAW -> {
                byte[] c = new byte[2 + s.raw().length];
                c[0] = b[0];
                c[1] = b[1];
                System.arraycopy(s.raw(), 0, c, 2, s.raw().length);
                yield c;
            }
            case TRAILING -> {
                byte[] c = java.util.Arrays.copyOf(b, b.length + s.trailing().length);
                System.arraycopy(s.trailing(), 0, c, b.length, s.trailing().length);
                yield c;
            }
            default -> b;
        };
    }

    /** The answer a server with this zone gives, with the header-level spoilings applied. */
    private byte[] answer(Query q, Spoil s, boolean overTcp) {
        List<Rr> answer = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String name = q.name();
        for (int link = 0; link < 10 && name != null && seen.add(name); link++) {
            String next = null;
            for (Rr r : records) {
                if (!r.stray() && name.equals(r.ownerKey()) && (r.type() == q.type() || r.type() == DnsWire.CNAME)) {
                    answer.add(r);
                    if (r.type() == DnsWire.CNAME && next == null) {
                        next = r.targetKey();
                    }
                }
            }
            name = chase ? next : null;
        }
        boolean known = false;
        for (Rr r : records) {
            known |= q.name().equals(r.ownerKey());
        }
        List<Rr> authority = new ArrayList<>();
        List<Rr> additional = new ArrayList<>();
        if (answer.isEmpty() && soaInNegative) {
            for (Rr r : records) {
                if (r.type() == DnsWire.SOA && !r.stray()) {
                    authority.add(r);
                }
            }
        }
        if (glue) {
            Set<String> targets = new HashSet<>();
            for (Rr r : answer) {
                if (r.type() == DnsWire.SRV && r.targetKey() != null) {
                    targets.add(r.targetKey());
                }
            }
            for (Rr r : records) {
                if ((r.type() == DnsWire.A || r.type() == DnsWire.AAAA) && !r.stray() && targets.contains(r.ownerKey())) {
                    additional.add(r);
                }
            }
        }
        for (Rr r : records) {
            if (r.stray()) {
                (r.section() == Section.ANSWER ? answer : r.section() == Section.AUTHORITY ? authority : additional).add(r);
            }
        }
        int rcode = answer.isEmpty() && !known && nxdomain ? 3 : 0;
        int id = q.id();
        int flags = DnsWire.QR | DnsWire.AA | (q.flags() & DnsWire.RD) | DnsWire.RA;
        byte[] question = q.question();
        int qd = 1;
        int[] counts = {qd, answer.size(), authority.size(), additional.size()};
        switch (s.mode()) {
            case RCODE -> rcode = s.rcode();
            case TC_SET -> flags |= overTcp ? 0 : DnsWire.TC;
            case NO_QUESTION -> {
                question = new byte[0];
                counts[0] = 0;
            }
            case OTHER_QUESTION -> {
                Writer w = new Writer().name(Name.of(q.name().equals(DOMAIN) ? "other.test" : DOMAIN));
                question = w.u16(q.type() == DnsWire.A ? DnsWire.AAAA : DnsWire.A).u16(1).toByteArray();
            }
            case WRONG_ID -> {
                id ^= 0x5a5a;
                rcode = s.rcode();
            }
            case NOT_A_RESPONSE -> flags &= ~DnsWire.QR;
            case LYING_COUNTS -> counts = s.counts();
            default -> {
            }
        }
        Writer w = new Writer().header(id, flags | (rcode & 0xf), counts[0], counts[1], counts[2], counts[3]);
        w.bytes(question);
        for (List<Rr> section : List.of(answer, authority, additional)) {
            for (Rr r : section) {
                Name owner = compress && q.name().equals(r.ownerKey()) && s.mode() != Mode.NO_QUESTION
                        && s.mode() != Mode.OTHER_QUESTION ? Name.QUESTION : r.owner();
                w.recordHead(owner, r.type(), r.dclass(), r.ttl());
                int start = w.rdataStart();
                r.rdata().accept(w);
                w.rdataEnd(start, r.lie());
            }
        }
        return w.toByteArray();
    }
}
