package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;

/**
 * This module's tests run on the class path, as many applications do: there sip.dns is found
 * through {@code META-INF/services}, not module-info's {@code provides}. Only an IP literal is
 * located, so the machine's resolver is never asked.
 */
class ClassPathServiceLoaderTest {

    @Test
    void theDnsLocatorIsTheServiceOnTheClassPath() throws Exception {
        assertTrue(ServerLocator.class.getModule().getName() == null,
                "this test is about the class path; sip.router is in module " + ServerLocator.class.getModule());
        List<ServerLocator> found = ServiceLoader.load(ServerLocator.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size(), "one ServerLocator service: " + found);
        ServerLocator locator = found.getFirst();
        assertTrue(locator.toString().startsWith("DnsServerLocator"), "the RFC 3263 locator: " + locator);
        List<Destination> d = locator.locate(SipUri.parse("sip:alice@127.0.0.1:5070;transport=tcp"), Set.of("udp", "tcp"));
        assertEquals("[tcp:127.0.0.1:5070]", d.toString());
    }
}
