package sip.torture.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The RFC 4475 corpus as the wire suite reads it: {@code MANIFEST.tsv} rows and each file's
 * bytes, exactly as stored ({@code sip.torture.Corpus} does the same for the parser suites but
 * is package-private there). The location is the {@code parley.shared} property surefire sets.
 */
final class WireCorpus {
    private WireCorpus() {}

    record Row(String file, String section, String kind, String expected) {
        byte[] bytes() {
            try {
                return Files.readAllBytes(dir().resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file + " (" + section + ", " + kind + ")";
        }
    }

    static Path dir() {
        String shared = System.getProperty("parley.shared");
        if (shared == null || shared.isBlank()) {
            throw new IllegalStateException("system property parley.shared is not set (surefire sets it)");
        }
        return Paths.get(shared, "torture", "rfc4475").toAbsolutePath().normalize();
    }

    static List<Row> manifest() {
        try {
            List<String> lines = Files.readAllLines(dir().resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
            List<Row> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) { // line 1 names the columns
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                if (f.length != 4) {
                    throw new IllegalStateException("MANIFEST.tsv row with " + f.length + " columns: " + line);
                }
                rows.add(new Row(f[0], f[1], f[2], f[3]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> datFiles() {
        try (Stream<Path> s = Files.list(dir())) {
            Set<String> names = new TreeSet<>();
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat")).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
