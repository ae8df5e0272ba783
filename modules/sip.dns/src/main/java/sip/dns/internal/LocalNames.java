package sip.dns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.hosts.HostsFileParser;

/**
 * Names answered without DNS, as the system resolver answers them, so that a URI that worked with
 * the JDK locator still works with this one:
 * <ul>
 * <li>{@code localhost} and every name under {@code .localhost} (RFC 6761 §6.3): A is
 *     {@code 127.0.0.1}, AAAA {@code ::1}, every other type has no records; no query is sent.</li>
 * <li>Names in the hosts file (dnsjava's {@link HostsFileParser}: the first address of each family
 *     a name has there; the file is read again when it changed): their A and AAAA come from the
 *     file, a family it lacks has no records (as the system resolver's "files before dns" does);
 *     their NAPTR and SRV are still asked of DNS.</li>
 * </ul>
 * These answers have TTL 0: they are not cached, the file is the cache.
 *
 * <p>Thread-safe: the parser is used under its own lock.
 */
final class LocalNames {
    private static final Logger log = LoggerFactory.getLogger(LocalNames.class);
    private static final Name LOCALHOST = Name.fromConstantString("localhost.");
    private static final InetAddress LOOPBACK_V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress LOOPBACK_V6 = InetAddress.ofLiteral("::1");

    private final HostsFileParser hosts;

    /** @param hostsFile the hosts file to read, or null for none */
    LocalNames(Path hostsFile) {
        this.hosts = hostsFile == null ? null : new HostsFileParser(hostsFile);
    }

    /** Whether {@code name} is answered here for addresses: a localhost name or one in the hosts file. */
    boolean isLocal(Name name) {
        return isLocalhost(name) || hostsEntry(name, Type.A).isPresent() || hostsEntry(name, Type.AAAA).isPresent();
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
        Optional<InetAddress> wanted = hostsEntry(name, type);
        if (wanted.isPresent()) {
            return records(name, wanted.get());
        }
        boolean otherFamily = hostsEntry(name, type == Type.A ? Type.AAAA : Type.A).isPresent();
        return otherFamily ? new Answer.Negative(false, 0) : null;
    }

    private static boolean isLocalhost(Name name) {
        return name.subdomain(LOCALHOST);   // true for localhost. itself too
    }

    private Optional<InetAddress> hostsEntry(Name name, int type) {
        if (hosts == null) {
            return Optional.empty();
        }
        try {
            synchronized (hosts) {   // the parser's re-read of a changed file is not documented thread-safe
                return hosts.getAddressForHost(name, type);
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable or missing hosts file is no entry: DNS answers instead
            log.debug("hosts file not read for {}: {}", name, e.toString());
            return Optional.empty();
        }
    }

    private static Answer records(Name name, InetAddress address) {
        Record r = address.getAddress().length == 4
                ? new ARecord(name, DClass.IN, 0, address)
                : new AAAARecord(name, DClass.IN, 0, address);
        return new Answer.Records(List.of(r), 0);
    }
}
