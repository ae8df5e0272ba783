package sip.script.internal.runtime;

import java.nio.file.Path;
import java.util.function.Consumer;
import sip.router.UserAgent;
import sip.router.registrar.LocationService;
import sip.script.ReloadResult;

/**
 * What {@link sip.script.ScriptRuntime.Builder} collected; locationService, onReload and
 * maxQueueWait may be null (the defaults).
 */
public record RuntimeSettings(Path script, UserAgent userAgent, int workers, boolean workersSet,
        long statementLimit, java.time.Duration handlerDeadline, boolean watch, LocationService locationService,
        Consumer<ReloadResult> onReload, java.time.Duration maxQueueWait) {
}
