package sip.script.internal.testing;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import sip.router.registrar.LocationService;
import sip.script.internal.runtime.ScriptHost;
import sip.script.testing.LogLine;

/**
 * The ScriptTester's {@link ScriptHost}: an in-memory location service and every TTL and nonce on
 * a {@link VirtualClock}, and a log that keeps each line (also passed on to slf4j logger
 * {@code parley.script}, as the real runtime logs them, so a failing test's output shows them).
 * Thread-safe.
 */
public final class OfflineScriptHost implements ScriptHost {
    private static final Logger LOG = LoggerFactory.getLogger("parley.script");

    private final VirtualClock clock;
    private final LocationService locations;
    private final List<LogLine> logs = new ArrayList<>();

    public OfflineScriptHost(VirtualClock clock) {
        this.clock = clock;
        this.locations = LocationService.inMemory(clock);
    }

    @Override
    public LocationService locationService() {
        return locations;
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public void log(Level level, String location, String message) {
        synchronized (logs) {
            logs.add(new LogLine(level.name(), location, message));
        }
        LOG.atLevel(level).log("{}: {}", location, message);
    }

    /** How many lines were logged so far: a mark for {@link #logsSince}. */
    public int logCount() {
        synchronized (logs) {
            return logs.size();
        }
    }

    /** The lines logged since {@code mark}, in order. */
    public List<LogLine> logsSince(int mark) {
        synchronized (logs) {
            return List.copyOf(logs.subList(mark, logs.size()));
        }
    }

    /** Closes the location service (its sweep timer). */
    public void close() {
        locations.close();
    }
}
