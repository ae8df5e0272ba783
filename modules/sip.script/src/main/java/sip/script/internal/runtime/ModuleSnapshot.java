package sip.script.internal.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files one version's module graph read, as they were when it read them: a version owns the
 * bytes of its modules. The first read of a file (while the version is compiled, or a dynamic
 * {@code import()} later) takes it from disk; every later read, in any context of the version,
 * gets those same bytes, and a path keeps the file it first resolved to. So a context made after
 * an edit of {@code lib.js} on disk (a replaced or lazily made context of the version still
 * serving) runs the version's {@code lib.js}, never the edit; only a reload makes a version that
 * sees the edit. Confinement is decided at that first resolution: inside the script's directory
 * (after {@code ..} and symbolic links), regular files only.
 *
 * <p>Thread-safe: the contexts of a version run on several workers.
 */
final class ModuleSnapshot {

    private final Path root;
    private final FileTime takenAt = FileTime.fromMillis(System.currentTimeMillis());
    /** Normalized absolute path as asked → the real path it resolved to, first resolution wins. */
    private final Map<Path, Path> resolved = new ConcurrentHashMap<>();
    /** Real path → content, first read wins. */
    private final Map<Path, byte[]> content = new ConcurrentHashMap<>();

    private ModuleSnapshot(Path root) {
        this.root = root;
    }

    /**
     * An empty snapshot for a version of {@code src}, holding the script's own text already (the
     * one its module {@link org.graalvm.polyglot.Source} was built from), in case a module imports it back.
     *
     * @throws IOException if the script's directory cannot be resolved
     */
    static ModuleSnapshot of(ScriptSource src) throws IOException {
        ModuleSnapshot s = new ModuleSnapshot(src.directory().toRealPath());
        Path main = src.file().toAbsolutePath().normalize();
        try {
            Path real = s.resolve(main);
            s.content.putIfAbsent(real, src.source().getCharacters().toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the script was moved or deleted since it was read: its Source has its text anyway
        }
        return s;
    }

    /** The real path of the script's directory: relative paths resolve against it. */
    Path root() {
        return root;
    }

    /**
     * The real path {@code absolute} stands for in this version.
     *
     * @throws NoSuchFileException if it lies outside the script's directory, or does not exist
     */
    Path resolve(Path absolute) throws IOException {
        Path normal = absolute.normalize();
        Path known = resolved.get(normal);
        if (known != null) {
            return known;
        }
        if (!normal.startsWith(root)) {
            throw outside(absolute);
        }
        Path real = normal.toRealPath();
        if (!real.startsWith(root)) {
            throw outside(absolute);
        }
        Path first = resolved.putIfAbsent(normal, real);
        return first != null ? first : real;
    }

    /** Whether this version read {@code real} already (its attributes and content then come from here). */
    boolean holds(Path real) {
        return content.containsKey(real);
    }

    /**
     * The content of {@code real} (a path {@link #resolve} returned) in this version: what the
     * version read first.
     *
     * @throws NoSuchFileException if it is not a regular file (a directory, a pipe, a device)
     */
    byte[] read(Path real) throws IOException {
        byte[] kept = content.get(real);
        if (kept != null) {
            return kept;
        }
        if (!Files.isRegularFile(real)) {
            throw new NoSuchFileException(real.toString(), null, "not a regular file");
        }
        byte[] fresh = Files.readAllBytes(real);
        byte[] first = content.putIfAbsent(real, fresh);
        return first != null ? first : fresh;
    }

    /** The basic attributes of a file this version holds: a regular file of its kept size, taken when the snapshot began. */
    Map<String, Object> basicAttributes(Path real) {
        byte[] bytes = content.get(real);
        Map<String, Object> a = new java.util.HashMap<>();
        a.put("lastModifiedTime", takenAt);
        a.put("lastAccessTime", takenAt);
        a.put("creationTime", takenAt);
        a.put("size", (long) (bytes == null ? 0 : bytes.length));
        a.put("isRegularFile", true);
        a.put("isDirectory", false);
        a.put("isSymbolicLink", false);
        a.put("isOther", false);
        a.put("fileKey", null);
        return a;
    }

    /** The real paths of the files read so far, sorted. */
    List<Path> files() {
        return content.keySet().stream().sorted().toList();
    }

    private static NoSuchFileException outside(Path path) {
        return new NoSuchFileException(path.toString(), null, "outside the script's directory");
    }
}
