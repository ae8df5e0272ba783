package sip.script;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One loaded version of a script.
 *
 * @param number 1 for the first load, counting up with every accepted reload
 * @param file the script file
 * @param sha256 hex SHA-256 of exactly the files this version loaded: the script file's own
 *     SHA-256 when it imports nothing (what {@code sha256sum} prints); else a SHA-256 over the
 *     script's hash and each imported module's relative path and hash. A reload whose files are
 *     byte-identical is {@link ReloadResult.Unchanged}, whatever else changed beside them
 * @param loadedAt when it was loaded
 */
public record ScriptVersion(int number, Path file, String sha256, Instant loadedAt) {

    public ScriptVersion {
        if (number < 1) {
            throw new IllegalArgumentException("version number must be positive: " + number);
        }
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(loadedAt, "loadedAt");
    }
}
