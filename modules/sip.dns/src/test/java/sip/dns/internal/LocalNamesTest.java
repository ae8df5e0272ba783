package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;
import sip.dns.AddressFamily;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;

/**
 * REVIEW2 F4: names the system resolver answers without DNS — localhost (RFC 6761 §6.3) and the
 * hosts file — are answered so here too, over an in-memory zone that counts the questions asked.
 */
class LocalNamesTest {
    private static final Set<String> UDP = Set.of("udp");
    private final FakeZone zone = new FakeZone().a("myhost.example.test", 60, "192.0.2.99");

    @TempDir
    Path dir;

    private Rfc3263Locator locator(AddressFamily family, List<String> search, Path hostsFile) {
        return new Rfc3263Locator(new LocatorConfig(List.of(FakeZone.SERVER), search, Duration.ofMillis(100),
                Duration.ofSeconds(2), 1000, Duration.ofHours(1), Duration.ofMinutes(5), family, InstantSource.system(),
                new SplittableRandom(1), hostsFile), () -> zone);
    }

    private Path hosts(String content) throws IOException {
        Path file = dir.resolve("hosts");
        Files.writeString(file, content);
        return file;
    }

    private static List<String> show(List<Destination> destinations) {
        return destinations.stream().map(Destination::toString).toList();
    }

    @Test
    void localhostNamesAreLoopbackWithoutAQuery() throws IOException {
        Rfc3263Locator locator = locator(AddressFamily.IPV4_FIRST, List.of("example.test"), null);
        assertEquals(List.of("udp:127.0.0.1:5070 (localhost)", "udp:0:0:0:0:0:0:0:1:5070 (localhost)"),
                show(locator.locate(SipUri.parse("sip:bob@localhost:5070"), UDP)));
        // no port: NAPTR and SRV of a localhost name have no records (RFC 6761 §6.3), then A/AAAA
        assertEquals(List.of("udp:127.0.0.1:5060 (localhost)", "udp:0:0:0:0:0:0:0:1:5060 (localhost)"),
                show(locator.locate(SipUri.parse("sip:bob@localhost"), UDP)));
        assertEquals(List.of("udp:127.0.0.1:5080 (Alice.LocalHost)"),
                show(locator(AddressFamily.IPV4_ONLY, List.of(), null)
                        .locate(SipUri.parse("sip:bob@Alice.LocalHost:5080"), UDP)));
        assertTrue(zone.asked.isEmpty(), zone.asked::toString);
    }

    @Test
    void hostsFileNamesGetTheirAddressesFromTheFileBeforeDns() throws IOException {
        Path file = hosts("# comment\n192.0.2.50 myhost myhost.example.test\n2001:db8::51 v6only\n");
        Rfc3263Locator locator = locator(AddressFamily.IPV4_FIRST, List.of("example.test"), file);
        // dotless: the file knows it, so the search list is not applied and DNS is not asked
        assertEquals(List.of("udp:192.0.2.50:5070 (myhost)"),
                show(locator.locate(SipUri.parse("sip:myhost:5070"), UDP)));
        // a family the file lacks for a name it has: no records, as "files before dns" gives
        assertEquals(List.of("udp:2001:db8:0:0:0:0:0:51:5070 (v6only)"),
                show(locator.locate(SipUri.parse("sip:v6only:5070"), UDP)));
        assertTrue(zone.asked.isEmpty(), zone.asked::toString);
        // NAPTR and SRV still come from DNS; the address from the file, not the zone's 192.0.2.99
        assertEquals(List.of("udp:192.0.2.50:5060 (myhost.example.test)"),
                show(locator.locate(SipUri.parse("sip:myhost.example.test"), UDP)));
        assertEquals(1, zone.count("myhost.example.test", Type.NAPTR));
        assertEquals(0, zone.count("myhost.example.test", Type.A));
        assertEquals(0, zone.count("myhost.example.test", Type.AAAA));
    }

    @Test
    void withoutAHostsFileOrWithAMissingOneDnsAnswers() throws IOException {
        for (Path file : new Path[] {null, dir.resolve("no-such-hosts")}) {
            assertEquals(List.of("udp:192.0.2.99:5070 (myhost.example.test)"),
                    show(locator(AddressFamily.IPV4_ONLY, List.of(), file)
                            .locate(SipUri.parse("sip:myhost.example.test:5070"), UDP)));
        }
        assertEquals(2, zone.count("myhost.example.test", Type.A));
    }

    @Test
    void theBuilderRejectsADirectoryAndTakesNullForNone() {
        assertThrows(IllegalArgumentException.class, () -> DnsServerLocator.newBuilder().hostsFile(dir));
        DnsServerLocator.newBuilder().hostsFile(null).build().close();
    }
}
