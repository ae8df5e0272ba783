package sip.script.internal.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import sip.script.ScriptConfig;
import sip.script.ScriptError;
import sip.script.ScriptException;

/**
 * Compiles and validates a script in a throw-away sandboxed context: evaluates the module (its
 * top level bounded by the statement limit and deadline), checks that {@code onRequest} is an
 * exported function and {@code onResponse}/{@code onFailure} are functions when exported, and
 * reads {@code config}.
 */
final class ScriptLoader {

    /**
     * @param config the script's config
     * @param exports its exported names
     * @param onRequestAt {@code file:line} of {@code onRequest}, for the "did not answer" log line
     */
    record Compiled(ScriptConfig config, Set<String> exports, String onRequestAt) {
    }

    static final Duration MIN_LOAD_DEADLINE = Duration.ofSeconds(10);

    private ScriptLoader() {
    }

    static Compiled compile(Engine engine, ScriptSource src, long statementLimit, Duration deadline) throws ScriptException {
        Context context;
        try {
            context = Sandbox.newContext(engine, src.directory(), statementLimit);
        } catch (IOException e) {
            throw new ScriptException(new ScriptError(src.name(), 0, 0, "cannot open its directory: " + e.getMessage(),
                    ScriptError.Kind.IO));
        }
        try {
            Value ns = evaluate(context, src, deadline);
            Set<String> exports = new LinkedHashSet<>(ns.getMemberKeys());
            Value onRequest = ns.getMember("onRequest");
            if (onRequest == null || !onRequest.canExecute()) {
                throw new ScriptException(new ScriptError(src.name(), 1, 1,
                        "the script must export a function onRequest(req, sip)", ScriptError.Kind.MISSING_EXPORT));
            }
            for (String hook : new String[] {"onResponse", "onFailure"}) {
                Value h = ns.getMember(hook);
                if (h != null && !h.isNull() && !h.canExecute()) {
                    throw new ScriptException(new ScriptError(src.name(), 1, 1,
                            "the export " + hook + " must be a function", ScriptError.Kind.MISSING_EXPORT));
                }
            }
            ScriptConfig config = new ConfigReader(src.name(), src.source().getCharacters().toString())
                    .read(ns.getMember("config"));
            return new Compiled(config, exports, location(onRequest.getSourceLocation(), src));
        } catch (PolyglotException e) {
            throw new ScriptException(ScriptErrors.of(e, src.directory(), src.name()));
        } finally {
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // already cancelled by the watchdog
            }
        }
    }

    /**
     * Evaluates the module in {@code context} with the statement limit of one entry; returns its
     * namespace. The deadline is at least {@link #MIN_LOAD_DEADLINE}: a fresh context's first
     * evaluation (realm set-up, parsing, in the interpreter on a busy machine) may take longer
     * than a handler is allowed, and a runaway top level is still stopped.
     */
    static Value evaluate(Context context, ScriptSource src, Duration deadline) {
        context.resetLimits();
        Duration d = deadline.compareTo(MIN_LOAD_DEADLINE) < 0 ? MIN_LOAD_DEADLINE : deadline;
        ScheduledFuture<?> dog = Watchdog.after(d, () -> context.close(true));
        try {
            return context.eval(src.source());
        } finally {
            dog.cancel(false);
        }
    }

    static String location(SourceSection at, ScriptSource src) {
        if (at == null) {
            return src.name();
        }
        return ScriptErrors.fileName(at, src.directory(), src.name()) + ":" + at.getStartLine();
    }
}
