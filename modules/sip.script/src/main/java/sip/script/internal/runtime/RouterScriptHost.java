package sip.script.internal.runtime;

import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import sip.router.registrar.LocationService;

/** The real {@link ScriptHost}: the router's location service, the wall clock, slf4j logger {@code parley.script}. */
final class RouterScriptHost implements ScriptHost {

    private static final Logger LOG = LoggerFactory.getLogger("parley.script");

    private final LocationService locations;
    /** An onReload listener reports reloads: the runtime's own lines about them go to DEBUG. */
    volatile boolean reloadsReported;

    RouterScriptHost(LocationService locations) {
        this.locations = locations;
    }

    @Override
    public LocationService locationService() {
        return locations;
    }

    @Override
    public InstantSource clock() {
        return InstantSource.system();
    }

    @Override
    public Level reloadLevel(Level normal) {
        return reloadsReported ? Level.DEBUG : normal;
    }

    @Override
    public void log(Level level, String location, String message) {
        if (LOG.isEnabledForLevel(level)) {
            LOG.atLevel(level).log("{}: {}", location, message);
        }
    }
}
