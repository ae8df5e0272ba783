package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class FlowTest {

    private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 5060);

    @Test
    void ipv4() {
        assertEquals("udp:127.0.0.1:5060->10.0.0.2:5070",
                new Flow("udp", V4, new InetSocketAddress("10.0.0.2", 5070)).toString());
    }

    @Test
    void ipv6AddressesGetBrackets() {
        Flow flow = new Flow("tcp", new InetSocketAddress("::1", 5060), new InetSocketAddress("2001:db8::7", 49152));
        assertEquals("tcp:[0:0:0:0:0:0:0:1]:5060->[2001:db8:0:0:0:0:0:7]:49152", flow.toString());
    }

    @Test
    void unresolvedAddressesShowTheirHostName() {
        Flow flow = new Flow("tls", V4, InetSocketAddress.createUnresolved("sip.example.com", 5061));
        assertEquals("tls:127.0.0.1:5060->sip.example.com:5061", flow.toString());
    }

    @Test
    void aFlowIsAValue() {
        InetSocketAddress remote = new InetSocketAddress("10.0.0.2", 5070);
        assertEquals(new Flow("udp", V4, remote), new Flow("udp", new InetSocketAddress("127.0.0.1", 5060), remote));
        assertEquals(new Flow("udp", V4, remote).hashCode(), new Flow("udp", V4, remote).hashCode());
        assertNotEquals(new Flow("udp", V4, remote), new Flow("tcp", V4, remote));
        assertNotEquals(new Flow("udp", V4, remote), new Flow("udp", remote, V4), "direction matters");
    }

    @Test
    void everyPartIsRequired() {
        assertThrows(NullPointerException.class, () -> new Flow(null, V4, V4));
        assertThrows(NullPointerException.class, () -> new Flow("udp", null, V4));
        assertThrows(NullPointerException.class, () -> new Flow("udp", V4, null));
    }
}
