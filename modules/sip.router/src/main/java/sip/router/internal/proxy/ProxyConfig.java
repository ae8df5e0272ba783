package sip.router.internal.proxy;

import java.time.Duration;
import java.util.List;
import sip.router.UserAgent;

/** The settings of a {@link ProxyImpl}, as {@link sip.router.proxy.Proxy.Builder} validated them. */
public record ProxyConfig(UserAgent userAgent, boolean recordRoute, Duration timerC, int maxContexts,
                          boolean loopDetection, List<String> supported) {

    public ProxyConfig {
        supported = List.copyOf(supported);
    }
}
