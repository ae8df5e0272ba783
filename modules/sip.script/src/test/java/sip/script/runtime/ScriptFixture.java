package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import sip.script.ScriptException;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * One test's executor on a script in a fresh directory, with a {@link FakeHosts.Host}: register it
 * with {@code @RegisterExtension final ScriptFixture fx = new ScriptFixture();} (one per test
 * method). After each test it closes the executor, checks that its live counts (contexts,
 * in-flight handlers, store entries) returned to 0, closes the host and deletes the directory.
 */
final class ScriptFixture implements AfterEachCallback {

    /** The host every executor of this fixture reports to. */
    final FakeHosts.Host host = new FakeHosts.Host();
    private Path dir;
    private ScriptExecutor executor;

    /** The test's directory, made on first use. */
    Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("script-fixture");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** Writes {@code text} to {@code name} in {@link #dir()}. */
    Path script(String name, String text) {
        return FakeHosts.script(dir(), name, text);
    }

    /** Writes the script and opens an executor on it with {@link FakeHosts#SETTINGS}. */
    ScriptExecutor open(String name, String text) throws ScriptException {
        return open(script(name, text), FakeHosts.SETTINGS);
    }

    /** Writes the script and opens an executor on it with {@code settings}. */
    ScriptExecutor open(String name, String text, ExecutorSettings settings) throws ScriptException {
        return open(script(name, text), settings);
    }

    /** Opens the test's executor on {@code script}; a test opens at most one. */
    ScriptExecutor open(Path script, ExecutorSettings settings) throws ScriptException {
        if (executor != null) {
            throw new IllegalStateException("this test opened an executor already");
        }
        executor = ScriptExecutor.open(script, settings, host);
        return executor;
    }

    /** The executor {@code open} returned. */
    ScriptExecutor executor() {
        if (executor == null) {
            throw new IllegalStateException("no executor opened yet");
        }
        return executor;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (executor != null) {
                executor.close();
                assertEquals(0, executor.stats().liveContexts(), "live contexts after close");
                assertEquals(0, executor.stats().inFlight(), "in-flight handlers after close");
                assertEquals(0, executor.stats().storeEntries(), "store entries after close");
            }
        } finally {
            host.close();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
