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
import java.util.stream.Stream;
import org.graalvm.polyglot.Source;
import sip.script.ScriptError;
import sip.script.ScriptException;

/**
 * One read of a script file: its text as a cached module {@link Source} (so every context of an
 * engine shares the parsed code), its SHA-256, and a key over it and the other JS files of its
 * directory (what an import can reach), which tells a reload whether anything changed.
 *
 * @param file the script file as given
 * @param directory its directory, the root of what it may import
 * @param name the file name used in errors and logs
 * @param sha256 hex SHA-256 of the script file
 * @param contentKey hex SHA-256 over the script and every {@code .js}/{@code .mjs} file beside it
 * @param source the module source
 */
record ScriptSource(Path file, Path directory, String name, String sha256, String contentKey, Source source) {

    static ScriptSource read(Path file) throws ScriptException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Path absolute = file.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        try {
            byte[] bytes = Files.readAllBytes(absolute);
            String text = new String(bytes, StandardCharsets.UTF_8);
            MessageDigest all = sha();
            all.update(bytes);
            for (Path p : siblings(directory, absolute)) {
                all.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                all.update(Files.readAllBytes(p));
            }
            Source source = Source.newBuilder("js", absolute.toFile())
                    .content(text)
                    .name(name)
                    .mimeType("application/javascript+module")
                    .cached(true)
                    .build();
            return new ScriptSource(file, directory, name, HexFormat.of().formatHex(sha().digest(bytes)),
                    HexFormat.of().formatHex(all.digest()), source);
        } catch (NoSuchFileException e) {
            throw new ScriptException(new ScriptError(file.toString(), 0, 0, "no such file", ScriptError.Kind.IO));
        } catch (IOException e) {
            throw new ScriptException(new ScriptError(file.toString(), 0, 0, "cannot read: " + e.getMessage(), ScriptError.Kind.IO));
        }
    }

    /** The other JS files an import could reach (top level of the directory only: cheap, and what scripts use). */
    private static List<Path> siblings(Path directory, Path self) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> !p.equals(self))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return (n.endsWith(".js") || n.endsWith(".mjs")) && Files.isRegularFile(p);
                    })
                    .sorted()
                    .toList();
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
