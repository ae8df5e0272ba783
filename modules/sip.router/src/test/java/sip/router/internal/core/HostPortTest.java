package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesIpv4Ipv6AndNames() throws Exception {
        assertEquals(new HostPort("127.0.0.1", 5060), HostPort.parse("127.0.0.1:5060"));
        assertEquals(new HostPort("::1", 5070), HostPort.parse("[::1]:5070"));
        assertEquals(new HostPort("localhost", 0), HostPort.parse("localhost:0"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 5070), HostPort.parse("[::1]:5070").resolve());
        assertTrue(HostPort.parse("localhost:0").resolve().getAddress().isLoopbackAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1", "127.0.0.1:", ":5060", "::1:5060", "[::1]", "[::1", "[::1]5060",
        "[localhost]:5060", "host:65536", "host:-1", "host:50x", "a b:5060", "host:1234567"})
    void refusesBadText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void anUnknownNameIsAnIoError() {
        assertThrows(UnknownHostException.class, () -> HostPort.parse("no-such-host.invalid:5060").resolve());
    }
}
