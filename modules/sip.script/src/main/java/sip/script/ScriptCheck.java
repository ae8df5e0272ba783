package sip.script;

import java.util.Objects;
import java.util.Set;

/** The verdict of {@link Scripts#check}. */
public sealed interface ScriptCheck {

    /**
     * The script compiles, evaluates, exports {@code onRequest} as a function and a valid
     * {@code config} (if any).
     *
     * @param config its config
     * @param exports the names it exports
     */
    record Valid(ScriptConfig config, Set<String> exports) implements ScriptCheck {
        public Valid {
            Objects.requireNonNull(config, "config");
            exports = Set.copyOf(exports);
        }
    }

    /** The first problem found. */
    record Invalid(ScriptError error) implements ScriptCheck {
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
