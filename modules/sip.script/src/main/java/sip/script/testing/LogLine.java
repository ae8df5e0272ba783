package sip.script.testing;

import java.util.Objects;

/**
 * One line the script logged ({@code sip.log.info(...)}), or one the runtime logged about it (an
 * exception, a timeout, a handler that did not answer).
 *
 * @param level {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
 * @param location {@code file:line} of the script code that logged ({@code file:line:column} for
 *     an error), or the file alone when unknown
 * @param message the arguments joined by spaces, or the runtime's text
 */
public record LogLine(String level, String location, String message) {

    public LogLine {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** {@code INFO proxy.js:12: message}. */
    @Override
    public String toString() {
        return level + " " + location + ": " + message;
    }
}
