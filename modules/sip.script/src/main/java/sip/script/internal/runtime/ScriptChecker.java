package sip.script.internal.runtime;

import java.nio.file.Path;
import sip.script.ScriptCheck;

/** {@link sip.script.Scripts#check}: loads the script in a throw-away context. */
public final class ScriptChecker {

    private ScriptChecker() {
    }

    public static ScriptCheck check(Path script) {
        throw new UnsupportedOperationException("skeleton");
    }
}
