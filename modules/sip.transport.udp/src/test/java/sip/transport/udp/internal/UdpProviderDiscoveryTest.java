package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;
import sip.transport.spi.Transports;

/** The provider is found through the SPI from the module path, like a third party's. */
class UdpProviderDiscoveryTest extends UdpTestBase {

    private static final InboundHandler IGNORE = (connection, message) -> { };

    @Test
    void udpIsServedByThisModuleOnTheModulePath() {
        TransportProvider provider = Transports.provider("UDP");
        assertInstanceOf(UdpTransportProvider.class, provider);
        Module module = provider.getClass().getModule();
        assertTrue(module.isNamed(), "the provider must be loaded as a named module");
        assertEquals("sip.transport.udp", module.getName());
        assertEquals(Set.of(Protocol.UDP), provider.protocols());
        assertEquals(Protocol.UDP, Transports.protocol("udp"));
        // Nothing but the provider is exported.
        assertTrue(module.getDescriptor().exports().isEmpty(), "exports: " + module.getDescriptor().exports());
    }

    @Test
    void openBindsNothingUntilAsked() throws Exception {
        Transport udp = open(IGNORE);
        assertEquals(Protocol.UDP, udp.protocol());
        assertEquals(0, udp.stats().sockets());
        assertTrue(udp.listeners().isEmpty());
    }

    @Test
    void refusesAProtocolItDoesNotServe() {
        TransportProvider provider = Transports.provider("udp");
        assertThrows(IllegalArgumentException.class,
                () -> provider.open(Protocol.TCP, TransportConfig.defaults(), IGNORE));
    }
}
