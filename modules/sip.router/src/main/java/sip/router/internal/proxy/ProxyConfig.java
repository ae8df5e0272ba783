package sip.router.internal.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import sip.router.UserAgent;

/** The settings of a {@link ProxyImpl}, as {@link sip.router.proxy.Proxy.Builder} validated them. */
public record ProxyConfig(UserAgent userAgent, boolean recordRoute, Duration timerC, int maxContexts,
                          boolean loopDetection, List<String> supported, Set<String> relayHosts) {

    public ProxyConfig {
        supported = List.copyOf(supported);
        relayHosts = Set.copyOf(relayHosts);
    }

    /** Whether the default routing may relay to {@code uri} ({@link sip.router.proxy.Proxy.Builder#relayHosts}). */
    boolean mayRelayTo(sip.message.Uri uri) {
        return relayHosts.contains("*")
                || uri instanceof sip.message.SipUri u && relayHosts.contains(u.host().toLowerCase(java.util.Locale.ROOT));
    }
}
