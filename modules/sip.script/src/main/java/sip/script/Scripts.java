package sip.script;

import java.nio.file.Path;

/** Static entry points that need no running runtime. */
public final class Scripts {

    private Scripts() {
    }

    /**
     * Compiles and evaluates {@code script} in a sandboxed context with the same limits as the
     * runtime (no network, no handler called), and validates its exports: {@code onRequest}
     * must be a function; {@code onResponse}, {@code onFailure} functions when present;
     * {@code config} plain data of the documented shape when present.
     *
     * @return {@link ScriptCheck.Valid} or {@link ScriptCheck.Invalid} with the first error; a
     *     missing or unreadable file is {@code Invalid} with {@link ScriptError.Kind#IO}
     */
    public static ScriptCheck check(Path script) {
        return sip.script.internal.runtime.ScriptChecker.check(script);
    }
}
