package sip.fuzz.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sip.script.ScriptError;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;

/**
 * One {@link ScriptTester} per script text, loaded once per JVM and shared by every input of a
 * target (loading a GraalJS context takes seconds; a fuzzer runs thousands of inputs). The
 * scripts keep no state between requests but what a target prefixes per input in
 * {@code sip.store}. Deadline 2 s per JS entry, as {@code parley run}; a send that takes longer
 * than 30 s is a hang and fails the input.
 */
final class ScriptBed {

    private static final Map<String, ScriptTester> TESTERS = new ConcurrentHashMap<>();

    private ScriptBed() {
    }

    static ScriptTester tester(String fileName, String source) {
        return TESTERS.computeIfAbsent(fileName, f -> {
            try {
                Path dir = Files.createTempDirectory("parley-fuzz-script");
                Path file = dir.resolve(f);
                Files.writeString(file, source);
                ScriptTester t = ScriptTester.newBuilder(file).deadline(Duration.ofSeconds(2))
                        .finishWithin(Duration.ofSeconds(30)).build();
                Runtime.getRuntime().addShutdownHook(new Thread(t::close));
                return t;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A script error is typed and located: its file, a line, a message. */
    static void assertLocated(Outcome o, String file) {
        if (o.error().isEmpty()) {
            return;
        }
        ScriptError e = o.error().get();
        assertEquals(file, e.file(), () -> "error file: " + o);
        assertTrue(e.line() > 0, () -> "error without a line: " + o);
        assertTrue(!e.message().isBlank(), () -> "error without a message: " + o);
    }

    /** The message of the single log line whose text starts with {@code prefix}. */
    static String logged(Outcome o, String prefix) {
        return o.logs().stream().map(l -> l.message()).filter(m -> m.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line " + prefix + ": " + o))
                .substring(prefix.length());
    }
}
