package sip.transport.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;
import sip.transport.spi.Transports;

/** The fixture plugs in as a third party's transport would: through ServiceLoader only. */
class DiscoveryTest {

    @Test
    void providerIsFoundThroughTheSpiByEitherName() {
        TransportProvider mem = Transports.provider("mem");
        assertSame(mem.getClass(), Transports.provider("MEM-STREAM").getClass());
        Module module = mem.getClass().getModule();
        assertEquals("sip.transport.loopback", module.getName(), "on the module path");
        assertFalse(module.isExported(mem.getClass().getPackageName()), "the provider class is hidden");
        assertEquals(Set.of(LoopbackNetwork.MEM, LoopbackNetwork.MEM_STREAM), mem.protocols());
        assertEquals(new Protocol("mem", false, false, false, 5060), Transports.protocol("mem"));
        assertEquals(new Protocol("mem-stream", true, true, false, 5060), Transports.protocol("mem-stream"));
        assertEquals("MEM-STREAM", Transports.protocol("mem-stream").viaToken());
    }

    @Test
    void moduleProvidesTheSpiAndExportsOnlyItsKnobs() {
        ModuleDescriptor d = LoopbackNetwork.class.getModule().getDescriptor();
        assertEquals(Set.of("sip.transport.loopback"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.provides().stream().anyMatch(p -> p.service().equals(TransportProvider.class.getName())));
    }

    @Test
    void openingWithoutANetworkSaysHowToPassOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transports.open("mem", TransportConfig.defaults(), new Inbox()));
        assertTrue(e.getMessage().contains("needs a LoopbackNetwork")
                && e.getMessage().contains("extension(LoopbackNetwork.class, network)"), e.getMessage());
    }

    @Test
    void openingAnotherProtocolIsRefused() {
        try (LoopbackNetwork network = LoopbackNetwork.newBuilder().build()) {
            TransportConfig config = network.transportConfig().build();
            assertThrows(IllegalArgumentException.class,
                    () -> Transports.provider("mem").open(Protocol.UDP, config, new Inbox()));
        }
    }
}
