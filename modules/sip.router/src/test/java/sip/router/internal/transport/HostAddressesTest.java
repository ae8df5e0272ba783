package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Addresses as Via and URIs write them: the RFC 5952 short form, as the From identity does. */
class HostAddressesTest {

    @Test
    void ipv6IsWrittenShortBracketedForSentByAndBareForReceivedWithoutAScope() {
        assertEquals("[::1]", HostAddresses.viaHost(InetAddress.ofLiteral("::1")));
        assertEquals("[2001:db8::1:0:0:1]", HostAddresses.viaHost(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1")));
        assertEquals("[fe80::1]", HostAddresses.viaHost(InetAddress.ofLiteral("fe80::1%1")));
        assertEquals("::1", HostAddresses.receivedText(InetAddress.ofLiteral("0:0:0:0:0:0:0:1")));
        assertEquals("2001:db8::", HostAddresses.receivedText(InetAddress.ofLiteral("2001:db8::")));
        assertEquals("192.0.2.1", HostAddresses.viaHost(InetAddress.ofLiteral("192.0.2.1")));
        assertEquals("192.0.2.1", HostAddresses.receivedText(InetAddress.ofLiteral("192.0.2.1")));
    }
}
