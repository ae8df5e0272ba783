package sip.dns.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import sip.dns.DnsServerLocator;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;

/**
 * The {@link ServerLocator} service for applications on the class path, where
 * {@link java.util.ServiceLoader} reads {@code META-INF/services} and needs a public no-argument
 * constructor (the static {@code provider()} method it calls on the module path is a module-only
 * convention). It is {@link DnsServerLocator#provider()}: the system resolvers and every default.
 * On the module path module-info's {@code provides} names {@link DnsServerLocator} itself and this
 * file is ignored.
 */
public final class ClassPathServerLocator implements ServerLocator {

    private final DnsServerLocator locator = DnsServerLocator.provider();

    public ClassPathServerLocator() {
    }

    @Override
    public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
        return locator.locate(target, protocols);
    }

    @Override
    public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
        return locator.locateSentBy(protocol, host, port);
    }

    @Override
    public String toString() {
        return locator.toString();
    }
}
