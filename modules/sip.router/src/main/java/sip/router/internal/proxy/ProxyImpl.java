package sip.router.internal.proxy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import sip.message.Uri;
import sip.router.UserAgent;
import sip.router.proxy.Proxy;
import sip.router.proxy.ProxyHandler;
import sip.router.proxy.ProxyRequest;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;

/** The {@link Proxy}. */
public final class ProxyImpl implements Proxy {

    private final ProxyConfig config;
    private volatile ProxyHandler handler;

    private ProxyImpl(ProxyConfig config) {
        this.config = config;
    }

    /** Builds the proxy of {@code config} and installs it on its user agent. */
    public static Proxy install(ProxyConfig config) {
        return new ProxyImpl(config);
    }

    @Override
    public UserAgent userAgent() {
        return config.userAgent();
    }

    @Override
    public Proxy onRequest(ProxyHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    @Override
    public CompletableFuture<RelayOutcome> relay(ProxyRequest request, Uri... targets) {
        return relay(request, Arrays.stream(targets).map(Target::of).toList(), RelayOptions.defaults());
    }

    @Override
    public CompletableFuture<RelayOutcome> relay(ProxyRequest request, List<Target> targets, RelayOptions options) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ProxyStats stats() {
        return new ProxyStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
    }
}
