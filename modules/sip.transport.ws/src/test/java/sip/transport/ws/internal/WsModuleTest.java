package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/** The module's shape: its API package only, the provider registered by {@code provides} for ws and wss. */
class WsModuleTest {

    @Test
    void exportsOnlyItsApi() {
        Module m = WsTransportProvider.class.getModule();
        assertTrue(m.isNamed(), "tests run on the module path");
        ModuleDescriptor d = m.getDescriptor();
        assertEquals("sip.transport.ws", d.name());
        assertEquals(Set.of("sip.transport.ws"), d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()));
        assertTrue(d.exports().stream().allMatch(e -> e.targets().isEmpty()));
        assertEquals(Set.of("java.base", "sip.transport.spi", "sip.transport.tcp", "sip.transport.tls"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    @Test
    void providesWsAndWss() throws IOException {
        ModuleDescriptor.Provides p = WsTransportProvider.class.getModule().getDescriptor().provides().iterator().next();
        assertEquals("sip.transport.spi.TransportProvider", p.service());
        assertEquals(List.of(WsTransportProvider.class.getName()), p.providers());
        assertEquals(Set.of(Protocol.WS, Protocol.WSS), new WsTransportProvider().protocols());
        try (var t = Transports.open("ws", TransportConfig.defaults(), Events.recording())) {
            assertEquals(Protocol.WS, t.protocol());
        }
    }
}
