package sip.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real SIP peers (Debian's {@code sip-tester}, {@code sipsak}) and runs them with a
 * deadline. {@code .ci/run} installs them and sets {@code PARLEY_REQUIRE_PEERS=1}, so in CI a
 * missing peer fails the build instead of skipping the test. Public for the {@code parley}
 * process tests in {@code sip.interop.script}.
 */
public final class Peers {

    private Peers() {
    }

    /** The executable, or the test is skipped (failed in CI). */
    public static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        missing(name + " is not installed (Debian: apt-get install "
                + ("sipp".equals(name) ? "sip-tester" : name) + ")");
        throw new AssertionError("unreachable");
    }

    /** A peer this test needs is missing: skips the test, or fails it in CI. */
    public static void missing(String message) {
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail(message);
        }
        assumeTrue(false, message);
    }

    /** What a peer process did: its exit code and everything it printed. */
    public record Run(int exitCode, String output) {}

    /**
     * A peer started in the background (a SIPp UAS waiting for calls, say): {@link #await} bounds
     * its run, {@link #close} kills it if it is still there, so a failing test leaves nothing behind.
     */
    public static final class Started implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Path log;

        private Started(List<String> command, Process process, Path log) {
            this.command = command;
            this.process = process;
            this.log = log;
        }

        /** Its process id. */
        public long pid() {
            return process.pid();
        }

        /** Whether it is still running. */
        public boolean isAlive() {
            return process.isAlive();
        }

        /** Everything it printed so far. */
        public String output() throws IOException {
            return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        /** Waits for it to exit; kills it and fails after {@code timeoutSeconds}. */
        public Run await(long timeoutSeconds) throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                close();
                fail(command.getFirst() + " did not finish within " + timeoutSeconds + " s:\n" + output());
            }
            return new Run(process.exitValue(), output());
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts {@code command} with stdin closed and its output in a log under {@code workDir}. */
    public static Started start(Path workDir, List<String> command) throws IOException {
        Path log = Files.createTempFile(workDir, "peer", ".log");
        Process p = new ProcessBuilder(new ArrayList<>(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new Started(List.copyOf(command), p, log);
    }

    /** Runs {@code command} with stdin closed, killing it after {@code timeoutSeconds}. */
    public static Run run(Path workDir, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        try (Started started = start(workDir, command)) {
            return started.await(timeoutSeconds);
        }
    }
}
