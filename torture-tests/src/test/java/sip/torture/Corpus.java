package sip.torture;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Access to the shared torture corpora ({@code <repo>/../shared/torture/...}), read byte-exact.
 * The location comes from the {@code parley.shared} system property (set by surefire); when it is
 * absent, {@code ../shared} relative to the repository root is used.
 */
final class Corpus {
    private Corpus() {}

    /** One row of a MANIFEST.tsv. */
    record Entry(String suite, String file, String section, String kind, String expected) {
        byte[] bytes() {
            return read(suite, file);
        }

        @Override
        public String toString() {
            return file + " (" + section + ", " + kind + ")";
        }
    }

    static Path shared() {
        String prop = System.getProperty("parley.shared");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("torture-tests")) && Files.isDirectory(dir.resolve("modules"))) {
                return dir.resolve("../shared").normalize();
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root from " + Paths.get("").toAbsolutePath());
    }

    static Path suiteDir(String suite) {
        Path d = shared().resolve("torture").resolve(suite);
        assertTrue(Files.isDirectory(d), "corpus folder missing: " + d);
        return d;
    }

    static byte[] read(String suite, String file) {
        try {
            return Files.readAllBytes(suiteDir(suite).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest rows, in file order. */
    static List<Entry> manifest(String suite) {
        try {
            List<String> lines = Files.readAllLines(suiteDir(suite).resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
            List<Entry> out = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) { // line 0 is the column header
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                if (f.length != 4) {
                    throw new IllegalStateException(suite + "/MANIFEST.tsv line " + (i + 1) + " has " + f.length + " columns");
                }
                out.add(new Entry(suite, f[0], f[1], f[2], f[3]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The .dat files actually in the folder. */
    static Set<String> datFiles(String suite) {
        try (Stream<Path> s = Files.list(suiteDir(suite))) {
            Set<String> names = new TreeSet<>();
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat")).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The folder, its MANIFEST.tsv and a suite's expectations name exactly the same {@code count}
     * files, none twice: so "all N asserted" is checked, not assumed.
     */
    static void assertComplete(String suite, Set<String> expectations, int count) {
        Set<String> inFolder = datFiles(suite);
        Set<String> inManifest = new TreeSet<>();
        manifest(suite).forEach(e -> assertTrue(inManifest.add(e.file()), "duplicate manifest row " + e.file()));
        org.junit.jupiter.api.Assertions.assertEquals(inFolder, inManifest, "MANIFEST.tsv vs folder");
        org.junit.jupiter.api.Assertions.assertEquals(new TreeSet<>(inFolder), new TreeSet<>(expectations),
            "expectations vs folder");
        org.junit.jupiter.api.Assertions.assertEquals(count, inFolder.size());
        org.junit.jupiter.api.Assertions.assertEquals(count, expectations.size());
    }

    static Stream<Entry> rfc4475() {
        return manifest("rfc4475").stream();
    }

    static Stream<Entry> rfc5118() {
        return manifest("rfc5118").stream();
    }

    static Stream<Entry> all() {
        return Stream.concat(rfc4475(), rfc5118());
    }

    // ---- byte helpers -------------------------------------------------------------------

    /** Index just after the CRLFCRLF ending the header section, or -1. */
    static int headerEnd(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** True when every LF in the header section is preceded by CR. */
    static boolean crlfHeaders(byte[] b) {
        int end = headerEnd(b);
        if (end < 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The raw header fields of a message, each with its continuation lines and final CRLF, exactly
     * as in the bytes (ISO-8859-1 so that one char is one byte). The start line is not included.
     */
    static List<String> rawHeaderFields(byte[] b) {
        int end = headerEnd(b);
        String head = new String(b, 0, end < 0 ? b.length : end - 2, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        int pos = 0;
        while (pos < head.length()) {
            int nl = head.indexOf("\r\n", pos);
            int stop = nl < 0 ? head.length() : nl + 2;
            lines.add(head.substring(pos, stop));
            pos = stop;
        }
        List<String> fields = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) { // skip the start line
            String l = lines.get(i);
            if (!fields.isEmpty() && (l.startsWith(" ") || l.startsWith("\t"))) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + l);
            } else {
                fields.add(l);
            }
        }
        return fields;
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of the first line (without CRLF), decoded as UTF-8. */
    static String firstLineUtf8(byte[] b) {
        int i = 0;
        while (i < b.length && b[i] != '\r' && b[i] != '\n') {
            i++;
        }
        return new String(b, 0, i, StandardCharsets.UTF_8);
    }

    /** The header field line starting with {@code prefix} (UTF-8), without CRLF. */
    static String lineStartingWith(byte[] b, String prefix) {
        for (String l : new String(b, StandardCharsets.UTF_8).split("\r\n")) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }
}
