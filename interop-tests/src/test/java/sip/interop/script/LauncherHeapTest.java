package sip.interop.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher leaves the heap to the JVM's own default (a stateful proxy needs more than a small
 * fixed bound) and passes the user's maximum through. Read from the JVM itself
 * ({@code -XX:+PrintFlagsFinal} prints {@code MaxHeapSize}) running {@code parley --version},
 * compared with the image's java started with no option at all.
 */
@Timeout(300)
class LauncherHeapTest {

    private static final Pattern MAX_HEAP = Pattern.compile("\\bMaxHeapSize\\s*=\\s*(\\d+)");

    @TempDir
    Path dir;

    @Test
    void defaultMaxHeapIsTheJvmsOwn() throws Exception {
        Path java = ParleyProcess.launcher().getParent().resolve("java");
        Process p = new ProcessBuilder(java.toString(), "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "java -version did not end");
        Matcher m = MAX_HEAP.matcher(flags);
        assertTrue(m.find(), flags);
        assertEquals(Long.parseLong(m.group(1)), maxHeap(Map.of("PARLEY_JAVA_OPTS", "-XX:+PrintFlagsFinal")));
    }

    @Test
    void theUsersMaximumWins() throws Exception {
        assertEquals(256L << 20, maxHeap(Map.of("PARLEY_JAVA_OPTS", "-Xmx256m -XX:+PrintFlagsFinal")));
        assertEquals(384L << 20, maxHeap(Map.of("JAVA_OPTS", "-Xmx384m", "PARLEY_JAVA_OPTS", "-XX:+PrintFlagsFinal")));
    }

    private long maxHeap(Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "parley-version", ".log");
        ProcessBuilder pb = new ProcessBuilder(ParleyProcess.launcher().toString(), "--version")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("PARLEY_JAVA_OPTS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("parley --version did not end within 2 minutes");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        Matcher m = MAX_HEAP.matcher(text);
        assertTrue(m.find(), "no MaxHeapSize in the JVM's flags:\n" + text.substring(0, Math.min(2000, text.length())));
        return Long.parseLong(m.group(1));
    }
}
