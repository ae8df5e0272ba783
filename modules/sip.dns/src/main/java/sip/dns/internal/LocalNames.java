package sip.dns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Names answered without DNS, as the system resolver answers them, so that a URI that worked with
 * the JDK locator still works with this one:
 * <ul>
 * <li>{@code localhost} and every name under {@code .localhost} (RFC 6761 §6.3): A is
 *     {@code 127.0.0.1}, AAAA {@code ::1}, every other type has no records; no query is sent.</li>
 * <li>Names in the hosts file (parsed as dnsjava's {@code HostsFileParser} does: the first
 *     address of each family a name has there): their A and AAAA come from the file, a family it
 *     lacks has no records (as the system resolver's "files before dns" does); their NAPTR and SRV
 *     are still asked of DNS.</li>
 * </ul>
 * These answers have TTL 0: they are not cached, the file is the cache.
 *
 * <p>The file is parsed whole into a map, and its modification time and size are looked at again
 * at most every {@link #RECHECK_MILLIS} on the locator's clock; it is parsed again when either
 * changed. A lookup between checks is one map probe: warm {@code locate} calls ask this for every
 * A/AAAA, and dnsjava's parser built a string key (and read the clock twice) per probe — 24 probes
 * per NAPTR chain of the benchmark zone — and re-read a file over 16 KiB for every name not in it.
 *
 * <p>Thread-safe: the table is immutable and published through a volatile field; a re-check is
 * done by one thread at a time, the others use the table they have.
 */
final class LocalNames {
    private static final Logger log = LoggerFactory.getLogger(LocalNames.class);
    private static final Name LOCALHOST = Name.fromConstantString("localhost.");
    private static final InetAddress LOOPBACK_V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress LOOPBACK_V6 = InetAddress.ofLiteral("::1");
    /** How long a parsed hosts file is used before its modification time is looked at again. */
    static final long RECHECK_MILLIS = 5_000;

    /** The first address of each family a name has in the file; either may be null. */
    private record Entry(InetAddress v4, InetAddress v6) {
        InetAddress of(int type) {
            return type == Type.A ? v4 : v6;
        }
    }

    /** One parse of the file: what it said and which version of the file it was. */
    private record Table(Map<Name, Entry> names, FileTime modified, long size, long checkedAt) {
        static final Table EMPTY = new Table(Map.of(), null, -1, Long.MIN_VALUE);
    }

    private final Path hostsFile;
    private final InstantSource clock;
    private final Object recheck = new Object();
    private volatile Table table = Table.EMPTY;

    /** @param hostsFile the hosts file to read, or null for none */
    LocalNames(Path hostsFile) {
        this(hostsFile, InstantSource.system());
    }

    /**
     * @param hostsFile the hosts file to read, or null for none
     * @param clock when to look at the file again (the locator's clock)
     */
    LocalNames(Path hostsFile, InstantSource clock) {
        this.hostsFile = hostsFile;
        this.clock = clock;
    }

    /** Whether {@code name} is answered here for addresses: a localhost name or one in the hosts file. */
    boolean isLocal(Name name) {
        return isLocalhost(name) || hostsEntry(name) != null;
    }

    /** The answer to {@code question} without DNS, or null when DNS must be asked. */
    Answer answer(Question question) {
        Name name = question.name();
        int type = question.type();
        if (isLocalhost(name)) {
            return type == Type.A ? records(name, LOOPBACK_V4)
                    : type == Type.AAAA ? records(name, LOOPBACK_V6)
                    : new Answer.Negative(false, 0);
        }
        if (type != Type.A && type != Type.AAAA) {
            return null;
        }
        Entry entry = hostsEntry(name);
        if (entry == null) {
            return null;
        }
        InetAddress wanted = entry.of(type);
        return wanted != null ? records(name, wanted) : new Answer.Negative(false, 0);
    }

    private static boolean isLocalhost(Name name) {
        return name.subdomain(LOCALHOST);   // true for localhost. itself too
    }

    private Entry hostsEntry(Name name) {
        if (hostsFile == null) {
            return null;
        }
        return current().names().get(name);
    }

    /** The table, parsed again first when the re-check time has come and the file changed. */
    private Table current() {
        Table t = table;
        long now = clock.millis();
        if (t.checkedAt() != Long.MIN_VALUE && now - t.checkedAt() < RECHECK_MILLIS && now >= t.checkedAt()) {
            return t;
        }
        synchronized (recheck) {
            t = table;
            if (t.checkedAt() != Long.MIN_VALUE && now - t.checkedAt() < RECHECK_MILLIS && now >= t.checkedAt()) {
                return t;   // another thread has just checked
            }
            table = t = reread(t, now);
            return t;
        }
    }

    private Table reread(Table old, long now) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(hostsFile, BasicFileAttributes.class);
            if (attributes.lastModifiedTime().equals(old.modified()) && attributes.size() == old.size()) {
                return new Table(old.names(), old.modified(), old.size(), now);
            }
            return new Table(parse(Files.readAllLines(hostsFile)), attributes.lastModifiedTime(), attributes.size(),
                    now);
        } catch (NoSuchFileException e) {
            log.debug("no hosts file {}", hostsFile);
        } catch (IOException | RuntimeException e) {
            // an unreadable hosts file is no entry: DNS answers instead
            log.debug("hosts file {} not read: {}", hostsFile, e.toString());
        }
        return new Table(Map.of(), null, -1, now);
    }

    /**
     * The file's lines as dnsjava's {@code HostsFileParser} reads them: {@code #} starts a
     * comment, an address then one or more names, separated by white space; a line whose address
     * is not an IPv4 or IPv6 literal is skipped, as is a name that is not a DNS name; the first
     * address of each family wins.
     */
    static Map<Name, Entry> parse(List<String> lines) {
        Map<Name, InetAddress> v4 = new HashMap<>();
        Map<Name, InetAddress> v6 = new HashMap<>();
        for (String line : lines) {
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] tokens = content.split("\\s+");
            if (tokens.length < 2) {
                continue;
            }
            int family = Address.IPv4;
            byte[] bytes = Address.toByteArray(tokens[0], Address.IPv4);
            if (bytes == null) {
                family = Address.IPv6;
                bytes = Address.toByteArray(tokens[0], Address.IPv6);
            }
            if (bytes == null) {
                continue;
            }
            Map<Name, InetAddress> target = family == Address.IPv4 ? v4 : v6;
            for (int i = 1; i < tokens.length; i++) {
                try {
                    Name name = Name.fromString(tokens[i], Name.root);
                    if (!target.containsKey(name)) {
                        target.put(name, InetAddress.getByAddress(name.toString(true), bytes));
                    }
                } catch (TextParseException | UnknownHostException e) {
                    log.debug("hosts file: {} is not a host name", tokens[i]);
                }
            }
        }
        Map<Name, Entry> out = new HashMap<>();
        v4.forEach((name, address) -> out.put(name, new Entry(address, v6.get(name))));
        v6.forEach((name, address) -> out.putIfAbsent(name, new Entry(null, address)));
        return Map.copyOf(out);
    }

    private static Answer records(Name name, InetAddress address) {
        Record r = address.getAddress().length == 4
                ? new ARecord(name, DClass.IN, 0, address)
                : new AAAARecord(name, DClass.IN, 0, address);
        return new Answer.Records(List.of(r), 0);
    }
}
