package sip.script;

import java.util.Objects;

/**
 * What is wrong with a script, or what went wrong while it ran, located in its source.
 *
 * @param file the script file's name as given (or the imported module's path relative to the
 *     script's directory)
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param message what happened, e.g. {@code SyntaxError: Expected ; but found x}
 * @param kind the class of error
 */
public record ScriptError(String file, int line, int column, String message, Kind kind) {

    /** The class of a {@link ScriptError}. */
    public enum Kind {
        /** The source does not parse. */
        SYNTAX,
        /** {@code onRequest} (or another contract name) is not an exported function. */
        MISSING_EXPORT,
        /** {@code export const config} is not the plain data the contract describes. */
        BAD_CONFIG,
        /** An exception thrown while the script ran (module evaluation or a handler). */
        RUNTIME,
        /** A handler call exceeded the wall-clock deadline. */
        TIMEOUT,
        /** A handler call exceeded the statement limit. */
        STATEMENT_LIMIT,
        /** The file (or an import) cannot be read. */
        IO
    }

    public ScriptError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * {@code file:line:column: message}, as {@code parley check} prints it; {@code file: message}
     * when the error has no location (line 0: a file that cannot be read, say).
     */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
