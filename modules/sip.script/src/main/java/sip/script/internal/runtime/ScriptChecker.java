package sip.script.internal.runtime;

import java.nio.file.Path;
import java.time.Duration;
import org.graalvm.polyglot.Engine;
import sip.script.ScriptCheck;
import sip.script.ScriptException;

/** {@link sip.script.Scripts#check}: loads the script in a throw-away engine and context. */
public final class ScriptChecker {

    private ScriptChecker() {
    }

    public static ScriptCheck check(Path script) {
        try {
            ScriptSource src = ScriptSource.read(script);
            try (Engine engine = Sandbox.newEngine()) {
                ScriptLoader.Compiled c = ScriptLoader.compile(engine, src, 1_000_000, Duration.ofSeconds(5));
                return new ScriptCheck.Valid(c.config(), c.exports());
            }
        } catch (ScriptException e) {
            return new ScriptCheck.Invalid(e.error());
        }
    }
}
