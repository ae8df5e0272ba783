package sip.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module's shape: no open API, internals only for WSS, the provider registered by {@code provides}. */
class ModuleTest {

    @Test
    void exportsItsInternalsToTheWebSocketModuleOnly() {
        Module m = TlsTransportProvider.class.getModule();
        assertTrue(m.isNamed(), "tests run on the module path");
        ModuleDescriptor d = m.getDescriptor();
        assertEquals("sip.transport.tls", d.name());
        assertEquals(1, d.exports().size(), d.exports().toString());
        ModuleDescriptor.Exports internal = d.exports().iterator().next();
        assertEquals("sip.transport.tls.internal", internal.source());
        assertEquals(Set.of("sip.transport.ws"), internal.targets());
        assertFalse(m.isExported("sip.transport.tls.internal"));
        assertEquals(Set.of("java.base", "sip.transport.spi", "sip.transport.tcp"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    @Test
    void providesTheTransportProvider() {
        ModuleDescriptor d = TlsTransportProvider.class.getModule().getDescriptor();
        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("sip.transport.spi.TransportProvider", p.service());
        assertEquals(List.of(TlsTransportProvider.class.getName()), p.providers());
    }
}
