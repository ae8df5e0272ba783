package sip.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;

/**
 * The module's {@code provides}: what a {@code UserAgent} finds through {@link ServiceLoader}.
 * Only IP literals are located: the provider uses the system's resolvers, which a test never asks.
 */
class ServiceLoaderTest {

    @Test
    void serviceLoaderFindsTheDnsLocator() throws IOException {
        // The tests are patched into sip.dns, whose descriptor provides the service but (rightly) does
        // not use it; sip.router, the real user, declares the use.
        ServiceLoaderTest.class.getModule().addUses(ServerLocator.class);
        List<ServerLocator> found = ServiceLoader.load(ServerLocator.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size(), found.toString());
        try (DnsServerLocator locator = assertInstanceOf(DnsServerLocator.class, found.getFirst())) {
            List<Destination> d = locator.locate(SipUri.parse("sip:alice@192.0.2.10;transport=tcp"), Set.of("udp", "tcp"));
            assertEquals("tcp:192.0.2.10:5060", d.getFirst().toString());
            assertNull(d.getFirst().serverName());
            assertEquals("udp:192.0.2.11:5070", locator.locateSentBy("UDP", "192.0.2.11", 5070).getFirst().toString());
            assertEquals(0, locator.stats().queriesSent());
        }
    }

    @Test
    void theModuleExportsOnlyItsApi() {
        Module module = DnsServerLocator.class.getModule();
        assertEquals("sip.dns", module.getName());
        assertEquals(Set.of("sip.dns"), module.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));
    }
}
