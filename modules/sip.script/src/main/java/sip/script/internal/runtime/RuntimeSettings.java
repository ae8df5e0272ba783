package sip.script.internal.runtime;

import java.nio.file.Path;
import java.time.Duration;
import sip.router.UserAgent;
import sip.router.registrar.LocationService;

/** What {@link sip.script.ScriptRuntime.Builder} collected; locationService may be null (default). */
public record RuntimeSettings(Path script, UserAgent userAgent, int workers, boolean workersSet,
        long statementLimit, Duration handlerDeadline, boolean watch, LocationService locationService) {
}
