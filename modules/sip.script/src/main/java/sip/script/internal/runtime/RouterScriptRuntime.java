package sip.script.internal.runtime;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import sip.router.Scheduler;
import sip.router.proxy.Proxy;
import sip.router.registrar.LocationService;
import sip.router.registrar.Registrar;
import sip.script.ReloadResult;
import sip.script.ScriptCheck;
import sip.script.ScriptConfig;
import sip.script.ScriptError;
import sip.script.ScriptException;
import sip.script.ScriptRuntime;
import sip.script.ScriptStats;
import sip.script.ScriptVersion;
import sip.script.Scripts;

/**
 * The {@link ScriptRuntime}: a {@link ScriptExecutor} behind a real {@link Proxy}, each request
 * the proxy hands over wrapped in a {@link RouterRequestHost}.
 */
public final class RouterScriptRuntime implements ScriptRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(RouterScriptRuntime.class);
    /** Requests waiting per worker before {@code 503}. */
    static final int QUEUE_CAPACITY = 1_000;

    private final RuntimeSettings settings;
    private final ScriptExecutor executor;
    private final LocationService locations;
    private final boolean ownsLocations;
    private final Proxy proxy;
    private volatile ScriptWatcher watcher;
    private volatile boolean closed;

    private RouterScriptRuntime(RuntimeSettings settings, ScriptExecutor executor, LocationService locations,
            boolean ownsLocations, Proxy proxy) {
        this.settings = settings;
        this.executor = executor;
        this.locations = locations;
        this.ownsLocations = ownsLocations;
        this.proxy = proxy;
    }

    public static ScriptRuntime start(RuntimeSettings s) throws ScriptException {
        int workers = s.workers();
        if (!s.workersSet()) {
            // config.workers is read before the workers start: one extra compile at start-up.
            switch (Scripts.check(s.script())) {
                case ScriptCheck.Valid v -> workers = v.config().workers().orElse(workers);
                case ScriptCheck.Invalid i -> throw new ScriptException(i.error());
            }
        }
        boolean owns = s.locationService() == null;
        LocationService locations = owns ? LocationService.inMemory(Scheduler.system()) : s.locationService();
        ScriptExecutor executor;
        try {
            executor = ScriptExecutor.open(s.script(),
                    new ExecutorSettings(workers, s.statementLimit(), s.handlerDeadline(), QUEUE_CAPACITY,
                            s.maxQueueWait() != null ? s.maxQueueWait()
                                    : ExecutorSettings.defaultQueueWait(s.handlerDeadline()), System::nanoTime),
                    new RouterScriptHost(locations));
        } catch (ScriptException | RuntimeException e) {
            if (owns) {
                locations.close();
            }
            throw e;
        }
        Proxy proxy;
        try {
            proxy = Proxy.newBuilder(s.userAgent()).build();
        } catch (RuntimeException e) {
            executor.close();
            if (owns) {
                locations.close();
            }
            throw e;
        }
        RouterScriptRuntime rt = new RouterScriptRuntime(s, executor, locations, owns, proxy);
        if (s.onReload() != null && executor.host() instanceof RouterScriptHost host) {
            host.reloadsReported = true;
        }
        proxy.onRequest(request -> executor.handle(new RouterRequestHost(request, proxy)));
        // A browser phone's registration dies with its WebSocket connection: removed then, not
        // when it expires (Registrar.flowClosed; bindings reachable without the flow stay).
        s.userAgent().server().onFlowClosed(rt::flowClosed);
        if (s.watch()) {
            try {
                rt.watcher = new ScriptWatcher(s.script().toAbsolutePath().getParent(), rt::reloadQuietly);
            } catch (IOException e) {
                rt.close();
                throw new ScriptException(new ScriptError(s.script().toString(), 0, 0,
                        "cannot watch its directory: " + e.getMessage(), ScriptError.Kind.IO));
            }
        }
        return rt;
    }

    private void flowClosed(sip.transport.spi.Flow flow) {
        if (closed) {
            return;
        }
        var removed = registrar().flowClosed(flow);
        if (!removed.isEmpty()) {
            LOG.debug("connection {} closed: bindings removed {}", flow, removed.keySet());
        }
    }

    private void reloadQuietly() {
        if (!closed) {
            try {
                reload();
            } catch (IllegalStateException e) {
                // closed meanwhile
            }
        }
    }

    @Override
    public ScriptVersion version() {
        return executor.version();
    }

    @Override
    public ReloadResult reload() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        ReloadResult r = executor.reload();
        if (r instanceof ReloadResult.Loaded l) {
            // A listener reports it (parley run prints it): logged again only at DEBUG.
            LOG.atLevel(settings.onReload() != null ? Level.DEBUG : Level.INFO).log("loaded {} version {} (sha256 {})",
                    l.version().file().getFileName(), l.version().number(), l.version().sha256().substring(0, 12));
        }
        if (!(r instanceof ReloadResult.Unchanged) && settings.onReload() != null) {
            try {
                settings.onReload().accept(r);
            } catch (RuntimeException e) {
                LOG.warn("onReload listener failed", e);
            }
        }
        return r;
    }

    @Override
    public ScriptStats stats() {
        return executor.stats();
    }

    @Override
    public ScriptConfig config() {
        return executor.config();
    }

    @Override
    public Proxy proxy() {
        return proxy;
    }

    @Override
    public Registrar registrar() {
        return executor.binding().registrar();
    }

    @Override
    public LocationService locationService() {
        return locations;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScriptWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        proxy.close();
        executor.close();
        if (ownsLocations) {
            locations.close();
        }
    }
}
