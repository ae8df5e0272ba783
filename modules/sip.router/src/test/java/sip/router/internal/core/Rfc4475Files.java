package sip.router.internal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The RFC 4475 torture messages in the shared corpus, read byte-exact: {@code parley.shared}
 * (set by surefire) when given, else the first {@code shared/torture} beside a directory above
 * the working directory.
 */
final class Rfc4475Files {
    private Rfc4475Files() {
    }

    static byte[] read(String file) {
        try {
            return Files.readAllBytes(dir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dir() {
        String prop = System.getProperty("parley.shared");
        if (prop != null && !prop.isBlank() && !prop.contains("${")) {
            Path p = Paths.get(prop, "torture", "rfc4475");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("torture").resolve("rfc4475");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no shared/torture/rfc4475 above " + Paths.get("").toAbsolutePath());
    }
}
