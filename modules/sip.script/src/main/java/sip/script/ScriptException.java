package sip.script;

import java.util.Objects;

/** A script that cannot be loaded: it does not compile, lacks {@code onRequest}, or has a bad config. */
public final class ScriptException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ScriptError error;

    public ScriptException(ScriptError error) {
        super(Objects.requireNonNull(error, "error").toString());
        this.error = error;
    }

    /** Where and what. */
    public ScriptError error() {
        return error;
    }
}
