package sip.script.internal.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.graalvm.polyglot.Source;
import sip.script.ScriptError;
import sip.script.ScriptException;

/**
 * One read of a script file: its text as a cached module {@link Source} (so every context of an
 * engine shares the parsed code) and its SHA-256. {@link #fingerprint} extends that hash over the
 * modules a version imported: what tells a reload whether anything that version loaded changed.
 *
 * @param file the script file as given
 * @param directory its directory, the root of what it may import
 * @param name the file name used in errors and logs
 * @param sha256 hex SHA-256 of the script file
 * @param source the module source
 */
record ScriptSource(Path file, Path directory, String name, String sha256, Source source) {

    static ScriptSource read(Path file) throws ScriptException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Path absolute = file.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        try {
            byte[] bytes = Files.readAllBytes(absolute);
            String text = new String(bytes, StandardCharsets.UTF_8);
            Source source = Source.newBuilder("js", absolute.toFile())
                    .content(text)
                    .name(name)
                    .mimeType("application/javascript+module")
                    .cached(true)
                    .build();
            return new ScriptSource(file, directory, name, HexFormat.of().formatHex(sha().digest(bytes)), source);
        } catch (NoSuchFileException e) {
            throw new ScriptException(new ScriptError(file.toString(), 0, 0, "no such file", ScriptError.Kind.IO));
        } catch (IOException e) {
            throw new ScriptException(new ScriptError(file.toString(), 0, 0, "cannot read: " + e.getMessage(), ScriptError.Kind.IO));
        }
    }

    /**
     * The hash of a version that loaded this script and {@code imports}: the script's own SHA-256
     * when it imported nothing (what {@code sha256sum} prints), else a SHA-256 over the script's
     * hash and, per imported file in order, its path relative to the script's directory and its
     * SHA-256. Files beside the script that it did not import do not count.
     *
     * @throws IOException if an imported file cannot be read (it was deleted or renamed)
     */
    String fingerprint(List<Path> imports) throws IOException {
        return fingerprint(imports, Files::readAllBytes);
    }

    /** As {@link #fingerprint(List)}, over the imports' content as {@code contentOf} gives it (a version's kept bytes). */
    String fingerprint(List<Path> imports, Content contentOf) throws IOException {
        if (imports.isEmpty()) {
            return sha256;
        }
        MessageDigest all = sha();
        all.update(sha256.getBytes(StandardCharsets.UTF_8));
        Path root = directory.toRealPath();
        for (Path p : imports) {
            String relative = p.startsWith(root) ? root.relativize(p).toString() : p.toString();
            all.update(("\n" + relative + "\n").getBytes(StandardCharsets.UTF_8));
            all.update(HexFormat.of().formatHex(sha().digest(contentOf.of(p))).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(all.digest());
    }

    /** The content of a file. */
    @FunctionalInterface
    interface Content {
        byte[] of(Path file) throws IOException;
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
