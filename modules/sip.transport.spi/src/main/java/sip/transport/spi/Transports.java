package sip.transport.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds transport providers with {@link ServiceLoader} and picks one by protocol name.
 *
 * <pre>{@code
 * Transport udp = Transports.open("udp", TransportConfig.defaults(), handler);
 * udp.listen(new InetSocketAddress("127.0.0.1", 5060));
 * }</pre>
 *
 * <p>Protocol names are case-insensitive. Two providers on the module path for the same protocol
 * are an error (the message names both), so which one serves is never left to class-path order.
 */
public final class Transports {

    private static final System.Logger LOG = System.getLogger(Transports.class.getName());
    /** A lookup that fails this often in a row is broken as a whole (it would fail for ever). */
    private static final int MAX_LOOKUP_ERRORS_IN_A_ROW = 16;

    /** Where Parley's own providers live, to tell the user which module to add. */
    private static final Map<String, String> KNOWN_MODULES = Map.of(
            "udp", "sip.transport.udp",
            "tcp", "sip.transport.tcp",
            "tls", "sip.transport.tls",
            "ws", "sip.transport.ws",
            "wss", "sip.transport.ws");

    private Transports() {
    }

    /** The providers visible from the boot layer (the module path), or the class path. */
    public static List<TransportProvider> providers() {
        return BootProviders.LIST;
    }

    /** The providers in {@code layer} and its parents (for plug-in layers). */
    public static List<TransportProvider> providers(ModuleLayer layer) {
        return load(ServiceLoader.load(layer, TransportProvider.class));
    }

    /** The provider of {@code protocol}, if exactly one is present. */
    public static Optional<TransportProvider> find(String protocol) {
        return select(providers(), protocol);
    }

    /**
     * The provider of {@code protocol}.
     *
     * @throws NoTransportProviderException if none is on the module path (the message names the
     *     module to add), or if two are
     */
    public static TransportProvider provider(String protocol) {
        return find(protocol).orElseThrow(() -> missing(protocol));
    }

    /** The {@link Protocol} of {@code protocol} as its provider describes it. */
    public static Protocol protocol(String protocol) {
        return describe(provider(protocol), protocol);
    }

    /** Opens {@code protocol} with its provider: {@code provider(protocol).open(...)}. */
    public static Transport open(String protocol, TransportConfig config, InboundHandler handler)
            throws IOException {
        TransportProvider provider = provider(protocol);
        return provider.open(describe(provider, protocol), config, handler);
    }

    /** Selects among {@code providers}; public for plug-in layers. */
    public static Optional<TransportProvider> select(List<TransportProvider> providers, String protocol) {
        String name = normalize(protocol);
        TransportProvider found = null;
        for (TransportProvider p : providers) {
            for (Protocol served : p.protocols()) {
                if (served.name().equals(name)) {
                    if (found != null && found != p) {
                        throw new NoTransportProviderException(name, "two transport providers for '" + name
                                + "': " + describe(found) + " and " + describe(p)
                                + "; keep one on the module path");
                    }
                    found = p;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static Protocol describe(TransportProvider provider, String protocol) {
        String name = normalize(protocol);
        for (Protocol served : provider.protocols()) {
            if (served.name().equals(name)) {
                return served;
            }
        }
        throw new IllegalStateException(describe(provider) + " does not serve " + name);
    }

    private static NoTransportProviderException missing(String protocol) {
        String name = normalize(protocol);
        String module = KNOWN_MODULES.get(name);
        String hint = module != null ? "add " + module
                : "add a module that provides sip.transport.spi.TransportProvider for it";
        return new NoTransportProviderException(name,
                "no transport provider for '" + name + "' on the module path; " + hint);
    }

    private static String normalize(String protocol) {
        return Objects.requireNonNull(protocol, "protocol").toLowerCase(Locale.ROOT);
    }

    private static String describe(TransportProvider p) {
        Module m = p.getClass().getModule();
        return (m.isNamed() ? m.getName() : "class path") + " (" + p.getClass().getName() + ")";
    }

    /**
     * Instantiates every provider, skipping (and logging) one that fails to load: a broken
     * third-party jar must not hide the transports that work.
     */
    private static List<TransportProvider> load(ServiceLoader<TransportProvider> loader) {
        return load(loader.stream().iterator());
    }

    static List<TransportProvider> load(Iterator<ServiceLoader.Provider<TransportProvider>> it) {
        List<TransportProvider> list = new ArrayList<>();
        int errorsInARow = 0;
        while (true) {
            ServiceLoader.Provider<TransportProvider> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
                errorsInARow = 0;
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.ERROR, "skipping a transport provider that cannot be loaded", e);
                if (++errorsInARow >= MAX_LOOKUP_ERRORS_IN_A_ROW) {
                    break; // the lookup itself keeps failing, not one provider: stop with what loaded
                }
                continue;
            }
            try {
                list.add(candidate.get());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.ERROR, "skipping transport provider " + candidate.type().getName()
                        + ": it failed to start", e);
            }
        }
        return List.copyOf(list);
    }

    /** Loaded once: the boot layer does not change. */
    private static final class BootProviders {
        static final List<TransportProvider> LIST = load(ServiceLoader.load(TransportProvider.class));
    }
}
