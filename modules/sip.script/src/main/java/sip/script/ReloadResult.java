package sip.script;

import java.util.Objects;

/** What {@link ScriptRuntime#reload()} did. */
public sealed interface ReloadResult {

    /** The version serving after the reload. */
    ScriptVersion serving();

    /** A new version was compiled, validated and swapped in; requests in flight finish on the old one. */
    record Loaded(ScriptVersion version) implements ReloadResult {
        public Loaded {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public ScriptVersion serving() {
            return version;
        }
    }

    /** The script and its imports have the content of the serving version: nothing was done. */
    record Unchanged(ScriptVersion version) implements ReloadResult {
        public Unchanged {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public ScriptVersion serving() {
            return version;
        }
    }

    /** The new content is broken; {@code kept} keeps serving. */
    record Rejected(ScriptError error, ScriptVersion kept) implements ReloadResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(kept, "kept");
        }

        @Override
        public ScriptVersion serving() {
            return kept;
        }
    }
}
