package sip.router.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;

/** RFC 3263 §4 without DNS records; only IP literals and "localhost" are ever resolved here. */
class JdkServerLocatorTest {

    private static final Set<String> UDP_TCP_TLS = new LinkedHashSet<>(List.of("udp", "tcp", "tls"));

    private static List<Destination> locate(String uri, Set<String> protocols) throws IOException {
        return ServerLocator.jdk().locate(SipUri.parse(uri), protocols);
    }

    private static Destination only(String uri, Set<String> protocols) throws IOException {
        List<Destination> found = locate(uri, protocols);
        assertEquals(1, found.size(), found.toString());
        return found.getFirst();
    }

    @Test
    void anIpv4LiteralIsThatAddressOverUdpAtTheDefaultPort() throws IOException {
        Destination d = only("sip:bob@192.0.2.10", UDP_TCP_TLS);
        assertEquals(new Destination("udp", new InetSocketAddress("192.0.2.10", 5060), null), d);
    }

    @Test
    void anIpv6ReferenceIsThatAddressWithTheUriPort() throws IOException {
        Destination d = only("sip:bob@[::1]:5070", UDP_TCP_TLS);
        assertEquals(InetAddress.ofLiteral("::1"), d.address().getAddress());
        assertEquals(5070, d.address().getPort());
        assertNull(d.serverName());
    }

    @Test
    void theTransportParameterWinsWhenItIsOffered() throws IOException {
        assertEquals("tcp", only("sip:192.0.2.10;transport=TCP", UDP_TCP_TLS).protocol());
        assertEquals(List.of(), locate("sip:192.0.2.10;transport=sctp", UDP_TCP_TLS));
    }

    @Test
    void sipsMeansTlsAtPort5061AndNothingWithoutTls() throws IOException {
        Destination d = only("sips:bob@192.0.2.10", UDP_TCP_TLS);
        assertEquals("tls", d.protocol());
        assertEquals(5061, d.address().getPort());
        assertEquals("tls", only("sips:bob@192.0.2.10;transport=tcp", UDP_TCP_TLS).protocol());
        assertEquals(List.of(), locate("sips:bob@192.0.2.10", Set.of("udp", "tcp")));
    }

    @Test
    void withoutUdpTcpIsChosenThenWhateverIsOffered() throws IOException {
        assertEquals("tcp", only("sip:192.0.2.10", new LinkedHashSet<>(List.of("tls", "tcp"))).protocol());
        Destination mem = only("sip:192.0.2.10", Set.of("mem-stream"));
        assertEquals("mem-stream", mem.protocol());
        assertEquals(5060, mem.address().getPort());
        assertEquals(List.of(), locate("sip:192.0.2.10", Set.of()));
    }

    @Test
    void maddrIsLocatedInsteadOfTheHost() throws IOException {
        Destination d = only("sip:bob@unresolvable.invalid:5080;maddr=192.0.2.77", UDP_TCP_TLS);
        assertEquals(new InetSocketAddress("192.0.2.77", 5080), d.address());
    }

    @Test
    void aNameGivesEveryAddressInResolverOrderWithTheNameForTls() throws IOException {
        List<Destination> found = locate("sip:bob@localhost:5072;transport=tcp", UDP_TCP_TLS);
        List<InetAddress> expected = Arrays.asList(InetAddress.getAllByName("localhost"));
        assertEquals(expected, found.stream().map(d -> d.address().getAddress()).toList());
        assertFalse(found.isEmpty());
        for (Destination d : found) {
            assertEquals("localhost", d.serverName());
            assertEquals(5072, d.address().getPort());
            assertEquals("tcp", d.protocol());
        }
    }

    @Test
    void theProtocolRuleAloneFollowsRfc3263() {
        assertEquals("udp", JdkServerLocator.protocol(SipUri.parse("sip:a@192.0.2.1"), UDP_TCP_TLS));
        assertNull(JdkServerLocator.protocol(SipUri.parse("sip:a@192.0.2.1;transport=udp"), Set.of("tcp")));
        assertTrue(UDP_TCP_TLS.contains(JdkServerLocator.protocol(SipUri.parse("sips:a@192.0.2.1"), UDP_TCP_TLS)));
    }
}
