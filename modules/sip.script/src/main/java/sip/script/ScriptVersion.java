package sip.script;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One loaded version of a script.
 *
 * @param number 1 for the first load, counting up with every accepted reload
 * @param file the script file
 * @param sha256 the hex SHA-256 of the script file's content (imports not included)
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
