package sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ParserFuzzTest} properties over every RFC 4475 and RFC 5118 torture message. The
 * corpora may not be copied into the repository, so they seed the property from
 * {@code ../shared/torture} (system property {@code parley.shared}, set by Surefire) instead of
 * the fuzz test's inputs directory. Each message is also checked truncated at every line end,
 * since a half-read message is exactly what a parser meets on a stream.
 */
class TortureCorpusPropertyTest {

    static Stream<Path> tortureMessages() throws IOException {
        String shared = System.getProperty("parley.shared");
        assertNotNull(shared, "system property parley.shared is not set (Surefire sets it to <repo>/../shared)");
        Path torture = Path.of(shared, "torture");
        assertTrue(Files.isDirectory(torture), () -> "no torture corpora at " + torture.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.walk(torture)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".dat")).sorted().toList();
        }
        // RFC 4475 has 49 messages and RFC 5118 has 12: fewer means the corpus was not found whole.
        assertTrue(files.size() >= 61, () -> "expected the 61 torture messages, found " + files.size());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tortureMessages")
    void parserPropertiesHold(Path file) throws IOException {
        byte[] message = Files.readAllBytes(file);
        assertFalse(message.length == 0, "empty torture file " + file);
        ParserProperties.check(message);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                ParserProperties.check(java.util.Arrays.copyOf(message, i + 1));
            }
        }
    }
}
