package sip.dns.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import sip.dns.DnsStats;
import sip.message.SipUri;
import sip.router.Destination;

/** The RFC 3263 §4/§5 resolution behind {@link sip.dns.DnsServerLocator}. */
public final class Rfc3263Locator {
    private final LocatorConfig config;

    public Rfc3263Locator(LocatorConfig config) {
        this.config = config;
    }

    public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
        throw new UnsupportedOperationException("issue #7: not implemented yet");
    }

    public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
        throw new UnsupportedOperationException("issue #7: not implemented yet");
    }

    public DnsStats stats() {
        return new DnsStats(0, 0, 0, 0, 0, 0, 0, 0);
    }

    public void clearCache() {
    }

    public void close() {
    }

    @Override
    public String toString() {
        return "[" + config.addressFamily() + "]";
    }
}
