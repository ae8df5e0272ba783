package sip.router.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.internal.transport.HostAddresses;

/**
 * The DNS fuzz findings D2 and D4 in the JDK locator: a {@code sips} URI never goes over a
 * transport without TLS (RFC 3261 §26.2.2, RFC 5630 §3.1.3), and only the four-part dotted form is
 * an IPv4 literal. No name here reaches a resolver: every host is a literal or refused before one.
 */
class JdkServerLocatorSipsAndLiteralsTest {
    private static final Set<String> ALL = Set.of("udp", "tcp", "tls", "ws", "wss");

    private static List<Destination> locate(String uri) throws IOException {
        return ServerLocator.jdk().locate(SipUri.parse(uri), ALL);
    }

    @Test
    void sipsWithTransportUdpHasNoDestination() throws IOException {
        assertEquals(List.of(), locate("sips:[::1];transport=udp"));
        assertEquals(List.of(), locate("sips:192.0.2.1;transport=udp"));
        assertEquals(List.of(), locate("sips:192.0.2.1:5061;transport=sctp"));
    }

    @Test
    void sipsWithTcpOrWsStaysSecure() throws IOException {
        assertEquals(List.of(new Destination("tls", new InetSocketAddress("192.0.2.1", 5061), null)),
                locate("sips:192.0.2.1;transport=tcp"));
        assertEquals("wss", locate("sips:192.0.2.1:443;transport=ws").getFirst().protocol());
        assertEquals("udp", locate("sip:192.0.2.1;transport=udp").getFirst().protocol());
    }

    @Test
    void onlyTheFourPartDottedFormIsAnIpv4Literal() {
        assertEquals(InetAddress.ofLiteral("1.2.3.4"), HostAddresses.literal("1.2.3.4"));
        assertEquals(InetAddress.ofLiteral("::1"), HostAddresses.literal("[::1]"));
        assertEquals(InetAddress.ofLiteral("::1"), HostAddresses.literal("::1"));
        for (String host : List.of("1.2.3", "1", "16909060", "1.2", "1.2.3.4.5", "1..2.3", "1.2.3.", "1234.1.1.1",
                "[1.2.3.4]", "example.test", "")) {
            assertNull(HostAddresses.literal(host), host);
        }
        assertTrue(HostAddresses.isDottedQuad("255.255.255.255"));
        assertFalse(HostAddresses.isDottedQuad("1.2.3.4."));
    }

    @Test
    void shortDigitFormsAreRefusedNotTakenAsAddresses() {
        IOException e = assertThrows(IOException.class, () -> locate("sip:example.test;maddr=16909060"));
        assertTrue(e.getMessage().contains("16909060"), e.getMessage());
        e = assertThrows(IOException.class, () -> locate("sip:example.test:5060;maddr=1.2.3"));
        assertTrue(e.getMessage().contains("1.2.3"), e.getMessage());
        assertThrows(IOException.class, () -> JdkServerLocator.sentBy("udp", "1.2.3", 5060));
        assertThrows(IOException.class, () -> JdkServerLocator.sentBy("tcp", "1", -1));
    }
}
