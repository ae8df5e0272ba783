package sip.script.internal.runtime;

import java.nio.file.Path;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import sip.script.ScriptError;
import sip.script.internal.js.Prelude;

/** Turns what GraalJS throws into a {@link ScriptError} located in the script's files. */
final class ScriptErrors {

    /** GraalJS's location prefix of a syntax error message, after an optional "SyntaxError: ". */
    private static final java.util.regex.Pattern GRAAL_LOCATION =
            java.util.regex.Pattern.compile("^(?:SyntaxError: )?\\S*:\\d+:\\d+:? ");

    private ScriptErrors() {
    }

    /**
     * @param directory the script's directory: a location in an imported file is named relative
     *     to it
     * @param fallbackFile the name used when the exception has no location
     */
    static ScriptError of(PolyglotException e, Path directory, String fallbackFile) {
        ScriptError.Kind kind;
        if (e.isSyntaxError()) {
            kind = ScriptError.Kind.SYNTAX;
        } else if (e.isResourceExhausted()) {
            kind = ScriptError.Kind.STATEMENT_LIMIT;
        } else if (e.isCancelled() || e.isInterrupted()) {
            kind = ScriptError.Kind.TIMEOUT;
        } else {
            kind = ScriptError.Kind.RUNTIME;
        }
        String message = switch (kind) {
            case STATEMENT_LIMIT -> "statement limit exceeded";
            case TIMEOUT -> "handler deadline exceeded";
            default -> message(e);
        };
        // A limit breach is located too: the cancelling exception names the statement it stopped
        // (its guest frames may carry no location of their own).
        SourceSection at = e.getSourceLocation();
        if (at != null && at.getSource() != null && Prelude.NAME.equals(at.getSource().getName())) {
            at = null; // a TypeError the binding throws: the script's line is the caller's
        }
        if (at != null && kind != ScriptError.Kind.RUNTIME && kind != ScriptError.Kind.SYNTAX && !inScript(at)) {
            at = null; // stopped inside a builtin (Date.now, say): the script's frame below it says where
        }
        if (at == null && kind != ScriptError.Kind.SYNTAX) {
            at = firstGuestFrame(e);
        }
        if (at == null && kind == ScriptError.Kind.RUNTIME) {
            ScriptError failedImport = ImportStatements.locate(message, kind, directory);
            if (failedImport != null) {
                return failedImport;
            }
        }
        if (at == null) {
            return new ScriptError(fallbackFile, 0, 0, message, kind);
        }
        return new ScriptError(fileName(at, directory, fallbackFile), at.getStartLine(), at.getStartColumn(), message, kind);
    }

    /** Where {@code error} is, for a log line: {@code file:line:column}, or {@code file} when it has no location. */
    static String at(ScriptError error) {
        return error.line() > 0 ? error.file() + ":" + error.line() + ":" + error.column() : error.file();
    }

    /** The file name of a source section as script authors know it. */
    static String fileName(SourceSection at, Path directory, String fallbackFile) {
        if (at == null || at.getSource() == null) {
            return fallbackFile;
        }
        String path = at.getSource().getPath();
        if (path != null && directory != null) {
            try {
                Path p = Path.of(path);
                Path dir = directory.toAbsolutePath().normalize();
                if (p.startsWith(dir)) {
                    return dir.relativize(p).toString();
                }
                Path real = dir.toRealPath();
                if (p.startsWith(real)) {
                    return real.relativize(p).toString();
                }
            } catch (Exception ignored) {
                // fall back to the source's name
            }
        }
        String name = at.getSource().getName();
        return name == null || name.isEmpty() ? fallbackFile : name;
    }

    private static SourceSection firstGuestFrame(PolyglotException e) {
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            if (f.isGuestFrame() && inScript(f.getSourceLocation())) {
                return f.getSourceLocation();
            }
        }
        return null;
    }

    /** A location in the script's own files: not the prelude, not a builtin ({@code <builtin>}) or internal source. */
    private static boolean inScript(SourceSection at) {
        if (at == null || at.getSource() == null || at.getSource().isInternal()) {
            return false;
        }
        String name = at.getSource().getName();
        return name != null && !name.startsWith("<") && !Prelude.NAME.equals(name);
    }

    private static String message(PolyglotException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.isGuestException() ? "exception" : e.toString();
        }
        // GraalJS puts its own "<file>:<line>:<col> " (0-based column) into syntax error messages,
        // with or without a leading "SyntaxError: ": ScriptError prints one location, 1-based.
        if (e.isSyntaxError()) {
            m = GRAAL_LOCATION.matcher(m).replaceFirst("");
            if (!m.startsWith("SyntaxError")) {
                m = "SyntaxError: " + m;
            }
        }
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
