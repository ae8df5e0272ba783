package sip.script.internal.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sip.script.ScriptError;

/**
 * Locates an import GraalJS could not resolve or read. Its error ("Cannot find module '/abs/x.js'
 * imported from /abs/main.js", "Error reading module ... imported from ...: why") carries no
 * source location, only the resolved path and the importer: the failing statement is found by
 * searching the importer's text for a specifier that resolves to that path.
 */
final class ImportStatements {

    /** GraalJS's module-resolution error: the resolved module and the importing file. */
    private static final Pattern FAILED_IMPORT =
            Pattern.compile("(?:Cannot find module|Error reading module) '([^']+)' imported from (\\S+?)(?::|$|\\s)");

    /** A static or dynamic import, or a re-export, up to its quoted specifier (group 2). */
    private static final Pattern IMPORT = Pattern.compile("\\b(?:import|export)\\b[^'\"`;]*?(['\"])([^'\"\\n]+)\\1");

    private ImportStatements() {
    }

    /**
     * The error located at the failing {@code import} of the importing file (1:1 of it when the
     * statement is not found), or null when {@code message} is not a module-resolution error.
     * Paths inside the script's directory are shortened to their relative form in the message.
     */
    static ScriptError locate(String message, ScriptError.Kind kind, Path directory) {
        Matcher m = FAILED_IMPORT.matcher(message);
        if (!m.find()) {
            return null;
        }
        Path target = Path.of(m.group(1)).normalize();
        Path importer = Path.of(m.group(2)).normalize();
        String file = relative(importer, directory);
        String shown = shorten(message, directory);
        String text;
        try {
            text = new String(Files.readAllBytes(importer), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new ScriptError(file, 1, 1, shown, kind);
        }
        Path base = importer.getParent();
        Matcher i = IMPORT.matcher(text);
        while (i.find()) {
            String specifier = i.group(2);
            try {
                if (base != null && base.resolve(specifier).normalize().equals(target)) {
                    return at(text, i.start(), file, shown, kind);
                }
            } catch (RuntimeException notAPath) {
                // a bare or malformed specifier: not the one that failed
            }
        }
        return new ScriptError(file, 1, 1, shown, kind);
    }

    private static ScriptError at(String text, int offset, String file, String message, ScriptError.Kind kind) {
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < offset; k++) {
            if (text.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return new ScriptError(file, line, offset - lineStart + 1, message, kind);
    }

    private static String relative(Path file, Path directory) {
        for (Path dir : roots(directory)) {
            if (file.startsWith(dir)) {
                return dir.relativize(file).toString();
            }
        }
        return file.toString();
    }

    private static String shorten(String message, Path directory) {
        String shown = message;
        for (Path dir : roots(directory)) {
            shown = shown.replace(dir + java.io.File.separator, "");
        }
        return shown;
    }

    /** The directory as given and as its real path (a temp dir under a symlink has both). */
    private static java.util.List<Path> roots(Path directory) {
        if (directory == null) {
            return java.util.List.of();
        }
        Path abs = directory.toAbsolutePath().normalize();
        try {
            Path real = abs.toRealPath();
            return real.equals(abs) ? java.util.List.of(abs) : java.util.List.of(abs, real);
        } catch (IOException e) {
            return java.util.List.of(abs);
        }
    }
}
